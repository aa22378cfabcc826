package io.goflow.exporter.aggregate;

import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.LatencyHistogram;
import io.goflow.exporter.ring.RecordPool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AggregationHandlerTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;

    private long nowNs = T0;
    private final RecordPool pool = new RecordPool(16);
    private final List<String> calls = new ArrayList<>();
    private final FlowAggregator recorder = new FlowAggregator()
    {
        @Override
        public void onFlowRecord(final FlowRecord record, final long now)
        {
            calls.add("flow " + record.bytes + " @" + (now - T0));
        }

        @Override
        public void onInterfaceCounters(final FlowRecord record, final long now)
        {
            calls.add("counters " + record.ifIndex);
        }

        @Override
        public void onEndOfBatch(final long now)
        {
            calls.add("flush @" + (now - T0));
        }
    };

    @Test
    void shouldPassRecordsThenFlushAtEndOfBatch()
    {
        final AggregationHandler handler = new AggregationHandler(recorder, () -> nowNs, 100);
        nowNs = T0 + 5;
        handler.onEvent(event(T0, 10, 20), 0, false);
        handler.onEvent(event(T0, 30), 1, true);
        assertEquals(List.of("flow 10 @5", "flow 20 @5", "flow 30 @5", "flush @5"), calls);
        assertEquals(2, handler.datagrams());
        assertEquals(3, handler.flowRecords());
    }

    @Test
    void shouldFlushEveryBatchSizeEventsWithinOneDisruptorBatch()
    {
        final AggregationHandler handler = new AggregationHandler(recorder, () -> nowNs, 2);
        for (int i = 0; i < 5; i++)
        {
            handler.onEvent(event(T0, i), i, false);
        }
        assertEquals(List.of("flow 0 @0", "flow 1 @0", "flush @0", "flow 2 @0", "flow 3 @0", "flush @0", "flow 4 @0"),
            calls);
    }

    @Test
    void shouldFlushOnTickWithTickTime()
    {
        final AggregationHandler handler = new AggregationHandler(recorder, () -> nowNs, 100);
        final DatagramEvent tick = new DatagramEvent(16, 4);
        tick.kind = DatagramEvent.Kind.TICK;
        tick.receivedNs = T0 + 7;
        handler.onEvent(tick, 0, false);
        assertEquals(List.of("flush @7"), calls);
        assertEquals(0, handler.datagrams());
    }

    @Test
    void shouldRouteInterfaceCountersSeparately()
    {
        final AggregationHandler handler = new AggregationHandler(recorder, () -> nowNs, 100);
        final DatagramEvent e = event(T0, 1);
        final FlowRecord counters = pool.take();
        counters.reset();
        counters.kind = FlowRecord.Kind.INTERFACE_COUNTERS;
        counters.ifIndex = 3;
        e.addRecord(counters, pool);
        handler.onEvent(e, 0, true);
        assertEquals(List.of("flow 1 @0", "counters 3", "flush @0"), calls);
        assertEquals(1, handler.counterRecords());
    }

    @Test
    void shouldRecordReceiveToAggregatedDurationInHistogram()
    {
        final AggregationHandler handler = new AggregationHandler(recorder, () -> nowNs, 100);
        nowNs = T0 + 300_000;
        handler.onEvent(event(T0, 1), 0, true);
        nowNs = T0 + 2_000_000_000L;
        handler.onEvent(event(T0, 1), 1, true);
        final LatencyHistogram h = handler.latency();
        assertEquals(1, h.bucketCount(5), "300 us falls in (250 us, 500 us]");
        assertEquals(1, h.bucketCount(LatencyHistogram.BOUNDS_SECONDS.length), "2 s is above 1 s");
        assertEquals(2_000_300_000L, h.sumNs());
    }

    @Test
    void shouldGiveRecordsBackToTheirPoolAfterAggregating()
    {
        final AggregationHandler handler = new AggregationHandler(recorder, () -> nowNs, 100);
        final DatagramEvent e = event(T0, 1, 2, 3);
        assertEquals(13, pool.available());
        handler.onEvent(e, 0, true);
        assertEquals(16, pool.available());
        assertEquals(0, e.recordCount());
    }

    @Test
    void shouldNotAggregateDiscardedRecordsButStillGiveThemBack()
    {
        final AggregationHandler handler = new AggregationHandler(recorder, () -> nowNs, 100);
        final DatagramEvent e = event(T0, 1, 2);
        e.discardRecords();
        handler.onEvent(e, 0, true);
        assertEquals(List.of("flush @0"), calls);
        assertEquals(16, pool.available());
        assertEquals(0, handler.flowRecords());
    }

    private DatagramEvent event(final long receivedNs, final long... bytes)
    {
        final DatagramEvent e = new DatagramEvent(16, 16);
        e.receivedNs = receivedNs;
        for (final long b : bytes)
        {
            final FlowRecord r = pool.take();
            r.reset();
            r.bytes = b;
            e.addRecord(r, pool);
        }
        return e;
    }
}
