package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import io.prometheus.client.CollectorRegistry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.goflow.exporter.aggregate.TestFlows.MINUTE_NS;
import static io.goflow.exporter.aggregate.TestFlows.SECOND_NS;
import static io.goflow.exporter.aggregate.TestFlows.T0_NS;
import static io.goflow.exporter.aggregate.TestFlows.ipv4Flow;
import static io.goflow.exporter.aggregate.TestFlows.metrics;
import static io.goflow.exporter.aggregate.TestFlows.registry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SlidingWindowsTest
{
    /** Rates are exposed as decimals truncated after 12 fraction digits (FlowSeriesTextWriter.appendRate). */
    private static final double RATE_DIGITS = 1e-12;
    private static final String[] PORT = {"dst_port"};
    private static final String[] PORT_80 = {"80"};
    private static final String[] PORT_WINDOW = {"dst_port", "window"};

    private final ManualClock clock = new ManualClock(T0_NS);

    private AggregationEngine engine(final boolean spread)
    {
        return new AggregationEngine(
            new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT, List.of(Dimension.DST_PORT), MINUTE_NS,
                100, 65 * MINUTE_NS, spread, 0, List.of()),
            metrics(List.of(LabelGroup.values()), Map.of()), clock);
    }

    private static FlowRecord port80(final long bytes)
    {
        return ipv4Flow(1, 2, 6, 1000, 80, bytes, 1);
    }

    private double bandwidth(final CollectorRegistry registry, final long atNs)
    {
        clock.nowNs = atNs;
        return registry.getSampleValue("flow_bandwidth_bps", PORT, PORT_80);
    }

    @Test
    void shouldSaturateAndNeverDecreaseWhenScaledBytesWouldWrapTheCounter()
    {
        final AggregationEngine engine = engine(false);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));
        final FlowRecord huge = port80(FlowRecord.MAX_COUNTER);
        huge.packets = FlowRecord.MAX_COUNTER;
        huge.samplingRate = FlowRecord.MAX_SAMPLING_RATE;   // 2^48 x 2^24 = 2^72: saturates
        engine.onFlowRecord(huge, T0_NS);
        engine.onFlowRecord(huge, T0_NS + SECOND_NS);
        final Double afterTwo = registry.getSampleValue("flow_bytes_total", PORT, PORT_80);
        engine.onFlowRecord(port80(1500), T0_NS + 2 * SECOND_NS);
        clock.nowNs = T0_NS + 3 * SECOND_NS;

        assertEquals((double)Long.MAX_VALUE, afterTwo);
        assertEquals((double)Long.MAX_VALUE, registry.getSampleValue("flow_bytes_total", PORT, PORT_80));
        assertEquals((double)Long.MAX_VALUE, registry.getSampleValue("flow_packets_total", PORT, PORT_80));
        assertEquals((double)Long.MAX_VALUE / 300, registry.getSampleValue(
            "flow_window_bytes_per_second", PORT_WINDOW, new String[]{"80", "5m"}), RATE_DIGITS);
    }

    @Test
    void shouldGiveEightTimesBytesOverWindowWhenScrapedOnBucketBoundaries()
    {
        final AggregationEngine engine = engine(false);
        engine.onFlowRecord(port80(6000), T0_NS);
        engine.onFlowRecord(port80(1500), T0_NS + 30 * SECOND_NS);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));

        assertEquals(8.0 * 7500 / 60, bandwidth(registry, T0_NS + 60 * SECOND_NS));
        assertEquals(8.0 * 1500 / 60, bandwidth(registry, T0_NS + 90 * SECOND_NS));
        assertEquals(0.0, bandwidth(registry, T0_NS + 95 * SECOND_NS));
    }

    @Test
    void shouldDropOldestBucketWhenScrapedBetweenBoundaries()
    {
        final AggregationEngine engine = engine(false);
        engine.onFlowRecord(port80(6000), T0_NS);
        engine.onFlowRecord(port80(1500), T0_NS + 30 * SECOND_NS);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));

        assertEquals(8.0 * 1500 / 60, bandwidth(registry, T0_NS + 60 * SECOND_NS + 1));
        assertEquals(8.0 * 7500 / 60, bandwidth(registry, T0_NS + 59 * SECOND_NS));
    }

    @Test
    void shouldDivideByWholeWindowWhenSeriesIsYoungerThanWindow()
    {
        final AggregationEngine engine = engine(false);
        engine.onFlowRecord(port80(3000), T0_NS + 45 * SECOND_NS);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));

        clock.nowNs = T0_NS + 50 * SECOND_NS;
        assertEquals(8.0 * 3000 / 60, registry.getSampleValue("flow_bandwidth_bps", PORT, PORT_80));
        assertEquals(3000.0 / 300, registry.getSampleValue(
            "flow_window_bytes_per_second", PORT_WINDOW, new String[]{"80", "5m"}), RATE_DIGITS);
        assertEquals(1.0 / 900, registry.getSampleValue(
            "flow_window_packets_per_second", PORT_WINDOW, new String[]{"80", "15m"}), RATE_DIGITS);
        assertEquals(1.0 / 3600, registry.getSampleValue(
            "flow_window_flows_per_second", PORT_WINDOW, new String[]{"80", "1h"}), RATE_DIGITS);
    }

    @Test
    void shouldDropToZeroThenDisappearWhenTrafficStops()
    {
        final AggregationEngine engine = engine(false);
        engine.onFlowRecord(port80(3000), T0_NS);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));

        clock.nowNs = T0_NS + 60 * MINUTE_NS;
        assertEquals(3000.0 / 3600, registry.getSampleValue(
            "flow_window_bytes_per_second", PORT_WINDOW, new String[]{"80", "1h"}), RATE_DIGITS);
        assertEquals(0.0, registry.getSampleValue("flow_bandwidth_bps", PORT, PORT_80));
        clock.nowNs = T0_NS + 60 * MINUTE_NS + 1;
        assertEquals(0.0, registry.getSampleValue(
            "flow_window_bytes_per_second", PORT_WINDOW, new String[]{"80", "1h"}), RATE_DIGITS);
        assertEquals(3000.0, registry.getSampleValue("flow_bytes_total", PORT, PORT_80));
        clock.nowNs = T0_NS + 65 * MINUTE_NS + 1;
        assertNull(registry.getSampleValue("flow_bytes_total", PORT, PORT_80));
        assertNull(registry.getSampleValue("flow_bandwidth_bps", PORT, PORT_80));
    }

    @Test
    void shouldEqualBruteForceWindowSumsAtEveryScrapeTime()
    {
        final long seed = 0xB0C4E7L;
        final Random random = new Random(seed);
        final List<Long> windowsNs = AggregationSettings.TIME_WINDOWS_DEFAULT;
        final SlidingWindows windows = new SlidingWindows(windowsNs);
        final UnsafeBuffer record = new UnsafeBuffer(new byte[windows.length()]);
        final int count = 5000;
        final long[] times = new long[count];
        final long[] bytes = new long[count];
        long t = T0_NS;
        for (int i = 0; i < count; i++)
        {
            t += random.nextInt(3) == 0 ? random.nextInt(5) * SECOND_NS : (long)random.nextInt(4_000_000) * 1000;
            times[i] = t;
            bytes[i] = 1 + random.nextInt(100_000);
        }

        int next = 0;
        final long[] totals = new long[3];
        for (long scrape = T0_NS; scrape <= t; scrape += 1_700_000_000L + random.nextInt(3) * 2_500_000_000L)
        {
            while (next < count && times[next] <= scrape)
            {
                windows.add(record, 0, times[next], bytes[next], 2, 1);
                next++;
            }
            for (int w = 0; w < windowsNs.size(); w++)
            {
                final long bucketNs = windowsNs.get(w) / SlidingWindows.BUCKETS_PER_WINDOW;
                final long fromNs = -Math.floorDiv(windowsNs.get(w) - scrape, bucketNs) * bucketNs;
                long expectedBytes = 0;
                long expectedFlows = 0;
                for (int i = 0; i < next; i++)
                {
                    if (times[i] >= fromNs)
                    {
                        expectedBytes += bytes[i];
                        expectedFlows++;
                    }
                }
                windows.sum(record, 0, w, scrape, totals);
                assertArrayEquals(new long[]{expectedBytes, 2 * expectedFlows, expectedFlows}, totals,
                    "seed " + seed + " window " + w + " scrape " + scrape);
            }
        }
    }

    @Test
    void shouldSpreadLongFlowOverItsDurationCappedAtLongestWindow()
    {
        final AggregationEngine engine = engine(true);
        final FlowRecord flow = port80(1200);
        flow.timeFlowStartNs = 1_000 * SECOND_NS;
        flow.timeFlowEndNs = 1_120 * SECOND_NS;
        final long receivedNs = T0_NS + 10 * MINUTE_NS;
        engine.onFlowRecord(flow, receivedNs);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));

        clock.nowNs = receivedNs;
        assertEquals(8.0 * 600 / 60, registry.getSampleValue("flow_bandwidth_bps", PORT, PORT_80));
        assertEquals(1200.0 / 300, registry.getSampleValue(
            "flow_window_bytes_per_second", PORT_WINDOW, new String[]{"80", "5m"}), RATE_DIGITS);
        assertEquals(1200.0, registry.getSampleValue("flow_bytes_total", PORT, PORT_80));
        clock.nowNs = receivedNs + 30 * SECOND_NS;
        assertEquals(8.0 * 300 / 60, registry.getSampleValue("flow_bandwidth_bps", PORT, PORT_80));
    }

    @Test
    void shouldKeepFlowTotalsExactWhenSpreadFlowIsLongerThanLongestWindow()
    {
        final AggregationEngine engine = engine(true);
        final FlowRecord flow = port80(7_777_777);
        flow.packets = 3333;
        flow.timeFlowStartNs = SECOND_NS;
        flow.timeFlowEndNs = SECOND_NS + 5 * 3600 * SECOND_NS;
        final long receivedNs = T0_NS + 7 * SECOND_NS;
        engine.onFlowRecord(flow, receivedNs);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));

        clock.nowNs = receivedNs;
        assertEquals(7_777_777.0 / 3600, registry.getSampleValue(
            "flow_window_bytes_per_second", PORT_WINDOW, new String[]{"80", "1h"}), RATE_DIGITS);
        assertEquals(3333.0 / 3600, registry.getSampleValue(
            "flow_window_packets_per_second", PORT_WINDOW, new String[]{"80", "1h"}), RATE_DIGITS);
    }

    @Test
    void shouldCoverOneSecondWindowWhichIsNotAMultipleOfTwelveNanoseconds()
    {
        final SlidingWindows windows = new SlidingWindows(List.of(SECOND_NS));
        final UnsafeBuffer record = new UnsafeBuffer(new byte[windows.length()]);
        final long[] totals = new long[3];
        final long bucketNs = 83_333_333L;
        final long base = (T0_NS / bucketNs) * bucketNs;
        windows.add(record, 0, base, 10, 1, 1);
        windows.add(record, 0, base + 12 * bucketNs - 1, 20, 1, 1);

        windows.sum(record, 0, 0, base + 12 * bucketNs, totals);
        assertEquals(30, totals[0], "[T - 1 s, T) starts 4 ns before the first record");
        windows.sum(record, 0, 0, base + 13 * bucketNs, totals);
        assertEquals(20, totals[0]);
        windows.sum(record, 0, 0, base + 23 * bucketNs, totals);
        assertEquals(20, totals[0]);
        windows.sum(record, 0, 0, base + 23 * bucketNs + 4, totals);
        assertEquals(20, totals[0], "1 s = 12 buckets + 4 ns: T - 1 s is exactly the second bucket's start");
        windows.sum(record, 0, 0, base + 23 * bucketNs + 5, totals);
        assertEquals(0, totals[0], "the second record's bucket now starts before T - 1 s");
    }
}
