package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.MemoryPoolsExports;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpositionTextTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;
    /** One sample line in the scrape's style: no trailing comma, integral values without a fraction. */
    private static final Pattern STYLE = Pattern.compile(
        "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\"" +
        "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*})? " +
        "(-?[0-9]+|-?[0-9]+\\.[0-9]*[1-9]|-?[0-9]\\.[0-9]+e-?[0-9]+|\\+Inf|-Inf|NaN)");

    private static String value(final double v)
    {
        return ExpositionText.appendValue(new StringBuilder(), v).toString();
    }

    @Test
    void shouldWriteIntegralValuesAsIntegersAndOthersInShortestForm()
    {
        assertEquals("243", value(243.0));
        assertEquals("0", value(-0.0));
        assertEquals("-7", value(-7.0));
        assertEquals("9007199254740992", value(0x1p53));
        assertEquals("0.25", value(0.25));
        assertEquals("1.7962838460404937e9", value(1.7962838460404937E9 + 0.0));
        assertEquals("1.0e-4", value(1e-4));
        assertEquals("9.223372036854776e18", value(0x1p63));
        assertEquals("+Inf", value(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", value(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", value(Double.NaN));
    }

    @Test
    void shouldEscapeLabelValuesAndHelpAsTheTextFormatRequires()
    {
        assertEquals("a\\\\b\\\"c\\nd", ExpositionText.appendEscaped(new StringBuilder(), "a\\b\"c\nd", true).toString());
        assertEquals("a\\\\b\"c\\nd", ExpositionText.appendEscaped(new StringBuilder(), "a\\b\"c\nd", false).toString());
    }

    /** Every kind of family simpleclient has, written by us and by simpleclient: the same samples. */
    @Test
    void shouldCarryTheSameSamplesAsSimpleclientsTextFormat() throws IOException
    {
        final CollectorRegistry registry = new CollectorRegistry();
        Counter.build("c_requests", "requests \\ with \"quotes\"\nand a newline").labelNames("path")
            .register(registry).labels("/a\"b\\c\nd").inc(3);
        Gauge.build("g_temperature", "a gauge").register(registry).set(21.5);
        final Histogram h = Histogram.build("h_latency_seconds", "a histogram").buckets(0.01, 0.1).register(registry);
        h.observe(0.05);
        h.observe(5);
        new MemoryPoolsExports().register(registry);

        final StringWriter ours = new StringWriter();
        ExpositionText.write(ours, registry.metricFamilySamples());
        final StringWriter reference = new StringWriter();
        TextFormat.write004(reference, registry.metricFamilySamples());

        final Map<String, Double> expected = FlowSeriesTextWriterTest.parse(reference.toString());
        final Map<String, Double> actual = FlowSeriesTextWriterTest.parse(ours.toString());
        assertTrue(expected.size() > 20, "samples " + expected.size());
        assertEquals(expected.keySet(), actual.keySet());
        for (final Map.Entry<String, Double> e : expected.entrySet())
        {
            if (!e.getKey().startsWith("jvm_"))
            {
                assertEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
            }
        }
        assertEquals(comments(reference.toString()), comments(ours.toString()));
    }

    /** Registry families and streamed flow series in one scrape, with custom labels: one style. */
    @Test
    void shouldWriteOneStyleThroughoutAScrape() throws IOException
    {
        final Map<String, String> custom = new LinkedHashMap<>();
        custom.put("site", "a\"b");
        final AggregationSettings aggregation = new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT,
            List.of(Dimension.DST_PORT, Dimension.IN_IF), AggregationSettings.MINUTE_NS, 10,
            65 * AggregationSettings.MINUTE_NS, false, 0, List.of());
        final MetricsSettings metrics = new MetricsSettings("flow", "", List.of(LabelGroup.values()), custom, false);
        final AggregationEngine engine = new AggregationEngine(aggregation, metrics, () -> T0_NS);
        final FlowRecord r = new FlowRecord();
        r.proto = 6;
        r.dstPort = 443;
        r.bytes = 1234;
        r.packets = 3;
        engine.onFlowRecord(r, T0_NS);
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(AggregationStateCollector.of(engine));
        Gauge.build("flow_test_ratio", "a fraction").register(registry).set(1.0 / 3);

        final StringWriter text = new StringWriter();
        new ScrapeExposition(registry, FlowSeriesTextWriter.of(engine)).write(text);
        int samples = 0;
        for (final String line : text.toString().split("\n"))
        {
            if (!line.startsWith("#"))
            {
                assertTrue(STYLE.matcher(line).matches(), line);
                samples++;
            }
        }
        assertTrue(samples > 15, "samples " + samples);
        assertTrue(text.toString().contains("flow_bytes_total{dst_port=\"443\",in_if=\"0\",site=\"a\\\"b\"} 1234\n"),
            text.toString());
        assertTrue(text.toString().contains("flow_aggregation_series{view=\"main\",site=\"a\\\"b\"} 1\n"),
            text.toString());
        assertTrue(text.toString().contains("flow_test_ratio 0.3333333333333333\n"), text.toString());
    }

    private static List<String> comments(final String exposition)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : exposition.split("\n"))
        {
            if (line.startsWith("#"))
            {
                out.add(line);
            }
        }
        return out;
    }
}
