package io.goflow.exporter.expose;

import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decode.DecodeHandler;
import io.goflow.exporter.decode.ShardDecoder;
import io.goflow.exporter.decode.V9Datagrams;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.receive.ReaderDrops;
import io.goflow.exporter.runtime.FlowCollector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One scrape after datagrams dropped whole at both stages, through the real decoder: a valid v9
 * template (36 bytes), a v9 datagram cut to 10 of its 20 header bytes (decoder: {@code truncated}),
 * an IPFIX message cut to 8 of its 16 header bytes (decoder: {@code truncated}), a v9 message with
 * version 7 (decoder: {@code bad_version}); then one oversize datagram counted by the stopped
 * reader (reader: {@code truncated}; above the largest UDP payload, so it cannot be sent).
 */
class DroppedPacketsReasonTest
{
    private static List<MetricFamilySamples> scrape;
    private static long undecoded;

    @BeforeAll
    static void runPipeline() throws Exception
    {
        final ListenerSettings listener = new ListenerSettings(ListenerProtocol.NETFLOW, "127.0.0.1", 0, "", List.of());
        final Settings settings = Scrapes.settings(listener, 1, "", Map.of());
        final FlowCollector collector = FlowCollector.builder(settings)
            .aggregator(FlowCollector.NO_AGGREGATION, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .decoders(shard -> ShardDecoder.of(new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters())))
            .start();
        try (collector; DatagramSocket from = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            final int port = collector.boundListeners().get(0).port();
            final byte[] template = V9Datagrams.template(1, 0, 300);
            final byte[] badVersion = V9Datagrams.template(1, 1, 300);
            badVersion[1] = 7;
            final byte[][] datagrams = {
                template, Arrays.copyOf(template, 10), new byte[] {0, 10, 0, 16, 0, 0, 0, 0}, badVersion};
            for (int i = 0; i < datagrams.length; i++)
            {
                Scrapes.send(from, port, datagrams[i]);
                final int received = i + 1;
                awaitTrue(() -> collector.readers().get(0).counters().totalPackets() == received);
            }
            awaitTrue(() -> collector.aggregation().datagrams() == 4);
            collector.close();
            ReaderDrops.countOversize(collector.readers().get(0), FlowType.NETFLOW_V9.ordinal(), 70_000);
            for (final DecodeHandler shard : collector.shards())
            {
                undecoded += shard.counters().totalUndecoded();
            }
            scrape = collector.collectors().get(0).collect();
        }
    }

    @Test
    void shouldMergeReaderAndDecoderTruncatedIntoOneSample()
    {
        final List<Sample> truncated = samples("flow_dropped_packets_total", Map.of("reason", "truncated"));
        assertEquals(1, truncated.size());
        assertEquals(3, truncated.get(0).value, "one oversize (reader) + two cut headers (decoder)");
    }

    @Test
    void shouldExposeEachDroppedPacketsReasonOnce()
    {
        final List<Sample> all = samples("flow_dropped_packets_total", Map.of());
        final Set<List<String>> labelSets = new HashSet<>();
        for (final Sample s : all)
        {
            assertTrue(labelSets.add(s.labelValues), "duplicate sample " + s.labelValues);
        }
        assertTrue(labelSets.size() >= 4, "queue_full, allow_list, truncated, bad_version at least: " + labelSets);
    }

    @Test
    void shouldCountBadVersionAsDroppedPacket()
    {
        assertEquals(1, value("flow_dropped_packets_total", Map.of("reason", "bad_version")));
    }

    @Test
    void shouldAddUpReceivedToDecodedPlusDroppedPackets()
    {
        assertEquals(5, value("flow_received_packets_total", Map.of()));
        assertEquals(1, value("flow_decoded_packets_total", Map.of()));
        assertEquals(4, value("flow_dropped_packets_total", Map.of()));
    }

    @Test
    void shouldAddUpProcessedToDecodedPlusUndecoded()
    {
        assertEquals(4, value("flow_processed_packets_total", Map.of()));
        assertEquals(3, undecoded);
    }

    @Test
    void shouldNotCountDatagramsDroppedWholeAsDroppedRecords()
    {
        assertEquals(0, value("flow_dropped_records_total", Map.of()));
    }

    @Test
    void shouldShowRejectionsPerProtocolInDecodeErrors()
    {
        assertEquals(1, value("flow_decode_errors_total", Map.of("protocol", "netflow_v9", "reason", "truncated")));
        assertEquals(1, value("flow_decode_errors_total", Map.of("protocol", "ipfix", "reason", "truncated")));
        assertEquals(0, value("flow_decode_errors_total", Map.of("protocol", "netflow_v9", "reason", "bad_version")));
    }

    @Test
    void shouldAttributeAnUnknownVersionToProtocolUnknownAtBothStages()
    {
        assertEquals(1, value("flow_received_packets_total", Map.of("protocol", "unknown")));
        assertEquals(1, value("flow_decode_errors_total", Map.of("protocol", "unknown", "reason", "bad_version")));
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
