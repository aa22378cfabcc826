package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.prometheus.client.CollectorRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScrapeExpositionTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;

    private AggregationEngine engine;
    private final CollectorRegistry registry = new CollectorRegistry();

    @BeforeEach
    void start()
    {
        final AggregationSettings aggregation = new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT,
            List.of(Dimension.DST_PORT), AggregationSettings.MINUTE_NS, 10, 65 * AggregationSettings.MINUTE_NS,
            false, 0, List.of());
        final MetricsSettings metrics = new MetricsSettings("flow", "", List.of(LabelGroup.values()), Map.of(), false);
        engine = new AggregationEngine(aggregation, metrics, () -> T0_NS);
        final FlowRecord r = new FlowRecord();
        r.proto = 6;
        r.dstPort = 443;
        r.bytes = 1234;
        r.packets = 2;
        engine.onFlowRecord(r, T0_NS);
        registry.register(AggregationStateCollector.of(engine));
    }

    private String scrape(final FlowSeriesTextWriter flowSeries) throws IOException
    {
        final StringWriter text = new StringWriter();
        new ScrapeExposition(registry, flowSeries).write(text);
        return text.toString();
    }

    @Test
    void shouldWriteTableMetricsThenStreamedFlowSeries() throws IOException
    {
        final String body = scrape(FlowSeriesTextWriter.of(engine));

        assertTrue(body.contains("flow_bytes_total{dst_port=\"443\"} 1234\n"), body);
        assertTrue(body.contains("flow_aggregation_series{view=\"main\"} 1\n"), body);
        assertEquals(1, body.split("# TYPE flow_bytes_total counter").length - 1, "flow series not also in the registry");
        assertTrue(body.indexOf("flow_aggregation_series") < body.indexOf("flow_bytes_total"), body);
    }

    @Test
    void shouldWriteRegistryAloneWithoutFlowSeries() throws IOException
    {
        final StringWriter expected = new StringWriter();
        ExpositionText.write(expected, registry.metricFamilySamples());

        final String body = scrape(null);

        assertEquals(expected.toString(), body);
        assertTrue(body.contains("flow_aggregation_series{view=\"main\"} 1\n"), body);
    }

    @Test
    void shouldNameTextFormat004()
    {
        assertEquals("text/plain; version=0.0.4; charset=utf-8", ScrapeExposition.CONTENT_TYPE);
    }
}
