package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.ConfigLoader;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import io.prometheus.client.CollectorRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.goflow.exporter.aggregate.TestFlows.metrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interface names and speeds: bytes per {@code in_if_name} of vendor captures with many interfaces
 * equal the truth's per-interface totals under a static {@code aggregation.interfaces} list; names
 * learned from options data yield to configured ones; the speed gauge carries configured and sFlow
 * speeds.
 */
class InterfaceNamesTruthTest
{
    private static AggregationEngine engine(final String yaml) throws Exception
    {
        final Settings settings = ConfigLoader.loadString(yaml, "test.yaml");
        return new AggregationEngine(settings.aggregation(), metrics(List.of(LabelGroup.values()), Map.of()),
            new ManualClock(0));
    }

    /** Names every interface of the truth {@code port-<index>} except ifIndex 0, which has no name. */
    private static String interfaces(final TruthFile truth, final String exporter)
    {
        final StringBuilder sb = new StringBuilder("  interfaces:\n");
        for (final String index : truth.byInIf().keySet())
        {
            if (!index.equals("0"))
            {
                sb.append("    - {exporter: ").append(exporter).append(", index: ").append(index)
                    .append(", name: port-").append(index).append(", speed: 10G}\n");
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ls_ipfix_mikrotik", "ls_netflow9_cisco_asr9k_260", "ls_netflow5_mikrotik"})
    void shouldCountBytesPerInterfaceNameAsTheTruthPerInterface(final String capture) throws Exception
    {
        final java.nio.file.Path pcap = TruthFile.testdata("vendor").resolve(capture + ".pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);
        final String exporter = truth.json().get("exporters").fieldNames().next().split(" ")[0];
        final AggregationEngine engine = engine("aggregation:\n  dimensions: [exporter, in_if_name]\n" +
            interfaces(truth, exporter));
        final FlowSink sink = new FlowSink()
        {
            @Override
            public void onFlowRecord(final FlowRecord record)
            {
                engine.onFlowRecord(record, record.timeReceivedNs);
            }

            @Override
            public void onOtherRecord(final FlowRecord record)
            {
                engine.onInterfaceCounters(record, record.timeReceivedNs);
            }
        };
        final CaptureRun run = CaptureRun.run(pcap, CaptureRun.portMapOf(truth), CaptureRun.newDecoder(), sink);
        assertEquals(truth.totals().flows(), run.totals.flows, capture + " decoded flows");

        final Map<String, Long> expected = new TreeMap<>();
        truth.byInIf().forEach((index, agg) -> expected.merge(index.equals("0") ? "" : "port-" + index,
            agg.bytesScaled(), Long::sum));
        final Map<String, Long> scraped = new TreeMap<>();
        for (final Map.Entry<String, Double> e : TestFlows.scrape(ScrapedFlowMetrics.of(engine)).entrySet())
        {
            final String[] parts = e.getKey().split("\\|", -1);
            if (parts[0].equals("flow_bytes_total"))
            {
                assertEquals(exporter, parts[1]);
                scraped.merge(parts[2], e.getValue().longValue(), Long::sum);
            }
        }
        assertTrue(expected.size() >= 6, "interfaces " + expected.size());
        assertEquals(expected, scraped, capture);

        final CollectorRegistry registry = TestFlows.registry(ScrapedFlowMetrics.of(engine));
        final String index = expected.keySet().stream().filter(k -> !k.isEmpty()).findFirst().orElseThrow()
            .substring("port-".length());
        assertEquals(10e9, registry.getSampleValue("flow_interface_speed_bps",
            new String[]{"exporter", "if_index", "if_name"}, new String[]{exporter, index, "port-" + index}));
    }

    private static FlowRecord optionsName(final long ifIndex, final String name)
    {
        final FlowRecord r = new FlowRecord();
        r.kind = FlowRecord.Kind.OPTIONS;
        r.samplerIpv4(TestFlows.ipv4(192, 0, 2, 1));
        r.inIf = ifIndex;
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, r.interfaceName, 0, bytes.length);
        r.interfaceNameLength = bytes.length;
        return r;
    }

    @Test
    void shouldPreferConfiguredNamesAndSpeedsOverLearnedOnes() throws Exception
    {
        final AggregationEngine engine = engine("""
            aggregation:
              dimensions: [in_if_name, out_if_name]
              interfaces:
                - {exporter: 192.0.2.1, index: 2, name: core-uplink, speed: 100G}
            """);
        engine.onInterfaceCounters(optionsName(1, "Gi0/0/1"), 0);
        engine.onInterfaceCounters(optionsName(2, "Gi0/0/2"), 0);
        final FlowRecord counters = new FlowRecord();
        counters.kind = FlowRecord.Kind.INTERFACE_COUNTERS;
        counters.samplerIpv4(TestFlows.ipv4(192, 0, 2, 1));
        counters.ifIndex = 1;
        counters.ifSpeed = 1_000_000_000L;
        engine.onInterfaceCounters(counters, 0);
        counters.ifIndex = 2;
        engine.onInterfaceCounters(counters, 0);

        final FlowRecord flow = TestFlows.ipv4Flow(1, 2, 6, 1000, 80, 1500, 1);
        flow.samplerIpv4(TestFlows.ipv4(192, 0, 2, 1));
        flow.inIf = 1;
        flow.outIf = 2;
        engine.onFlowRecord(flow, 0);
        flow.inIf = 3;
        engine.onFlowRecord(flow, 0);

        final Map<String, Double> scraped = TestFlows.scrape(ScrapedFlowMetrics.of(engine));
        assertEquals(1500.0, scraped.get("flow_bytes_total|Gi0/0/1|core-uplink"));
        assertEquals(1500.0, scraped.get("flow_bytes_total||core-uplink"), "ifIndex 3 has no name");
        final CollectorRegistry registry = TestFlows.registry(ScrapedFlowMetrics.of(engine));
        final String[] names = {"exporter", "if_index", "if_name"};
        assertEquals(1e9, registry.getSampleValue("flow_interface_speed_bps", names,
            new String[]{"192.0.2.1", "1", "Gi0/0/1"}));
        assertEquals(100e9, registry.getSampleValue("flow_interface_speed_bps", names,
            new String[]{"192.0.2.1", "2", "core-uplink"}));
    }
}
