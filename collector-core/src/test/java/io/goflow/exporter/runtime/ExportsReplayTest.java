package io.goflow.exporter.runtime;

import io.goflow.exporter.aggregate.FlowAggregator;
import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decode.DecodeHandler;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.receive.DatagramReader;
import io.goflow.exporter.receive.KernelUdpDrops;
import io.goflow.exporter.receive.ReceiveCounters;
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;
import io.prometheus.client.Collector.MetricFamilySamples;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.goflow.exporter.runtime.PipelineFixture.explicitListener;
import static io.goflow.exporter.runtime.PipelineFixture.received;
import static io.goflow.exporter.runtime.PipelineFixture.sender;
import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays every capture of {@code shared/testdata/exports}, each from its own loopback source
 * (127.0.0.10 + i), interleaved datagram by datagram, into one {@code auto} listener with the
 * real decoders.
 */
class ExportsReplayTest
{
    private static final String[] CAPTURES = {
        "pmacctd_nfprobe_v9", "pmacctd_sfprobe_s20", "softflowd_ipfix", "softflowd_ipfix_biflow",
        "softflowd_v5", "softflowd_v9", "softflowd_v9_sampled10"};

    /**
     * Full speed: every datagram sent is received or dropped by the kernel (/proc/net/udp), and the
     * scrape's counters add up: received = decoded + dropped packets, parsed records = aggregated.
     */
    @Test
    void shouldAddUpReceivedDecodedAndDroppedCountersWhenReplayingAtFullSpeed() throws Exception
    {
        final TypeAggregator aggregator = new TypeAggregator();
        try (FlowCollector collector = start(aggregator))
        {
            final int port = collector.boundListeners().get(0).port();
            final long sent = replay(port, collector, false);
            final KernelUdpDrops kernel = new KernelUdpDrops();
            awaitTrue(() -> received(collector) + kernel.dropsForLocalPort(port) == sent);
            final long kernelDrops = kernel.dropsForLocalPort(port);
            collector.close();
            final List<MetricFamilySamples> scrape = collector.collectors().get(0).collect();
            final double received = sum(scrape, "flow_received_packets_total");
            System.out.printf("full-speed replay: sent %d, received %.0f, kernel drops %d%n", sent, received, kernelDrops);
            assertEquals(sent, received + kernelDrops);
            assertEquals(received, sum(scrape, "flow_decoded_packets_total") + sum(scrape, "flow_dropped_packets_total"));
            long readerDrops = 0;
            for (final DatagramReader reader : collector.readers())
            {
                for (int reason = 0; reason < ReceiveCounters.DROP_REASONS; reason++)
                {
                    readerDrops += reader.counters().dropped(reason);
                }
            }
            long undecoded = 0;
            for (final DecodeHandler shard : collector.shards())
            {
                undecoded += shard.counters().totalUndecoded();
            }
            final double processed = sum(scrape, "flow_processed_packets_total");
            assertEquals(received, processed + readerDrops);
            assertEquals(processed, sum(scrape, "flow_decoded_packets_total") + undecoded);
            assertEquals(readerDrops + undecoded, sum(scrape, "flow_dropped_packets_total"),
                "dropped_packets merges reader and decoder reasons without losing or doubling any");
            assertEquals(sum(scrape, "flow_parsed_records_total"), (double)collector.aggregation().flowRecords());
        }
    }

    /**
     * Paced so that nothing can be lost: per capture, the bytes and records that reached aggregation
     * equal the truth file's (Wireshark's) totals, the exporter's templates known equal the distinct
     * template IDs, and v9 exporters show no sequence loss.
     */
    @Test
    void shouldAggregateTruthTotalsOfEveryCaptureWhenPaced() throws Exception
    {
        final TypeAggregator aggregator = new TypeAggregator();
        final List<MetricFamilySamples> scrape;
        try (FlowCollector collector = start(aggregator))
        {
            final long sent = replay(collector.boundListeners().get(0).port(), collector, true);
            awaitTrue(() -> received(collector) == sent);
            collector.close();
            scrape = collector.collectors().get(0).collect();
        }
        assertEquals(0, scrape.stream().flatMap(f -> f.samples.stream())
            .filter(s -> s.name.equals("flow_decode_errors_total") && s.labelValues.contains("no_sampling_rate")).count(),
            "an exporter without sampling is not a decode error");
        for (final String capture : CAPTURES)
        {
            final String truth = Files.readString(exports().resolve(capture + ".truth.json"));
            if (!capture.contains("v5") && !capture.contains("sfprobe"))
            {
                assertEquals(number(truth, "distinct_template_ids"),
                    exporterValue(scrape, "flow_exporter_templates", sourceAddress(capture)), capture + " templates");
            }
            if (capture.contains("v9"))
            {
                assertEquals(0, exporterValue(scrape, "flow_exporter_sequence_lost_total", sourceAddress(capture)),
                    capture + " nothing lost");
            }
            if (capture.contains("sfprobe"))
            {
                assertEquals(20, samplingRate(scrape, null, "header"), capture + ": the flow samples' rate");
            }
            else
            {
                final boolean fromOptions = truth.contains("\"options:");
                final Matcher rate = Pattern.compile("\"rates_seen\"\\s*:\\s*\\{\\s*\"(\\d+)\"").matcher(truth);
                assertTrue(rate.find(), capture + " rates_seen");
                assertEquals(Double.parseDouble(rate.group(1)),
                    samplingRate(scrape, sourceAddress(capture), fromOptions ? "options" : "none"),
                    capture + ": sampling is a state of the exporter, as the truth's rate source says");
            }
            final long[] got = aggregator.totals.getOrDefault(sourceKey(capture), new long[2]);
            if (capture.contains("sfprobe"))
            {
                assertEquals(number(truth, "ip_bytes"), got[0], capture + " L3 bytes");
                assertEquals(number(truth, "flow_samples"), got[1], capture + " samples");
            }
            else if (capture.contains("biflow"))
            {
                assertEquals(number(truth, "bytes") + number(truth, "reverse_bytes"), got[0], capture + " bytes");
            }
            else
            {
                assertEquals(number(truth, "bytes"), got[0], capture + " bytes");
                assertEquals(number(truth, "flows"), got[1], capture + " flows");
            }
        }
    }

    private static FlowCollector start(final FlowAggregator aggregator) throws Exception
    {
        final ListenerSettings auto = new ListenerSettings(ListenerProtocol.AUTO, "127.0.0.1", 0, "", List.of());
        return FlowCollector.builder(PipelineFixture.settings(explicitListener(auto), 2, 16384, MetricsSettings.defaults()))
            .aggregator(aggregator, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .start();
    }

    /**
     * Sends the captures round-robin, one datagram each turn, each from its own source address.
     * When {@code paced}, waits for aggregation to catch up every 32 datagrams.
     *
     * @return datagrams sent.
     */
    private static long replay(final int port, final FlowCollector collector, final boolean paced) throws Exception
    {
        final List<PcapReader> readers = new ArrayList<>();
        final List<DatagramSocket> sockets = new ArrayList<>();
        final InetAddress to = InetAddress.getByName("127.0.0.1");
        long sent = 0;
        try
        {
            for (int i = 0; i < CAPTURES.length; i++)
            {
                readers.add(PcapReader.open(exports().resolve(CAPTURES[i] + ".pcap")));
                sockets.add(sender("127.0.0." + (10 + i)));
            }
            final UdpDatagram d = new UdpDatagram();
            final byte[] payload = new byte[65_536];
            boolean more = true;
            while (more)
            {
                more = false;
                for (int i = 0; i < readers.size(); i++)
                {
                    if (readers.get(i).next(d))
                    {
                        more = true;
                        d.buffer.getBytes(d.payloadOffset, payload, 0, d.payloadLength);
                        sockets.get(i).send(new DatagramPacket(payload, d.payloadLength, to, port));
                        sent++;
                        if (paced && (sent & 31) == 0)
                        {
                            final long target = sent;
                            awaitTrue(() -> collector.aggregation().datagrams() == target);
                        }
                    }
                }
            }
        }
        finally
        {
            readers.forEach(PcapReader::close);
            sockets.forEach(DatagramSocket::close);
        }
        return sent;
    }

    /** Sums bytes and flow records per (type, datagram source); sFlow keyed by type only. */
    static final class TypeAggregator implements FlowAggregator
    {
        final Map<String, long[]> totals = new ConcurrentHashMap<>();

        @Override
        public void onFlowRecord(final FlowRecord record, final long nowNs)
        {
            final String key = record.type == FlowType.SFLOW_5 ? "sflow" : Long.toHexString(record.samplerAddrLo);
            final long[] t = totals.computeIfAbsent(key, k -> new long[2]);
            t[0] += record.bytes;
            t[1]++;
        }

        @Override
        public void onInterfaceCounters(final FlowRecord record, final long nowNs)
        {
        }

        @Override
        public void onEndOfBatch(final long nowNs)
        {
        }
    }

    private static String sourceKey(final String capture)
    {
        if (capture.contains("sfprobe"))
        {
            return "sflow";
        }
        int i = 0;
        while (!CAPTURES[i].equals(capture))
        {
            i++;
        }
        return Long.toHexString(0x0000_FFFF_7F00_0000L | (10 + i));
    }

    private static String sourceAddress(final String capture)
    {
        return "127.0.0." + (10 + List.of(CAPTURES).indexOf(capture));
    }

    /** @return {@code flow_exporter_sampling_rate{exporter, source}} (any exporter when null), -1 when absent. */
    private static double samplingRate(final List<MetricFamilySamples> scrape, final String exporter, final String source)
    {
        return scrape.stream().flatMap(f -> f.samples.stream())
            .filter(s -> s.name.equals("flow_exporter_sampling_rate")
                && (exporter == null || s.labelValues.get(s.labelNames.indexOf("exporter")).equals(exporter))
                && s.labelValues.get(s.labelNames.indexOf("source")).equals(source))
            .mapToDouble(s -> s.value).findFirst().orElse(-1);
    }

    private static double exporterValue(final List<MetricFamilySamples> scrape, final String name, final String exporter)
    {
        return scrape.stream().flatMap(f -> f.samples.stream())
            .filter(s -> s.name.equals(name) && s.labelValues.get(s.labelNames.indexOf("exporter")).equals(exporter))
            .mapToDouble(s -> s.value).sum();
    }

    /** @return the first {@code "key": number} in the truth JSON (totals come before per-key tables). */
    private static long number(final String json, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), key);
        return Long.parseLong(m.group(1));
    }

    private static double sum(final List<MetricFamilySamples> scrape, final String name)
    {
        return sum(scrape, name, ".*");
    }

    private static double sum(final List<MetricFamilySamples> scrape, final String name, final String reasonRegex)
    {
        return scrape.stream().flatMap(f -> f.samples.stream())
            .filter(s -> s.name.equals(name))
            .filter(s -> !s.labelNames.contains("reason") ||
                s.labelValues.get(s.labelNames.indexOf("reason")).matches(reasonRegex))
            .mapToDouble(s -> s.value).sum();
    }

    private static Path exports()
    {
        final String shared = System.getProperty("shared.dir", "../shared");
        return Path.of(shared, "testdata", "exports");
    }
}
