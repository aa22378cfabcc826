package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.ViewSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowSeriesLabelsTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;
    private static final List<Dimension> ALL = List.of(
        Dimension.EXPORTER, Dimension.SRC_ADDR, Dimension.DST_ADDR, Dimension.PROTOCOL, Dimension.SRC_PORT,
        Dimension.DST_PORT, Dimension.IN_IF, Dimension.OUT_IF, Dimension.SRC_COUNTRY, Dimension.DST_COUNTRY,
        Dimension.SRC_ASN, Dimension.DST_ASN);
    private static final String[] ALL_LABELS = {"exporter", "src_addr", "dst_addr", "protocol", "src_port",
        "dst_port", "in_if", "out_if", "src_country", "dst_country", "src_asn", "dst_asn"};

    private static AggregationEngine engine(final MetricsSettings metrics, final List<ViewSettings> views)
    {
        final AggregationSettings aggregation = new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT,
            ALL, AggregationSettings.MINUTE_NS, 100, 65 * AggregationSettings.MINUTE_NS, false, 0, views);
        return new AggregationEngine(aggregation, metrics, () -> T0_NS);
    }

    private static MetricsSettings metrics(final String namespace, final String subsystem, final Map<String, String> custom)
    {
        return new MetricsSettings(namespace, subsystem, List.of(LabelGroup.values()), custom, false);
    }

    /** 2001:db8:0:0:1:0:0:1 to 2001:db8::1 over ICMPv6, enrichment found nothing. */
    private static FlowRecord ipv6IcmpFlow()
    {
        final FlowRecord r = new FlowRecord();
        r.samplerIpv4(0xC000_020A);
        r.srcIpv6(0x2001_0DB8_0000_0000L, 0x0001_0000_0000_0001L);
        r.dstIpv6(0x2001_0DB8_0000_0000L, 0x0000_0000_0000_0001L);
        r.proto = 58;
        r.dstPort = 128 << 8;
        r.bytes = 104;
        r.packets = 1;
        return r;
    }

    private static FlowRecord ipv4TcpFlow()
    {
        final FlowRecord r = new FlowRecord();
        r.samplerIpv6(0x2001_0DB8_0000_0000L, 0x0000_0000_0000_00FFL);
        r.srcIpv4(0xC633_6407);
        r.dstIpv4(0x0A00_0001);
        r.proto = 6;
        r.srcPort = 443;
        r.dstPort = 51_000;
        r.inIf = 3;
        r.outIf = 4_000_000_000L;
        r.srcCountry = ('U' << 8) | 'S';
        r.dstCountry = ('D' << 8) | 'E';
        r.srcAsn = 15169;
        r.dstAsn = 4_200_000_000L;
        r.bytes = 1500;
        r.packets = 1;
        return r;
    }

    @Test
    void shouldRenderIpv4AndEveryKnownValueInCanonicalText()
    {
        final AggregationEngine engine = engine(metrics("flow", "", Map.of()), List.of());
        engine.onFlowRecord(ipv4TcpFlow(), T0_NS);

        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(ScrapedFlowMetrics.of(engine));
        assertEquals(1500.0, registry.getSampleValue("flow_bytes_total", ALL_LABELS, new String[]{
            "2001:db8::ff", "198.51.100.7", "10.0.0.1", "6", "443", "51000", "3", "4000000000", "US", "DE",
            "15169", "4200000000"}));
    }

    @Test
    void shouldRenderIpv6PerRfc5952UnknownsAsEmptyLabelsAndInterfaceIndexZeroAsZero()
    {
        final AggregationEngine engine = engine(metrics("flow", "", Map.of()), List.of());
        engine.onFlowRecord(ipv6IcmpFlow(), T0_NS);

        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(ScrapedFlowMetrics.of(engine));
        assertEquals(1.0, registry.getSampleValue("flow_flows_total", ALL_LABELS, new String[]{
            "192.0.2.10", "2001:db8::1:0:0:1", "2001:db8::1", "58", "", "", "0", "0", "", "", "", ""}));
    }

    @Test
    void shouldPutCustomLabelsOnEverySeriesAndPrefixNamesWithNamespaceAndSubsystem() throws IOException
    {
        final Map<String, String> custom = new LinkedHashMap<>();
        custom.put("datacenter", "dc1");
        custom.put("collector_id", "flow-01");
        final AggregationEngine engine = engine(metrics("acme", "netflow", custom),
            List.of(new ViewSettings("ports", List.of(Dimension.DST_PORT), 0, 0)));
        engine.onFlowRecord(ipv4TcpFlow(), T0_NS);

        int samples = 0;
        for (final Collector.MetricFamilySamples family : ScrapedFlowMetrics.of(engine).collect())
        {
            assertTrue(family.name.startsWith("acme_netflow_"), family.name);
            for (final Collector.MetricFamilySamples.Sample sample : family.samples)
            {
                final int at = sample.labelNames.indexOf("datacenter");
                assertTrue(at >= 0, sample.toString());
                assertEquals("dc1", sample.labelValues.get(at));
                assertEquals("flow-01", sample.labelValues.get(sample.labelNames.indexOf("collector_id")));
                samples++;
            }
        }
        assertTrue(samples > 0);

        final StringWriter text = new StringWriter();
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(ScrapedFlowMetrics.of(engine));
        TextFormat.write004(text, registry.metricFamilySamples());
        final String exposition = text.toString();
        assertTrue(exposition.contains("# TYPE acme_netflow_bytes_total counter"), exposition);
        assertTrue(exposition.contains("# TYPE acme_netflow_ports_flows_total counter"), exposition);
        assertTrue(exposition.contains(
            "acme_netflow_ports_bytes_total{dst_port=\"51000\",datacenter=\"dc1\",collector_id=\"flow-01\",} 1500.0"),
            exposition);
        assertTrue(exposition.contains(
            "acme_netflow_ports_window_bytes_per_second{dst_port=\"51000\",window=\"1h\",datacenter=\"dc1\"," +
            "collector_id=\"flow-01\",} 0.416666666666"), exposition);
    }

    @Test
    void shouldGiveCountersIdenticalLabelSets()
    {
        final AggregationEngine engine = engine(metrics("flow", "", Map.of("env", "prod")), List.of());
        engine.onFlowRecord(ipv4TcpFlow(), T0_NS);
        engine.onFlowRecord(ipv6IcmpFlow(), T0_NS);

        final Map<String, List<List<String>>> labelsByName = new LinkedHashMap<>();
        for (final Collector.MetricFamilySamples family : ScrapedFlowMetrics.of(engine).collect())
        {
            for (final Collector.MetricFamilySamples.Sample sample : family.samples)
            {
                labelsByName.computeIfAbsent(sample.name, k -> new java.util.ArrayList<>())
                    .add(Arrays.asList(sample.labelNames.toString(), sample.labelValues.toString()));
            }
        }
        assertEquals(2, labelsByName.get("flow_flows_total").size());
        assertEquals(labelsByName.get("flow_flows_total"), labelsByName.get("flow_bytes_total"));
        assertEquals(labelsByName.get("flow_flows_total"), labelsByName.get("flow_packets_total"));
        assertEquals(labelsByName.get("flow_flows_total"), labelsByName.get("flow_bandwidth_bps"));
    }

    @Test
    void shouldNameWindowsByLargestWholeUnit()
    {
        assertEquals("1m", ViewMetricNames.durationText(60_000_000_000L));
        assertEquals("15m", ViewMetricNames.durationText(900_000_000_000L));
        assertEquals("1h", ViewMetricNames.durationText(3_600_000_000_000L));
        assertEquals("90s", ViewMetricNames.durationText(90_000_000_000L));
        assertEquals("1500ms", ViewMetricNames.durationText(1_500_000_000L));
    }
}
