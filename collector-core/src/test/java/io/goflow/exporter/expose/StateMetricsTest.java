package io.goflow.exporter.expose;

import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.PerformanceSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decode.V9Datagrams;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.runtime.FlowCollector;
import io.prometheus.client.Collector.MetricFamilySamples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state gauges after one v9 exporter sent a template (2 fields) for one source ID and a data
 * set for an unknown template on another: 2 streams, 1 template, 1 held set, through the real
 * decoders of 2 shards sharing one budget.
 */
class StateMetricsTest
{
    private static List<MetricFamilySamples> scrape;

    @BeforeAll
    static void runPipeline() throws Exception
    {
        final ListenerSettings listener = new ListenerSettings(ListenerProtocol.NETFLOW, "127.0.0.1", 0, "", List.of());
        final Settings settings = Scrapes.settings(listener, 2, "", Map.of());
        final FlowCollector collector = FlowCollector.builder(settings)
            .aggregator(FlowCollector.NO_AGGREGATION, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .start();
        try (collector; DatagramSocket exporter = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            final int port = collector.boundListeners().get(0).port();
            Scrapes.send(exporter, port, V9Datagrams.template(1, 0, 300));
            Scrapes.send(exporter, port, V9Datagrams.data(2, 0, 301, 100));
            final long deadline = System.currentTimeMillis() + 20_000;
            while (collector.aggregation().datagrams() < 2)
            {
                assertTrue(System.currentTimeMillis() < deadline, "datagrams not received in time");
                Thread.sleep(2);
            }
            collector.close();
            scrape = collector.collectors().get(0).collect();
        }
    }

    @Test
    void shouldExportTemplateMemoryAsBytesAndCount()
    {
        assertEquals(1, value("flow_state_entries", "templates"));
        assertEquals(ExporterState.templateBytes(2), value("flow_state_bytes", "templates"));
    }

    @Test
    void shouldExportStreamsAndHeldSets()
    {
        assertEquals(2, value("flow_state_entries", "exporters"));
        assertEquals(2 * ExporterState.STREAM_BYTES, value("flow_state_bytes", "exporters"));
        assertEquals(1, value("flow_state_entries", "held"));
        assertEquals(4096, value("flow_state_bytes", "held"), "the hold buffer's first allocation");
    }

    @Test
    void shouldExportRingMemoryFixedAtStart()
    {
        assertEquals(DatagramEventFactory.ringBytes(64, DatagramEventFactory.DEFAULT_SLOT_BYTES), value("flow_state_bytes", "ring"));
        assertEquals(PerformanceSettings.RING_OVERFLOW_BYTES_DEFAULT, value("flow_state_limit_bytes", "ring_overflow"));
        assertEquals(0, value("flow_state_bytes", "ring_overflow"));
    }

    @Test
    void shouldExportEveryLimitOfRefusalsAndEvictions()
    {
        assertEquals(0, value("flow_state_refused_total", "limit", "pending_bytes_total"));
        assertEquals(0, value("flow_state_evicted_total", "limit", "max_exporters"));
        assertEquals(0, value("flow_state_refused_total", "limit", "template_updates_per_second"));
        assertEquals(8, Scrapes.samples(scrape, "flow_state_refused_total", Map.of()).size());
    }

    private static double value(final String name, final String state)
    {
        return value(name, "state", state);
    }

    private static double value(final String name, final String label, final String v)
    {
        return Scrapes.value(scrape, name, Map.of(label, v));
    }
}
