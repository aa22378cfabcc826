package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.goflow.exporter.aggregate.TestFlows.MINUTE_NS;
import static io.goflow.exporter.aggregate.TestFlows.T0_NS;
import static io.goflow.exporter.aggregate.TestFlows.aggregation;
import static io.goflow.exporter.aggregate.TestFlows.ipv4Flow;
import static io.goflow.exporter.aggregate.TestFlows.metrics;
import static io.goflow.exporter.aggregate.TestFlows.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer thread hammers the engine (every record 100 bytes, 1 packet, so every consistent
 * series has {@code bytes == 100 x flows == 100 x packets}, in total and in every window) while a
 * scrape thread reads: a torn read breaks the ratio, a lost or reordered update makes a counter go
 * backwards between scrapes.
 */
class AggregationConcurrencyTest
{
    private static final int RECORDS = 3_000_000;
    private static final int KEYS = 200;
    private static final int CAPACITY = 128;

    @Test
    void shouldNeverShowTornOrDecreasingSeriesWhileWriterHammers() throws InterruptedException
    {
        final ManualClock clock = new ManualClock(T0_NS);
        final AggregationEngine engine = new AggregationEngine(
            aggregation(List.of(Dimension.DST_PORT), CAPACITY, 120 * MINUTE_NS, List.of()),
            metrics(List.of(LabelGroup.values()), Map.of()), clock);
        final AggregationView view = engine.views().get(0);
        final AtomicBoolean writerDone = new AtomicBoolean();
        final AtomicReference<String> failure = new AtomicReference<>();
        final long[] scrapes = new long[1];

        final Thread reader = new Thread(() ->
        {
            final long[] lastFlows = new long[CAPACITY + 1];
            final AggregationView.Cursor cursor = view.newCursor();
            while (!writerDone.get() && failure.get() == null)
            {
                cursor.at(engine.readerNowNs());
                final int limit = cursor.limit();
                for (int id = 0; id <= limit; id++)
                {
                    final boolean live = id < limit ? cursor.read(id) : cursor.readOverflow();
                    if (!live)
                    {
                        continue;
                    }
                    final String problem = check(cursor, lastFlows, id == limit ? CAPACITY : id);
                    if (problem != null)
                    {
                        failure.compareAndSet(null, problem + " at scrape " + scrapes[0]);
                    }
                }
                if ((scrapes[0]++ & 63) == 0)
                {
                    ScrapedFlowMetrics.of(engine).collect();
                }
            }
        }, "scrape");
        reader.start();

        final FlowRecord record = ipv4Flow(1, 2, 17, 9, 0, 100, 1);
        for (int i = 0; i < RECORDS; i++)
        {
            record.dstPort = 1 + (i * 7919) % KEYS;
            final long nowNs = T0_NS + i * 20_000L;
            engine.onFlowRecord(record, nowNs);
            if (i % 128 == 127)
            {
                engine.onEndOfBatch(nowNs);
            }
        }
        engine.onEndOfBatch(T0_NS + RECORDS * 20_000L);
        writerDone.set(true);
        reader.join();

        assertNull(failure.get());
        assertTrue(scrapes[0] > 0);
        assertEquals((double)RECORDS, sum(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
        assertEquals(100.0 * RECORDS, sum(ScrapedFlowMetrics.of(engine), "flow_bytes_total"));
    }

    private static String check(final AggregationView.Cursor cursor, final long[] lastFlows, final int slot)
    {
        final long flows = cursor.flows();
        if (cursor.bytes() != 100 * flows || cursor.packets() != flows)
        {
            return "torn series " + slot + ": flows " + flows + " bytes " + cursor.bytes() + " packets " + cursor.packets();
        }
        if (flows < lastFlows[slot])
        {
            return "series " + slot + " went back from " + lastFlows[slot] + " to " + flows;
        }
        lastFlows[slot] = flows;
        for (int w = 0; w < 4; w++)
        {
            if (cursor.windowBytes(w) != 100 * cursor.windowFlows(w) || cursor.windowPackets(w) != cursor.windowFlows(w))
            {
                return "torn window " + w + " of series " + slot;
            }
        }
        return null;
    }
}
