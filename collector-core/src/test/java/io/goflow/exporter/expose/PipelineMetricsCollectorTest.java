package io.goflow.exporter.expose;

import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decode.MiniV9Decoder;
import io.goflow.exporter.decode.V9Datagrams;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.ring.LatencyHistogram;
import io.goflow.exporter.runtime.FlowCollector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One scrape after a known mix of datagrams on an allow-listed listener: 3 valid v9 datagrams and
 * one with version 7 from 127.0.0.2 (allowed), one valid datagram from 127.0.0.3 (refused).
 */
class PipelineMetricsCollectorTest
{
    private static List<MetricFamilySamples> scrape;

    @BeforeAll
    static void runPipeline() throws Exception
    {
        final ListenerSettings listener = new ListenerSettings(
            ListenerProtocol.NETFLOW, "127.0.0.1", 0, "", List.of("127.0.0.2/32"));
        final Settings settings = Scrapes.settings(listener, 2, "test", Map.of("site", "lab"));
        final FlowCollector collector = FlowCollector.builder(settings)
            .aggregator(FlowCollector.NO_AGGREGATION, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .decoders(shard -> new MiniV9Decoder())
            .start();
        try (collector;
            DatagramSocket allowed = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
            DatagramSocket refused = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0)))
        {
            final int port = collector.boundListeners().get(0).port();
            final byte[] badVersion = V9Datagrams.template(1, 9, 300);
            badVersion[1] = 7;
            Scrapes.send(allowed, port, V9Datagrams.template(1, 0, 300));
            Scrapes.send(allowed, port, V9Datagrams.data(1, 1, 300, 100, 200));
            Scrapes.send(allowed, port, V9Datagrams.data(1, 2, 300, 300));
            Scrapes.send(allowed, port, badVersion);
            Scrapes.send(refused, port, V9Datagrams.data(1, 3, 300, 400));
            final long deadline = System.currentTimeMillis() + 20_000;
            while (collector.aggregation().datagrams() < 4 || collector.readers().get(0).counters().totalPackets() < 5)
            {
                assertTrue(System.currentTimeMillis() < deadline, "datagrams not received in time");
                Thread.sleep(2);
            }
            collector.httpCounters().increment(HttpCounters.REJECTED_CLIENT_LIMIT);
            collector.httpCounters().increment(HttpCounters.TIMED_OUT_HEAD);
            collector.httpCounters().increment(HttpCounters.TIMED_OUT_HEAD);
            collector.httpCounters().increment(HttpCounters.ABANDONED_RESPONSE);
            collector.httpCounters().increment(HttpCounters.REJECTED_BUSY);
            collector.httpCounters().set(HttpCounters.OPEN, 3);
            collector.close();
            scrape = collector.collectors().get(0).collect();
        }
    }

    @Test
    void shouldPrefixNamesWithNamespaceAndSubsystem()
    {
        assertTrue(scrape.stream().allMatch(f -> f.name.startsWith("flow_test_")));
        assertEquals(5, value("flow_test_received_packets_total", Map.of()));
    }

    @Test
    void shouldPutCustomLabelsOnEverySeries()
    {
        for (final MetricFamilySamples family : scrape)
        {
            for (final Sample sample : family.samples)
            {
                final int i = sample.labelNames.indexOf("site");
                assertTrue(i >= 0, sample.name);
                assertEquals("lab", sample.labelValues.get(i), sample.name);
                assertEquals(sample.labelNames.size(), sample.labelValues.size(), sample.name);
            }
        }
    }

    @Test
    void shouldExportHttpEndpointCountersByReasonAndPhase()
    {
        assertEquals(1, value("flow_test_http_connections_rejected_total", Map.of("reason", "client_limit")));
        assertEquals(0, value("flow_test_http_connections_rejected_total", Map.of("reason", "total_limit")));
        assertEquals(2, value("flow_test_http_connections_timed_out_total", Map.of("phase", "head")));
        assertEquals(0, value("flow_test_http_connections_timed_out_total", Map.of("phase", "idle")));
        assertEquals(1, value("flow_test_http_connections_abandoned_total", Map.of("phase", "response")));
        assertEquals(1, value("flow_test_http_requests_rejected_total", Map.of("reason", "busy")));
        assertEquals(3, value("flow_test_http_connections_open", Map.of()));
        assertEquals(0, value("flow_test_http_connections_evicted_total", Map.of()));
    }

    @Test
    void shouldCountReceivedByDetectedProtocol()
    {
        assertEquals(4, value("flow_test_received_packets_total", Map.of("protocol", "netflow_v9")));
        assertEquals(1, value("flow_test_received_packets_total", Map.of("protocol", "unknown")));
        final int header = 20;
        final int template = header + 16;
        final int dataTwoRecords = header + 4 + 2 * V9Datagrams.RECORD_LENGTH;
        final int dataOneRecord = header + 4 + V9Datagrams.RECORD_LENGTH;
        assertEquals(template + dataTwoRecords + dataOneRecord + template + dataOneRecord,
            value("flow_test_received_bytes_total", Map.of()));
    }

    @Test
    void shouldCountDroppedPacketsByReason()
    {
        assertEquals(1, value("flow_test_dropped_packets_total", Map.of("reason", "allow_list")));
        assertEquals(1, value("flow_test_dropped_packets_total", Map.of("reason", "bad_version")));
        assertEquals(0, value("flow_test_dropped_packets_total", Map.of("reason", "queue_full")));
    }

    @Test
    void shouldAddUpReceivedToDecodedPlusDroppedPackets()
    {
        final double received = value("flow_test_received_packets_total", Map.of());
        final double processed = value("flow_test_processed_packets_total", Map.of());
        final double decoded = value("flow_test_decoded_packets_total", Map.of());
        final double dropped = value("flow_test_dropped_packets_total", Map.of());
        assertEquals(3, decoded);
        assertEquals(4, processed);
        assertEquals(received, decoded + dropped);
    }

    @Test
    void shouldCountParsedRecords()
    {
        assertEquals(3, value("flow_test_parsed_records_total", Map.of("protocol", "netflow_v9")));
    }

    @Test
    void shouldExposeHistogramWithCumulativeBucketsFromTenMicroseconds()
    {
        assertEquals(4, value("flow_test_processing_duration_seconds_count", Map.of()));
        assertEquals(4, value("flow_test_processing_duration_seconds_bucket", Map.of("le", "+Inf")));
        assertEquals(LatencyHistogram.BOUNDS_SECONDS.length + 1,
            samples("flow_test_processing_duration_seconds_bucket", Map.of()).size());
        assertTrue(samples("flow_test_processing_duration_seconds_bucket", Map.of("le", "1.0E-5")).size() == 1);
    }

    @Test
    void shouldExposeRingCapacityAndListenerBuffer()
    {
        assertEquals(64, value("flow_test_worker_queue_capacity", Map.of()));
        assertEquals(0, value("flow_test_worker_queue_length", Map.of()));
        assertTrue(value("flow_test_listener_receive_buffer_bytes", Map.of("protocol", "netflow")) > 0);
    }

    private static List<Sample> samples(final String name, final Map<String, String> labels)
    {
        return Scrapes.samples(scrape, name, labels);
    }

    private static double value(final String name, final Map<String, String> labels)
    {
        return Scrapes.value(scrape, name, labels);
    }
}
