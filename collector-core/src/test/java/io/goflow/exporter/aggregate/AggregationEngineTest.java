package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.ViewSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.goflow.exporter.aggregate.TestFlows.MINUTE_NS;
import static io.goflow.exporter.aggregate.TestFlows.SECOND_NS;
import static io.goflow.exporter.aggregate.TestFlows.T0_NS;
import static io.goflow.exporter.aggregate.TestFlows.aggregation;
import static io.goflow.exporter.aggregate.TestFlows.count;
import static io.goflow.exporter.aggregate.TestFlows.ipv4;
import static io.goflow.exporter.aggregate.TestFlows.ipv4Flow;
import static io.goflow.exporter.aggregate.TestFlows.metrics;
import static io.goflow.exporter.aggregate.TestFlows.registry;
import static io.goflow.exporter.aggregate.TestFlows.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregationEngineTest
{
    private static final long TTL_NS = 70 * MINUTE_NS;
    private static final List<Dimension> FIVE_TUPLE = List.of(
        Dimension.SRC_ADDR, Dimension.DST_ADDR, Dimension.PROTOCOL, Dimension.SRC_PORT, Dimension.DST_PORT);
    private static final String[] FIVE_TUPLE_LABELS = {"src_addr", "dst_addr", "protocol", "src_port", "dst_port"};

    private final ManualClock clock = new ManualClock(T0_NS);

    private AggregationEngine engine(final List<Dimension> dimensions, final int maxSeries, final List<ViewSettings> views)
    {
        return new AggregationEngine(
            aggregation(dimensions, maxSeries, TTL_NS, views), metrics(List.of(LabelGroup.values()), Map.of()), clock);
    }

    @Test
    void shouldScaleBytesAndPacketsButNotFlowsWhenSamplingRateIsSet()
    {
        final AggregationEngine engine = engine(FIVE_TUPLE, 100, List.of());
        final FlowRecord a = ipv4Flow(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2), 6, 1234, 80, 1500, 3);
        a.samplingRate = 10;
        final FlowRecord b = ipv4Flow(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2), 6, 1234, 80, 40, 1);
        b.samplingRate = 10;

        engine.onFlowRecord(a, T0_NS);
        engine.onFlowRecord(b, T0_NS);
        engine.onEndOfBatch(T0_NS);

        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));
        final String[] values = {"10.0.0.1", "10.0.0.2", "6", "1234", "80"};
        assertEquals(2.0, registry.getSampleValue("flow_flows_total", FIVE_TUPLE_LABELS, values));
        assertEquals(15_400.0, registry.getSampleValue("flow_bytes_total", FIVE_TUPLE_LABELS, values));
        assertEquals(40.0, registry.getSampleValue("flow_packets_total", FIVE_TUPLE_LABELS, values));
    }

    @Test
    void shouldAggregateAwayDimensionWhenItsLabelGroupIsDisabled()
    {
        final AggregationEngine engine = new AggregationEngine(
            aggregation(List.of(Dimension.SRC_ADDR, Dimension.DST_PORT, Dimension.SRC_ASN), 100, TTL_NS, List.of()),
            metrics(List.of(), Map.of()), clock);
        final FlowRecord a = ipv4Flow(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2), 6, 1234, 80, 100, 1);
        a.srcAsn = 15169;
        final FlowRecord b = ipv4Flow(ipv4(10, 0, 0, 1), ipv4(10, 0, 0, 2), 6, 1234, 443, 200, 2);

        engine.onFlowRecord(a, T0_NS);
        engine.onFlowRecord(b, T0_NS);
        engine.onEndOfBatch(T0_NS);

        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));
        assertEquals(2.0, registry.getSampleValue("flow_flows_total", new String[]{"src_addr"}, new String[]{"10.0.0.1"}));
        assertEquals(300.0, registry.getSampleValue("flow_bytes_total", new String[]{"src_addr"}, new String[]{"10.0.0.1"}));
        assertEquals(1, count(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
    }

    /** The start-up check's estimate is what the JVM's direct buffer pool grows by, to the byte. */
    @Test
    void shouldAllocateExactlyTheOffHeapBytesEstimatedBeforehand()
    {
        final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(p -> "direct".equals(p.getName())).findFirst().orElseThrow();
        final var aggregation = aggregation(FIVE_TUPLE, 5000, TTL_NS, List.of(
            new ViewSettings("ports", List.of(Dimension.DST_PORT, Dimension.PROTOCOL), 300, 0),
            new ViewSettings("pairs", List.of(Dimension.SRC_ADDR, Dimension.DST_ADDR), 0, 0)));
        final var metrics = metrics(List.of(LabelGroup.values()), Map.of());
        final long estimate = AggregationEngine.offHeapBytes(aggregation, metrics);
        // the pool is JVM-wide: a buffer of another test freed by its cleaner meanwhile skews one
        // measurement, so a few are taken and one must match exactly
        final List<Long> measured = new java.util.ArrayList<>();
        for (int attempt = 0; attempt < 5 && !measured.contains(estimate); attempt++)
        {
            final long before = direct.getTotalCapacity();
            final AggregationEngine engine = new AggregationEngine(aggregation, metrics, clock);
            measured.add(direct.getTotalCapacity() - before);
            assertEquals(3, engine.views().size());
            engine.close();
        }
        assertTrue(measured.contains(estimate), "estimate " + estimate + ", allocated " + measured);
        assertTrue(estimate > 5000L * 64 * 3, "three tables of at least 64-byte records: " + estimate);
    }

    @Test
    void shouldExportExtraViewUnderItsOwnNamesSoSumsNeverDoubleCount()
    {
        final AggregationEngine engine = engine(FIVE_TUPLE, 100,
            List.of(new ViewSettings("ports", List.of(Dimension.DST_PORT), 0, 0)));
        for (int i = 0; i < 30; i++)
        {
            engine.onFlowRecord(ipv4Flow(ipv4(10, 0, 0, i), ipv4(10, 0, 1, 1), 17, 5000 + i, 53 + i % 3, 100, 1), T0_NS);
        }
        engine.onEndOfBatch(T0_NS);

        final Collector collector = ScrapedFlowMetrics.of(engine);
        assertEquals(30.0, sum(collector, "flow_flows_total"));
        assertEquals(3000.0, sum(collector, "flow_bytes_total"));
        assertEquals(30.0, sum(collector, "flow_ports_flows_total"));
        assertEquals(3000.0, sum(collector, "flow_ports_bytes_total"));
        assertEquals(3, count(collector, "flow_ports_flows_total"));
        assertEquals(10.0, registry(collector).getSampleValue(
            "flow_ports_flows_total", new String[]{"dst_port"}, new String[]{"54"}));
    }

    @Test
    void shouldCountNewKeysIntoOneOverflowSeriesWhenTableIsFull()
    {
        final AggregationEngine engine = engine(List.of(Dimension.SRC_ADDR, Dimension.DST_PORT), 4, List.of());
        for (int i = 0; i < 10; i++)
        {
            engine.onFlowRecord(ipv4Flow(ipv4(192, 0, 2, i), ipv4(10, 0, 0, 1), 6, 1000, 80, 10 + i, 1), T0_NS);
        }
        engine.onEndOfBatch(T0_NS);

        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));
        assertEquals(6.0, registry.getSampleValue("flow_flows_total",
            new String[]{"src_addr", "dst_port"}, new String[]{"__overflow__", "__overflow__"}));
        assertEquals(10.0 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19, sum(ScrapedFlowMetrics.of(engine), "flow_bytes_total"));
        assertEquals(10.0, sum(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
        assertEquals(6.0, registry.getSampleValue("flow_aggregation_overflow_records_total",
            new String[]{"view"}, new String[]{"main"}));
        assertEquals(4.0, registry.getSampleValue("flow_aggregation_series", new String[]{"view"}, new String[]{"main"}));
    }

    @Test
    void shouldStayBoundedAndExactWhenTenMillionDistinctKeysFlood()
    {
        final AggregationEngine engine = engine(List.of(Dimension.SRC_ADDR, Dimension.DST_ADDR), 1000, List.of());
        final long memoryBefore = engine.viewMemoryBytes();
        final FlowRecord record = ipv4Flow(0, ipv4(10, 0, 0, 1), 6, 1, 2, 0, 1);
        final int keys = 10_000_000;
        long expectedBytes = 0;
        for (int i = 0; i < keys; i++)
        {
            record.srcIpv4(0x0A00_0000 + i);
            record.bytes = 40 + (i & 1023);
            expectedBytes += record.bytes;
            engine.onFlowRecord(record, T0_NS + i);
            if ((i & 4095) == 0)
            {
                engine.onEndOfBatch(T0_NS + i);
            }
        }
        engine.onEndOfBatch(T0_NS + keys);

        final AggregationView main = engine.views().get(0);
        assertEquals(1000, main.seriesCount());
        assertEquals(keys - 1000, main.overflowRecords());
        assertEquals(memoryBefore, engine.viewMemoryBytes());
        assertEquals((double)keys, sum(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
        assertEquals((double)expectedBytes, sum(ScrapedFlowMetrics.of(engine), "flow_bytes_total"));
        assertEquals(1001, count(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
    }

    @Test
    void shouldShowEveryRecordWhenScrapedAfterLastEndOfBatch()
    {
        final AggregationEngine engine = engine(FIVE_TUPLE, 10_000, List.of());
        final Random random = new Random(0xF2E5L);
        final Map<String, long[]> truth = new HashMap<>();
        final FlowRecord record = new FlowRecord();
        for (int i = 0; i < 50_000; i++)
        {
            final int src = ipv4(10, 0, 0, random.nextInt(50));
            final int dstPort = 1 + random.nextInt(40);
            final FlowRecord r = ipv4Flow(src, ipv4(10, 9, 9, 9), 17, 999, dstPort, 1 + random.nextInt(1500), 1 + random.nextInt(5));
            r.samplingRate = random.nextInt(3);
            record.copyFrom(r);
            engine.onFlowRecord(record, T0_NS + i * 1000L);
            final long[] t = truth.computeIfAbsent(((src & 0xFF) + "|" + dstPort), k -> new long[3]);
            t[0]++;
            t[1] += r.bytes * Math.max(1, r.samplingRate);
            t[2] += r.packets * Math.max(1, r.samplingRate);
        }
        engine.onEndOfBatch(T0_NS + 50_000_000L);

        final Map<String, Double> scraped = TestFlows.scrape(ScrapedFlowMetrics.of(engine));
        for (final Map.Entry<String, long[]> e : truth.entrySet())
        {
            final String[] parts = e.getKey().split("\\|");
            final String labels = "|10.0.0." + parts[0] + "|10.9.9.9|17|999|" + parts[1];
            assertEquals((double)e.getValue()[0], scraped.get("flow_flows_total" + labels));
            assertEquals((double)e.getValue()[1], scraped.get("flow_bytes_total" + labels));
            assertEquals((double)e.getValue()[2], scraped.get("flow_packets_total" + labels));
        }
        assertEquals(truth.size(), count(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
    }

    @Test
    void shouldDropSeriesAfterTtlAndRestartItsCountersWhenTrafficReturns()
    {
        final AggregationEngine engine = engine(List.of(Dimension.DST_PORT), 100, List.of());
        engine.onFlowRecord(ipv4Flow(1, 2, 6, 1, 80, 500, 5), T0_NS);
        engine.onEndOfBatch(T0_NS);
        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));
        final String[] names = {"dst_port"};
        final String[] values = {"80"};

        clock.nowNs = T0_NS + TTL_NS;
        assertEquals(500.0, registry.getSampleValue("flow_bytes_total", names, values));
        assertEquals(0.0, registry.getSampleValue("flow_bandwidth_bps", names, values));

        clock.nowNs = T0_NS + TTL_NS + 1;
        assertNull(registry.getSampleValue("flow_bytes_total", names, values));
        engine.onEndOfBatch(clock.nowNs);
        assertEquals(1.0, registry.getSampleValue("flow_aggregation_evicted_series_total",
            new String[]{"view"}, new String[]{"main"}));
        assertEquals(0.0, registry.getSampleValue("flow_aggregation_series", new String[]{"view"}, new String[]{"main"}));

        engine.onFlowRecord(ipv4Flow(1, 2, 6, 1, 80, 70, 1), clock.nowNs);
        assertEquals(70.0, registry.getSampleValue("flow_bytes_total", names, values));
    }

    @Test
    void shouldKeepLatestInterfaceCountersPerExporterAndIfIndex()
    {
        final AggregationEngine engine = engine(FIVE_TUPLE, 10, List.of());
        final FlowRecord counters = new FlowRecord();
        counters.kind = FlowRecord.Kind.INTERFACE_COUNTERS;
        counters.samplerIpv4(ipv4(192, 0, 2, 10));
        counters.ifIndex = 7;
        counters.ifSpeed = 1_000_000_000L;
        counters.ifInOctets = 1000;
        counters.ifOutOctets = 2000;
        engine.onInterfaceCounters(counters, T0_NS);
        counters.ifInOctets = 1500;
        counters.ifOutDiscards = 3;
        engine.onInterfaceCounters(counters, T0_NS + SECOND_NS);

        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));
        final String[] names = {"exporter", "if_index"};
        final String[] values = {"192.0.2.10", "7"};
        assertEquals(1500.0, registry.getSampleValue("flow_interface_in_octets_total", names, values));
        assertEquals(2000.0, registry.getSampleValue("flow_interface_out_octets_total", names, values));
        assertEquals(3.0, registry.getSampleValue("flow_interface_out_discards_total", names, values));
        assertEquals(1e9, registry.getSampleValue("flow_interface_speed_bps",
            new String[]{"exporter", "if_index", "if_name"}, new String[]{"192.0.2.10", "7", ""}));
        assertEquals(0, count(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
    }

    @Test
    void shouldExportMemoryFixedAtStartPerView()
    {
        final AggregationEngine engine = engine(FIVE_TUPLE, 1000,
            List.of(new ViewSettings("ports", List.of(Dimension.DST_PORT), 10, 0)));
        final AggregationView main = engine.views().get(0);
        final AggregationView ports = engine.views().get(1);

        final CollectorRegistry registry = registry(ScrapedFlowMetrics.of(engine));
        assertEquals((double)main.memoryBytes(), registry.getSampleValue(
            "flow_aggregation_memory_bytes", new String[]{"view"}, new String[]{"main"}));
        assertEquals((double)ports.memoryBytes(), registry.getSampleValue(
            "flow_aggregation_memory_bytes", new String[]{"view"}, new String[]{"ports"}));
        // 5-tuple key 37 -> 40 bytes; record 24 + 40 + 24 + 4 x 8 + 4 x 312 = 1368 -> 1408 (64-aligned);
        // 1001 records + 2048 index slots x 8 + 1000 free ids x 4 + a 40-byte key scratch.
        assertEquals(1001L * 1408 + 2048 * 8 + 1000 * 4 + 40, main.memoryBytes());
        // dst_port key 2 -> 8 bytes; record 24 + 8 + 24 + 32 + 1248 = 1336 -> 1344; 11 records, 32 slots.
        assertEquals(11L * 1344 + 32 * 8 + 10 * 4 + 8, ports.memoryBytes());
    }

    @Test
    void shouldExportOnlyTopKSeriesByBandwidthWindowBytesWhenTopKSet()
    {
        final AggregationEngine engine = engine(FIVE_TUPLE, 100,
            List.of(new ViewSettings("top", List.of(Dimension.DST_PORT), 0, 3)));
        for (int port = 1; port <= 20; port++)
        {
            engine.onFlowRecord(ipv4Flow(1, 2, 6, 9, port, port == 7 ? 50_000 : 100L * port, 1), T0_NS);
        }
        engine.onFlowRecord(ipv4Flow(1, 2, 6, 9, 1, 1_000_000, 1), T0_NS - 2 * MINUTE_NS);

        final Map<String, Double> scraped = TestFlows.scrape(ScrapedFlowMetrics.of(engine));
        assertEquals(4, count(ScrapedFlowMetrics.of(engine), "flow_top_flows_total"));
        assertEquals(50_000.0, scraped.get("flow_top_bytes_total|7"));
        assertEquals(2000.0, scraped.get("flow_top_bytes_total|20"));
        assertEquals(1900.0, scraped.get("flow_top_bytes_total|19"));
        long others = 1_000_000;
        for (int port = 1; port <= 18; port++)
        {
            others += port == 7 ? 0 : 100L * port;
        }
        assertEquals((double)others, scraped.get("flow_top_bytes_total|__other__"));
        assertEquals(18.0, scraped.get("flow_top_flows_total|__other__"), "17 ports once, port 1 twice");
        assertEquals(TestFlows.sum(ScrapedFlowMetrics.of(engine), "flow_bytes_total"),
            TestFlows.sum(ScrapedFlowMetrics.of(engine), "flow_top_bytes_total"), "top K plus __other__ is the whole view");
        assertEquals(20, count(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
    }

    @Test
    void shouldReuseEvictedSlotsForNewKeysWhenOldSeriesExpire()
    {
        final AggregationEngine engine = engine(List.of(Dimension.SRC_ADDR), 1000, List.of());
        final FlowRecord record = ipv4Flow(0, 1, 6, 1, 2, 100, 1);
        for (int i = 0; i < 1000; i++)
        {
            record.srcIpv4(0x0A00_0000 + i);
            engine.onFlowRecord(record, T0_NS);
        }
        engine.onEndOfBatch(T0_NS);
        final long later = T0_NS + TTL_NS + SECOND_NS;
        engine.onEndOfBatch(later);
        for (int i = 0; i < 1000; i++)
        {
            record.srcIpv4(0x0B00_0000 + i);
            engine.onFlowRecord(record, later);
        }
        engine.onEndOfBatch(later);

        final AggregationView main = engine.views().get(0);
        assertEquals(1000, main.evictedSeries());
        assertEquals(0, main.overflowRecords());
        assertEquals(1000, main.seriesCount());
        clock.nowNs = later;
        assertEquals(100_000.0, sum(ScrapedFlowMetrics.of(engine), "flow_bytes_total"));
        assertNull(registry(ScrapedFlowMetrics.of(engine)).getSampleValue(
            "flow_bytes_total", new String[]{"src_addr"}, new String[]{"10.0.0.5"}));
        assertEquals(100.0, registry(ScrapedFlowMetrics.of(engine)).getSampleValue(
            "flow_bytes_total", new String[]{"src_addr"}, new String[]{"11.0.0.5"}));
    }
}
