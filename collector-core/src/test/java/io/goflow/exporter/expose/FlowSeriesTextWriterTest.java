package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.ViewSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowSeriesTextWriterTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    /** What {@link #engineWithTraffic} sent to each engine: per dst_port label {flows, scaled bytes, scaled packets}. */
    private static final Map<AggregationEngine, Map<String, long[]>> SENT = new java.util.IdentityHashMap<>();
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** @return sample lines keyed by name and labels (in order), valued as doubles; comments skipped. */
    static Map<String, Double> parse(final String exposition)
    {
        final Map<String, Double> samples = new LinkedHashMap<>();
        for (final String line : exposition.split("\n"))
        {
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), line);
            final StringBuilder key = new StringBuilder(m.group(1));
            if (m.group(3) != null)
            {
                final Matcher label = LABEL.matcher(m.group(3));
                while (label.find())
                {
                    key.append('|').append(label.group(1)).append('=').append(label.group(2));
                }
            }
            samples.put(key.toString(), "+Inf".equals(m.group(4)) ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(4)));
        }
        return samples;
    }

    private static AggregationEngine engineWithTraffic(final Map<String, String> custom, final int topK)
    {
        return engineWithTraffic(custom, topK, true);
    }

    private static AggregationEngine engineWithTraffic(
        final Map<String, String> custom, final int topK, final boolean windowRates)
    {
        final AggregationSettings aggregation = new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT,
            List.of(Dimension.SRC_ADDR, Dimension.DST_ADDR, Dimension.PROTOCOL, Dimension.DST_PORT),
            AggregationSettings.MINUTE_NS, 300, 65 * AggregationSettings.MINUTE_NS, false, 0,
            List.of(new ViewSettings("ports", List.of(Dimension.DST_PORT), 0, topK),
                new ViewSettings("total", List.of(), 0, 0)));
        final AggregationEngine engine = new AggregationEngine(aggregation,
            new MetricsSettings("flow", "edge", List.of(LabelGroup.values()), custom, false, windowRates), () -> T0_NS + 90_000_000_000L);
        final Random random = new Random(0x7E47L);
        final FlowRecord r = new FlowRecord();
        final Map<String, long[]> perPort = new java.util.TreeMap<>();
        for (int i = 0; i < 5000; i++)
        {
            r.reset();
            if (random.nextBoolean())
            {
                r.srcIpv4(0x0A00_0000 | random.nextInt(400));
            }
            else
            {
                r.srcIpv6(0x2001_0DB8_0000_0000L, random.nextInt(50));
            }
            r.dstIpv4(0xC000_0201);
            r.proto = random.nextBoolean() ? 6 : 1;
            r.dstPort = 1 + random.nextInt(30);
            r.bytes = 1 + random.nextInt(100_000);
            r.packets = 1 + random.nextInt(100);
            r.samplingRate = random.nextInt(4);
            engine.onFlowRecord(r, T0_NS + i * 15_000_000L);
            final long scale = Math.max(r.samplingRate, 1);
            final long[] sums = perPort.computeIfAbsent(
                r.proto == 6 ? Integer.toString(r.dstPort) : "", k -> new long[3]); // ICMP has no port: empty label
            sums[0]++;
            sums[1] += r.bytes * scale;
            sums[2] += r.packets * scale;
        }
        engine.onEndOfBatch(T0_NS + 90_000_000_000L);
        SENT.put(engine, perPort);
        return engine;
    }

    /**
     * Checks the streamed flow series against the records {@link #engineWithTraffic} sent (summed
     * here, not by the aggregation): every series of every view and family, the counters exact per
     * port and in total, the rates of the windows that hold all the traffic (5m and up) exact, the
     * 1m window and the bandwidth (1m) at most the total's rate.
     */
    private static void assertSameAsSent(final AggregationEngine engine, final int topK) throws IOException
    {
        final Map<String, long[]> perPort = SENT.get(engine);
        final long[] total = new long[3];
        perPort.values().forEach(sums -> java.util.Arrays.setAll(total, i -> total[i] + sums[i]));
        final StringWriter streamed = new StringWriter();
        FlowSeriesTextWriter.of(engine).write(streamed);
        final List<io.prometheus.client.Collector.MetricFamilySamples> families =
            ScrapedFlowMetrics.parse(streamed.toString());
        final String[] counters = {"flows_total", "bytes_total", "packets_total"};
        for (int c = 0; c < counters.length; c++)
        {
            assertEquals(total[c], sum(families, "flow_edge_" + counters[c]), counters[c]);
            assertEquals(total[c], sum(families, "flow_edge_total_" + counters[c]), counters[c]);
            assertEquals(total[c], sum(families, "flow_edge_ports_" + counters[c]), counters[c]);
            final Map<String, Double> ports = new java.util.TreeMap<>();
            for (final io.prometheus.client.Collector.MetricFamilySamples.Sample sample :
                samples(families, "flow_edge_ports_" + counters[c]))
            {
                if (!"__overflow__".equals(sample.labelValues.get(0)))
                {
                    ports.put(sample.labelValues.get(0), sample.value);
                }
            }
            if (topK == 0)
            {
                final Map<String, Double> expected = new java.util.TreeMap<>();
                final int column = c;
                perPort.forEach((port, sums) -> expected.put(port, (double)sums[column]));
                assertEquals(expected, ports, counters[c]);
            }
            else
            {
                assertEquals(topK + 1, ports.size(), ports.toString());
                assertTrue(ports.containsKey("__other__"), ports.toString());
                final int column = c;
                ports.forEach((port, value) -> assertTrue(
                    "__other__".equals(port) || value == perPort.get(port)[column], port + " " + value));
            }
        }
        final String[] rates = {"flow_edge_total_window_flows_per_second", "flow_edge_total_window_bytes_per_second",
            "flow_edge_total_window_packets_per_second"};
        final int[] columns = {0, 1, 2};
        for (int c = 0; c < rates.length && engine.metricsSettings().windowRates(); c++)
        {
            for (final io.prometheus.client.Collector.MetricFamilySamples.Sample sample : samples(families, rates[c]))
            {
                final String window = sample.labelValues.get(sample.labelNames.indexOf("window"));
                final double seconds = "1m".equals(window) ? 60 : "5m".equals(window) ? 300 :
                    "15m".equals(window) ? 900 : "1h".equals(window) ? 3600 : Double.NaN;
                final double all = total[columns[c]] / seconds;
                if ("1m".equals(window))
                {
                    assertTrue(sample.value <= all + 1e-9 && sample.value > 0, window + " " + sample.value);
                }
                else
                {
                    assertEquals(all, sample.value, 1e-12 + all * 1e-12, rates[c] + " " + window);
                }
            }
        }
        final double bandwidth = sum(families, "flow_edge_total_bandwidth_bps");
        assertTrue(bandwidth > 0 && bandwidth <= 8.0 * total[1] / 60 + 1e-6, "bandwidth " + bandwidth);
        assertTrue(samples(families, "flow_edge_bytes_total").size() > 300, "main view series");
    }

    private static List<io.prometheus.client.Collector.MetricFamilySamples.Sample> samples(
        final List<io.prometheus.client.Collector.MetricFamilySamples> families, final String name)
    {
        return families.stream().flatMap(f -> f.samples.stream()).filter(sample -> sample.name.equals(name)).toList();
    }

    private static double sum(final List<io.prometheus.client.Collector.MetricFamilySamples> families, final String name)
    {
        final List<io.prometheus.client.Collector.MetricFamilySamples.Sample> matching = samples(families, name);
        assertTrue(!matching.isEmpty(), "no sample " + name);
        return matching.stream().mapToDouble(sample -> sample.value).sum();
    }

    @Test
    void shouldStreamEverySeriesAsSentWithCustomLabels() throws IOException
    {
        final Map<String, String> custom = new LinkedHashMap<>();
        custom.put("env", "prod \"blue\"");
        custom.put("dst_port", "collides and is dropped");
        assertSameAsSent(engineWithTraffic(custom, 0), 0);
    }

    @Test
    void shouldStreamTopKSeriesAsSentWithoutCustomLabels() throws IOException
    {
        assertSameAsSent(engineWithTraffic(Map.of(), 5), 5);
    }

    @Test
    void shouldLeaveOutOnlyTheWindowRatesWhenTheyAreOff() throws IOException
    {
        final StringWriter withRates = new StringWriter();
        FlowSeriesTextWriter.of(engineWithTraffic(Map.of(), 0, true)).write(withRates);
        final Map<String, Double> all = parse(withRates.toString());

        final AggregationEngine engine = engineWithTraffic(Map.of(), 0, false);
        assertSameAsSent(engine, 0);
        final StringWriter withoutRates = new StringWriter();
        FlowSeriesTextWriter.of(engine).write(withoutRates);
        final Map<String, Double> counters = parse(withoutRates.toString());

        final Map<String, Double> expected = new java.util.HashMap<>(all);
        expected.keySet().removeIf(k -> k.split("\\|")[0].contains("_window_"));
        assertTrue(all.size() > 3 * expected.size(), all.size() + " samples with rates, " + expected.size() + " without");
        assertEquals(expected, counters);
        assertTrue(!withoutRates.toString().contains("_per_second"), "no rate family header or sample");
    }

    @Test
    void shouldGroupEachFamilyUnderOneHeader() throws IOException
    {
        final StringWriter streamed = new StringWriter();
        FlowSeriesTextWriter.of(engineWithTraffic(Map.of(), 0)).write(streamed);
        final String text = streamed.toString();

        String family = null;
        final java.util.Set<String> seen = new java.util.HashSet<>();
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                family = line.split(" ")[2];
                assertTrue(seen.add(family), "family twice: " + family);
            }
            else if (!line.startsWith("#"))
            {
                final String name = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' '));
                assertEquals(family, name, line);
            }
        }
        assertTrue(seen.contains("flow_edge_total_bytes_total"), seen.toString());
    }

    @Test
    void shouldWriteRatesAsExactDecimalsTruncatedAfterTwelveDigits()
    {
        assertEquals("1000", FlowSeriesTextWriter.appendRate(new StringBuilder(), 7500, 8, 60_000_000_000L).toString());
        assertEquals("0.333333333333", FlowSeriesTextWriter.appendRate(new StringBuilder(), 20, 1, 60_000_000_000L).toString());
        assertEquals("0.000277777777", FlowSeriesTextWriter.appendRate(new StringBuilder(), 1, 1, 3_600_000_000_000L).toString());
        assertEquals("0", FlowSeriesTextWriter.appendRate(new StringBuilder(), 0, 8, 300_000_000_000L).toString());
        assertEquals("2.5", FlowSeriesTextWriter.appendRate(new StringBuilder(), 750, 1, 300_000_000_000L).toString());
        assertEquals("2000", FlowSeriesTextWriter.appendRate(new StringBuilder(), 3000, 1, 1_500_000_000L).toString());
    }

    @Test
    void shouldAllocateNoMoreForTenTimesTheSeries() throws IOException
    {
        final long small = scrapeAllocatedBytes(2_000);
        final long large = scrapeAllocatedBytes(20_000);

        assertTrue(large < small + 512 * 1024, "bytes allocated per scrape: " + small + " at 2k series, " + large + " at 20k");
    }

    /**
     * @return bytes the scraping thread allocated for the last of three scrapes of a view of
     * {@code series} distinct source addresses (into a writer that keeps nothing).
     */
    private static long scrapeAllocatedBytes(final int series) throws IOException
    {
        final AggregationSettings aggregation = new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT,
            List.of(Dimension.SRC_ADDR, Dimension.DST_PORT), AggregationSettings.MINUTE_NS, series + 16,
            65 * AggregationSettings.MINUTE_NS, false, 0, List.of());
        final AggregationEngine engine = new AggregationEngine(aggregation,
            new MetricsSettings("flow", "", List.of(LabelGroup.values()), Map.of(), false), () -> T0_NS + 1_000_000_000L);
        final FlowRecord r = new FlowRecord();
        for (int i = 0; i < series; i++)
        {
            r.reset();
            r.srcIpv4(0x0A00_0000 | i);
            r.dstPort = 443;
            r.bytes = 100 + i;
            r.packets = 1;
            engine.onFlowRecord(r, T0_NS + i);
        }
        engine.onEndOfBatch(T0_NS + series);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final CountingWriter sink = new CountingWriter();
        long allocated = 0;
        for (int i = 0; i < 3; i++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            FlowSeriesTextWriter.of(engine).write(sink);
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertTrue(sink.chars > 3L * series * 16 * 30, "text written: " + sink.chars);
        engine.close();
        return allocated;
    }

    /** Counts characters and keeps none. */
    private static final class CountingWriter extends java.io.Writer
    {
        long chars;

        @Override
        public void write(final char[] buffer, final int off, final int len)
        {
            chars += len;
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
