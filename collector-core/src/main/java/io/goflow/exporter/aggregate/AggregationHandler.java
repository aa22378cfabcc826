package io.goflow.exporter.aggregate;

import com.lmax.disruptor.EventHandler;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.LatencyHistogram;
import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The ring's last consumer, behind every decode shard: hands each event's records to the single
 * {@link FlowAggregator} (this thread is its only writer) and flushes it at every Disruptor end of
 * batch, every {@code batchSize} events and on every {@link DatagramEvent.Kind#TICK} (so an idle
 * collector still rotates windows). Gives each event's records back to the shard's
 * {@link io.goflow.exporter.ring.RecordPool} once aggregated.
 *
 * <p>Records the receive-to-aggregated duration of each datagram in {@link #latency()}. Its counts
 * and histogram are written by this thread only and read through {@link AggregationStats}.
 */
public final class AggregationHandler implements EventHandler<DatagramEvent>, AggregationStats
{
    private static final int DATAGRAMS = 0;
    private static final int FLOW_RECORDS = 1;
    private static final int COUNTER_RECORDS = 2;

    private final FlowAggregator aggregator;
    private final EpochNanoClock clock;
    private final int batchSize;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLongArray counts = new AtomicLongArray(3);
    private int sinceFlush;

    /**
     * @param batchSize most datagram events between two {@link FlowAggregator#onEndOfBatch} calls
     *                  ({@code performance.batch_size}).
     */
    public AggregationHandler(final FlowAggregator aggregator, final EpochNanoClock clock, final int batchSize)
    {
        this.aggregator = aggregator;
        this.clock = clock;
        this.batchSize = Math.max(1, batchSize);
    }

    @Override
    public void onEvent(final DatagramEvent event, final long sequence, final boolean endOfBatch)
    {
        event.releaseOverflow();
        if (event.kind == DatagramEvent.Kind.TICK)
        {
            flush(event.receivedNs);
            return;
        }
        final long nowNs = clock.nanoTime();
        final int n = event.recordsDiscarded() ? 0 : event.recordCount();
        int flows = 0;
        for (int i = 0; i < n; i++)
        {
            final FlowRecord record = event.record(i);
            if (record.kind != FlowRecord.Kind.FLOW)
            {
                aggregator.onInterfaceCounters(record, nowNs);
            }
            else
            {
                aggregator.onFlowRecord(record, nowNs);
                flows++;
            }
        }
        event.releaseRecords();
        add(DATAGRAMS, 1);
        add(FLOW_RECORDS, flows);
        add(COUNTER_RECORDS, n - flows);
        latency.record(clock.nanoTime() - event.receivedNs);
        if (endOfBatch || ++sinceFlush >= batchSize)
        {
            flush(nowNs);
        }
    }

    @Override
    public long datagrams()
    {
        return counts.get(DATAGRAMS);
    }

    @Override
    public long flowRecords()
    {
        return counts.get(FLOW_RECORDS);
    }

    @Override
    public long counterRecords()
    {
        return counts.get(COUNTER_RECORDS);
    }

    @Override
    public LatencyHistogram latency()
    {
        return latency;
    }

    private void flush(final long nowNs)
    {
        sinceFlush = 0;
        aggregator.onEndOfBatch(nowNs);
    }

    private void add(final int i, final long n)
    {
        counts.lazySet(i, counts.get(i) + n);
    }
}
