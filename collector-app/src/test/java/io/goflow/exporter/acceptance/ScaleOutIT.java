package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scale-out path of {@code docs/scale-out.md}: two collectors ({@code collector_id} a and b),
 * each fed half of the exporters (every exporter pinned to one of them), and a third one
 * ({@code single}) fed everything, all scraped by one Prometheus. Summed
 * {@code without(collector_id, instance)}, a + b must equal single, series by series.
 *
 * <p>The collectors have no {@code exporter} dimension, so the same 5-tuple seen by both halves
 * really is summed across collectors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleOutIT
{
    private static final String[] CAPTURES = {
        "exports/softflowd_v9.pcap", "exports/pmacctd_nfprobe_v9.pcap", "exports/softflowd_ipfix.pcap",
        "exports/softflowd_v5.pcap", "exports/pmacctd_sfprobe_s20.pcap", "exports/softflowd_v9_sampled10.pcap",
        "vendor/graylog-plugin-netflow_nprobe-netflow9.pcap", "vendor/ls_netflow9_multi_exporter_nprobe_softflowd.pcap"};
    private static final int RATE = 4000;

    private CollectorProcess a;
    private CollectorProcess b;
    private CollectorProcess single;
    private PrometheusServer prometheus;

    @BeforeAll
    void feed() throws Exception
    {
        a = start("a");
        b = start("b");
        single = start("single");
        long sentA = 0;
        long sentB = 0;
        long sentSingle = 0;
        for (int i = 0; i < CAPTURES.length; i++)
        {
            final List<PcapReplayer.Datagram> d = PcapReplayer.read(SharedData.testdata(CAPTURES[i]));
            final InetAddress source = InetAddress.getByName("127.4." + (i + 1) + ".1");
            if (i % 2 == 0)
            {
                sentA += PcapReplayer.send(d, a.ipv4(), source, RATE);
            }
            else
            {
                sentB += PcapReplayer.send(d, b.ipv4(), source, RATE);
            }
            sentSingle += PcapReplayer.send(d, single.ipv4(), source, RATE);
        }
        a.awaitQuiet(sentA, Duration.ofSeconds(60), MetricNames.RECEIVED_PACKETS);
        b.awaitQuiet(sentB, Duration.ofSeconds(60), MetricNames.RECEIVED_PACKETS);
        single.awaitQuiet(sentSingle, Duration.ofSeconds(60), MetricNames.RECEIVED_PACKETS);
        prometheus = PrometheusServer.start(List.of(a, b, single));
        prometheus.awaitScrapesAfter(Instant.now(), 2);
    }

    private static CollectorProcess start(final String id) throws Exception
    {
        return CollectorProcess.start(id, new CollectorProcess.Config()
            .dimensions("src_addr", "dst_addr", "protocol", "src_port", "dst_port")
            .windows("5m", "5m")
            .label(MetricNames.COLLECTOR_ID, id));
    }

    @AfterAll
    void stop() throws Exception
    {
        if (prometheus != null)
        {
            prometheus.close();
        }
        for (final CollectorProcess c : new CollectorProcess[] {a, b, single})
        {
            if (c != null)
            {
                c.close();
            }
        }
    }

    @Test
    void shouldEqualSingleCollectorSeriesBySeriesWhenHalvesAreSummedWithoutCollectorId() throws Exception
    {
        for (final String metric : new String[] {MetricNames.FLOWS, MetricNames.BYTES, MetricNames.PACKETS, MetricNames.BANDWIDTH})
        {
            final Map<String, Double> halves = bySeries("sum without(collector_id, instance) (" + metric + "{collector_id=~\"a|b\"})");
            final Map<String, Double> whole = bySeries("sum without(collector_id, instance) (" + metric + "{collector_id=\"single\"})");
            assertTrue(whole.size() > 6000, metric + ": only " + whole.size() + " series on the single collector");
            assertEquals(whole.keySet(), halves.keySet(), metric + ": series of a+b vs single");
            final Map<String, String> diff = new TreeMap<>();
            whole.forEach((k, v) ->
            {
                if (Math.abs(v - halves.get(k)) > Math.abs(v) * 1e-9)
                {
                    diff.put(k, "a+b " + halves.get(k) + " vs single " + v);
                }
            });
            assertTrue(diff.isEmpty(), metric + ": " + diff.size() + " series differ, e.g. " + diff.entrySet().stream().limit(5).toList());
        }
    }

    @Test
    void shouldEqualSingleCollectorTotalsWhenDocumentedFleetQueryRuns() throws Exception
    {
        for (final String metric : new String[] {MetricNames.FLOWS, MetricNames.BYTES, MetricNames.PACKETS, MetricNames.RECEIVED_PACKETS})
        {
            final double halves = prometheus.query("sum(" + metric + "{collector_id=~\"a|b\"})").single();
            final double whole = prometheus.query("sum(" + metric + "{collector_id=\"single\"})").single();
            assertEquals(whole, halves, metric + ": sum over a and b vs single");
        }
        final Map<String, Double> perCollector = new HashMap<>();
        for (final PrometheusServer.Sample s : prometheus.query("sum by (collector_id) (rate(flow_received_packets_total[1m]))").samples())
        {
            perCollector.put(s.labels().get(MetricNames.COLLECTOR_ID), s.value());
        }
        assertEquals(java.util.Set.of("a", "b", "single"), perCollector.keySet(), "collector_id values seen by Prometheus");
    }

    private Map<String, Double> bySeries(final String query) throws Exception
    {
        final PrometheusServer.Result r = prometheus.query(query);
        assertTrue(r.error() == null, query + ": " + r.error());
        final Map<String, Double> out = new HashMap<>();
        for (final PrometheusServer.Sample s : r.samples())
        {
            out.put(new TreeMap<>(s.labels()).toString(), s.value());
        }
        return out;
    }
}
