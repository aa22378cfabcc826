package io.goflow.exporter.acceptance;

import io.goflow.exporter.decoders.testsupport.TruthFile;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The utilisation query of docs/queries.md and the InterfaceUtilizationHigh alert in a real
 * Prometheus, against the tarball fed with a MikroTik IPFIX capture and an sFlow capture with flow
 * and counter samples, with a static {@code aggregation.interfaces} list: speeds from the list and
 * from sFlow ifSpeed, names from the list; utilisation equals the truth's bytes per interface over
 * the bandwidth window divided by the configured speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterfaceUtilisationIT
{
    private static final String UTILISATION = "sum by (exporter, in_if_name) (flow_bandwidth_bps{in_if_name!=\"\"}) " +
        "/ on (exporter, in_if_name) max by (exporter, in_if_name) (label_replace(flow_interface_speed_bps{if_name!=\"\"}, " +
        "\"in_if_name\", \"$1\", \"if_name\", \"(.+)\")) * 100";
    private static final double WINDOW_S = 300;
    private static final String IPFIX_EXPORTER = "127.3.30.1";
    private static final String SFLOW_AGENT = "172.21.35.17";

    private CollectorProcess collector;
    private PrometheusServer prometheus;

    @BeforeAll
    void feedAndScrape() throws Exception
    {
        collector = CollectorProcess.start("utilisation", new CollectorProcess.Config()
            .dimensions("exporter", "in_if_name", "protocol")
            .windows("5m", "5m")
            .aggregationExtra("  interfaces:\n" +
                "    - {exporter: " + IPFIX_EXPORTER + ", index: 13, name: ether13, speed: 1k}\n" +
                "    - {exporter: " + IPFIX_EXPORTER + ", index: 9, name: ether9, speed: 1G}\n" +
                "    - {exporter: " + SFLOW_AGENT + ", index: 1048, name: ge-0/0/48, speed: 10k}\n" +
                "    - {exporter: " + SFLOW_AGENT + ", index: 1036, name: ge-0/0/36}\n"));
        long sent = PcapReplayer.send(PcapReplayer.read(SharedData.testdata("vendor/ls_ipfix_mikrotik.pcap")),
            collector.ipv4(), InetAddress.getByName(IPFIX_EXPORTER), 2000);
        sent += PcapReplayer.send(PcapReplayer.read(SharedData.testdata("vendor/LogHub_sflow.pcap")),
            collector.ipv4(), InetAddress.getByName("127.3.31.1"), 2000);
        collector.awaitQuiet(sent, Duration.ofSeconds(60), MetricNames.RECEIVED_PACKETS);
        prometheus = PrometheusServer.start(List.of(collector), List.of(SharedData.projectRoot().resolve("conf/alerts.yml")));
        prometheus.awaitScrapesAfter(Instant.now(), 2);
    }

    @AfterAll
    void stop() throws Exception
    {
        if (prometheus != null)
        {
            prometheus.close();
        }
        if (collector != null)
        {
            collector.close();
        }
    }

    @Test
    void shouldDivideTruthBandwidthByTheInterfaceSpeedWhenTheUtilisationQueryRuns() throws Exception
    {
        final List<String> documented = PrometheusServer.queriesOf(SharedData.projectRoot().resolve("docs/queries.md"));
        assertTrue(documented.contains(UTILISATION), "docs/queries.md holds the utilisation query");
        final PrometheusServer.Result r = prometheus.query(UTILISATION);
        assertEquals(null, r.error(), r.query());
        final Map<String, Double> byInterface = new HashMap<>();
        r.samples().forEach(s -> byInterface.put(s.labels().get("exporter") + " " + s.labels().get("in_if_name"), s.value()));

        final TruthFile mikrotik = TruthFile.load(SharedData.testdata("vendor/ls_ipfix_mikrotik.truth.json"));
        final TruthFile logHub = TruthFile.load(SharedData.testdata("vendor/LogHub_sflow.truth.json"));
        assertEquals(mikrotik.byInIf().get("13").bytesScaled() * 8 / WINDOW_S / 1e3 * 100,
            byInterface.get(IPFIX_EXPORTER + " ether13"), 1e-9, "ether13 at 1 kbit/s");
        assertEquals(mikrotik.byInIf().get("9").bytesScaled() * 8 / WINDOW_S / 1e9 * 100,
            byInterface.get(IPFIX_EXPORTER + " ether9"), 1e-12, "ether9 at 1 Gbit/s");
        assertEquals(logHub.byInIf().keySet(), java.util.Set.of("1048"));
        assertEquals(logHub.sflow().ipBytesScaled() * 8 / WINDOW_S / 1e4 * 100,
            byInterface.get(SFLOW_AGENT + " ge-0/0/48"), 1e-9, "sFlow L3 bytes of ifIndex 1048 at 10 kbit/s");
        assertEquals(3, byInterface.size(), "only named interfaces with traffic and a speed: " + byInterface);
    }

    @Test
    void shouldCarrySflowCounterSpeedUnderTheConfiguredName() throws Exception
    {
        final PrometheusServer.Result r = prometheus.query(
            "flow_interface_speed_bps{exporter=\"" + SFLOW_AGENT + "\", if_index=~\"1036|1043\"}");
        final Map<String, Double> speeds = new HashMap<>();
        r.samples().forEach(s -> speeds.put(s.labels().get("if_index") + " " + s.labels().getOrDefault("if_name", ""), s.value()));
        assertEquals(Map.of("1036 ge-0/0/36", 100e6, "1043 ", 100e6), speeds, "ifSpeed of the counter samples (tshark)");
    }

    @Test
    void shouldExportSflowIfDirectionOfTheCounterSamples() throws Exception
    {
        final PrometheusServer.Result r = prometheus.query(
            "flow_interface_direction{exporter=\"" + SFLOW_AGENT + "\"}");
        final Map<String, Double> directions = new HashMap<>();
        r.samples().forEach(s -> directions.put(s.labels().get("if_index"), s.value()));
        // tshark -r LogHub_sflow.pcap -T fields -e sflow_245.ifindex -e sflow_245.ifdirection: 1036 1, 1043 1
        assertEquals(Map.of("1036", 1.0, "1043", 1.0), directions, "ifDirection full-duplex (tshark)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRaiseInterfaceUtilizationHighOnlyForTheLinkAboveNinetyPercent() throws Exception
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Map<String, Object>> alerts = List.of();
        while (System.nanoTime() - deadline < 0)
        {
            for (final Map<String, Object> rule : prometheus.rules())
            {
                if ("InterfaceUtilizationHigh".equals(rule.get("name")))
                {
                    assertEquals("ok", rule.get("health"), String.valueOf(rule.get("lastError")));
                    alerts = (List<Map<String, Object>>)rule.getOrDefault("alerts", List.of());
                }
            }
            if (!alerts.isEmpty())
            {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals(1, alerts.size(), "alerts: " + alerts);
        final Map<String, Object> labels = (Map<String, Object>)alerts.get(0).get("labels");
        assertEquals("ether13", labels.get("in_if_name"));
        assertEquals(IPFIX_EXPORTER, labels.get("exporter"));
        assertEquals("pending", alerts.get(0).get("state"), "for: 5m has not passed");
    }
}
