package io.goflow.exporter.decode;

import com.lmax.disruptor.EventHandler;
import io.goflow.exporter.decoders.DecodeCounters;
import io.goflow.exporter.decoders.DecodeError;
import io.goflow.exporter.decoders.FlowRecord;
import io.goflow.exporter.decoders.FlowSink;
import io.goflow.exporter.decoders.FlowType;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.ring.DatagramEvent;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Decode and enrich shard {@code shardIndex} of {@code shardCount}: runs on its own thread, sees
 * every ring event, and works only on datagrams whose {@link DatagramEvent#shard} is its index.
 * Since readers shard by exporter (and template domain), one exporter's templates and data are
 * decoded in arrival order by this one thread and its own {@link ShardDecoder}.
 *
 * <p>Records go into the event's preallocated record array ({@link DatagramEvent#nextRecord()}),
 * enriched in place, for the aggregation handler behind all shards. A datagram with more records
 * than the slot's cap loses the excess, counted as {@code too_many_records}.
 *
 * <p>Housekeeping: {@link ShardDecoder#onTimer} runs on every {@link DatagramEvent.Kind#TICK}
 * and, when ticks cannot get into a full ring, at an end of batch at least
 * {@link #TIMER_INTERVAL_NS} after the last run.
 */
public final class DecodeHandler implements EventHandler<DatagramEvent>, FlowSink
{
    /** Longest time between two {@link ShardDecoder#onTimer} calls while events flow. */
    public static final long TIMER_INTERVAL_NS = 1_000_000_000L;

    private static final FlowType[] TYPES = FlowType.values();

    private final int shardIndex;
    private final ShardDecoder decoder;
    private final FlowEnricher enricher;
    private final EpochNanoClock clock;
    private final DecodeStageCounters counters = new DecodeStageCounters();
    private DatagramEvent current;
    private long lastTimerNs;

    public DecodeHandler(
        final int shardIndex, final ShardDecoder decoder, final FlowEnricher enricher, final EpochNanoClock clock)
    {
        this.shardIndex = shardIndex;
        this.decoder = decoder;
        this.enricher = enricher;
        this.clock = clock;
        this.lastTimerNs = clock.nanoTime();
    }

    @Override
    public void onEvent(final DatagramEvent event, final long sequence, final boolean endOfBatch)
    {
        if (event.kind == DatagramEvent.Kind.TICK)
        {
            runTimer(event.receivedNs);
            return;
        }
        if (event.shard == shardIndex)
        {
            decode(event);
        }
        if (endOfBatch)
        {
            final long nowNs = clock.nanoTime();
            if (nowNs - lastTimerNs >= TIMER_INTERVAL_NS)
            {
                runTimer(nowNs);
            }
        }
    }

    private void decode(final DatagramEvent event)
    {
        final DecodeCounters dc = decoder.counters();
        final long datagramsBefore = recognised(dc);
        final long badVersionBefore = dc.errors(DecodeError.BAD_VERSION);
        final long exporterLimitBefore = dc.errors(DecodeError.EXPORTER_LIMIT);
        counters.onProcessed(event.protocolSlot);
        current = event;
        try
        {
            decoder.decode(
                event.protocol, event.buffer, 0, event.length, event.exporterAddrHi, event.exporterAddrLo,
                event.exporterPort, event.receivedNs, this);
        }
        finally
        {
            current = null;
            if (recognised(dc) == datagramsBefore)
            {
                if (dc.errors(DecodeError.BAD_VERSION) != badVersionBefore)
                {
                    counters.onUndecoded(DecodeStageCounters.UNDECODED_BAD_VERSION);
                }
                else if (dc.errors(DecodeError.EXPORTER_LIMIT) != exporterLimitBefore)
                {
                    counters.onUndecoded(DecodeStageCounters.UNDECODED_EXPORTER_LIMIT);
                }
                else
                {
                    counters.onUndecoded(DecodeStageCounters.UNDECODED_MALFORMED);
                }
            }
        }
    }

    /** Sink for the decoder: copies, enriches and keeps a flow record in the current event. */
    @Override
    public void onFlowRecord(final FlowRecord record)
    {
        final FlowRecord slot = current.nextRecord();
        if (slot == null)
        {
            counters.onTooManyRecords();
            return;
        }
        slot.copyFrom(record);
        slot.kind = FlowRecord.Kind.FLOW;
        enricher.enrich(slot);
        counters.onParsedRecord(slot.type);
    }

    /** Keeps interface counter samples for aggregation; options records are not kept. */
    @Override
    public void onOtherRecord(final FlowRecord record)
    {
        if (record.kind != FlowRecord.Kind.INTERFACE_COUNTERS)
        {
            return;
        }
        final FlowRecord slot = current.nextRecord();
        if (slot == null)
        {
            counters.onTooManyRecords();
            return;
        }
        slot.copyFrom(record);
        counters.onInterfaceCounterRecord();
    }

    public int shardIndex()
    {
        return shardIndex;
    }

    public DecodeStageCounters counters()
    {
        return counters;
    }

    public DecodeCounters decodeCounters()
    {
        return decoder.counters();
    }

    private void runTimer(final long nowNs)
    {
        lastTimerNs = nowNs;
        decoder.onTimer(nowNs);
    }

    private static long recognised(final DecodeCounters dc)
    {
        long sum = 0;
        for (final FlowType type : TYPES)
        {
            sum += dc.datagrams(type);
        }
        return sum;
    }
}
