package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.PrefixLengths;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.goflow.exporter.aggregate.TestFlows.MINUTE_NS;
import static io.goflow.exporter.aggregate.TestFlows.metrics;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The flow-field dimensions: label text per field, and ip_version / protocol against a truth file. */
class FlowFieldDimensionsTest
{
    private static AggregationEngine engine(final List<Dimension> dimensions)
    {
        return new AggregationEngine(TestFlows.aggregation(dimensions, 1000, 60 * MINUTE_NS, List.of()),
            metrics(List.of(LabelGroup.values()), Map.of()), new ManualClock(0));
    }

    @Test
    void shouldLabelEachFlowFieldAsDocumentedWhenRecordCarriesIt()
    {
        final AggregationEngine engine = engine(List.of(Dimension.IP_VERSION, Dimension.DSCP, Dimension.TCP_FLAGS,
            Dimension.VLAN, Dimension.DIRECTION, Dimension.NEXT_HOP, Dimension.FORWARDING_STATUS,
            Dimension.ICMP_TYPE, Dimension.ICMP_CODE, Dimension.SAMPLER));
        final FlowRecord tcp = TestFlows.ipv4Flow(1, 2, 6, 1000, 443, 100, 1);
        tcp.tos = 0xB8;
        tcp.tcpFlags = 0x1B;
        tcp.dstVlan = 20;
        tcp.direction = FlowRecord.DIRECTION_EGRESS;
        tcp.nextHopIpv4(TestFlows.ipv4(192, 0, 2, 254));
        tcp.forwardingStatus = 64;
        tcp.samplerId = 3;
        engine.onFlowRecord(tcp, 0);
        final FlowRecord echo = TestFlows.ipv4Flow(1, 2, 1, 0, 8 << 8, 84, 1);
        engine.onFlowRecord(echo, 0);
        final FlowRecord reply = TestFlows.ipv4Flow(2, 1, 1, 0, 0, 84, 1);
        reply.icmpType = 0;
        engine.onFlowRecord(reply, 0);
        final FlowRecord unreachable = TestFlows.ipv4Flow(2, 1, 1, 0, 0, 56, 1);
        unreachable.icmpType = 3;
        unreachable.icmpCode = 1;
        engine.onFlowRecord(unreachable, 0);

        final Map<String, Double> scraped = TestFlows.scrape(ScrapedFlowMetrics.of(engine));
        assertEquals(100.0, scraped.get("flow_bytes_total|4|46|27|20|egress|192.0.2.254|64|||3"));
        assertEquals(84.0, scraped.get("flow_bytes_total|4|0||||||8|0|"), "type/code from the v5/v9 destination port");
        assertEquals(84.0, scraped.get("flow_bytes_total|4|0||||||0|0|"), "echo reply is type 0, not unknown");
        assertEquals(56.0, scraped.get("flow_bytes_total|4|0||||||3|1|"), "IE 32 type and code");
    }

    private static AggregationEngine networkEngine(final PrefixLengths lengths)
    {
        return new AggregationEngine(TestFlows.aggregation(List.of(Dimension.SRC_NET, Dimension.DST_NET), 1000,
            60 * MINUTE_NS, List.of()).withNetworks(List.of(), "", 10_000_000_000L, lengths),
            metrics(List.of(LabelGroup.values()), Map.of()), new ManualClock(0));
    }

    @Test
    void shouldUseTheRoutersMasksWhenPrefixLengthsIsFlow()
    {
        final AggregationEngine engine = networkEngine(new PrefixLengths(24, 48, true));
        final FlowRecord v4 = TestFlows.ipv4Flow(TestFlows.ipv4(198, 51, 100, 7), TestFlows.ipv4(203, 0, 113, 9), 6, 1, 2, 10, 1);
        v4.srcMask = 20;
        v4.dstMask = 0;
        engine.onFlowRecord(v4, 0);
        final FlowRecord v6 = new FlowRecord();
        v6.srcIpv6(0x2001_0DB8_1234_5678L, 1);
        v6.dstIpv6(0x2001_0DB8_FFFF_0000L, 2);
        v6.srcMask = 64;
        v6.dstMask = 33;
        v6.bytes = 20;
        v6.packets = 1;
        engine.onFlowRecord(v6, 0);
        final Map<String, Double> scraped = TestFlows.scrape(ScrapedFlowMetrics.of(engine));
        assertEquals(10.0, scraped.get("flow_bytes_total|198.51.96.0/20|"), "mask 0 is unknown: empty label");
        assertEquals(20.0, scraped.get("flow_bytes_total|2001:db8:1234:5678::/64|2001:db8:8000::/33"));
    }

    @Test
    void shouldLeaveUnnamedAddressesEmptyWhenPrefixLengthIsZero()
    {
        final AggregationEngine engine = networkEngine(new PrefixLengths(0, 48, false));
        engine.onFlowRecord(TestFlows.ipv4Flow(TestFlows.ipv4(198, 51, 100, 7), TestFlows.ipv4(203, 0, 113, 9), 6, 1, 2, 10, 1), 0);
        assertEquals(10.0, TestFlows.scrape(ScrapedFlowMetrics.of(engine)).get("flow_bytes_total||"));
    }

    @Test
    void shouldCountBytesPerIpVersionAndProtocolAsTheTruth()
    {
        final Path pcap = TruthFile.testdata("exports").resolve("softflowd_ipfix.pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);
        final AggregationEngine engine = engine(List.of(Dimension.IP_VERSION, Dimension.PROTOCOL));
        CaptureRun.run(pcap, CaptureRun.portMapOf(truth), CaptureRun.newDecoder(), new FlowSink()
        {
            @Override
            public void onFlowRecord(final FlowRecord record)
            {
                engine.onFlowRecord(record, record.timeReceivedNs);
            }

            @Override
            public void onOtherRecord(final FlowRecord record)
            {
            }
        });
        final Map<String, Long> byVersion = new TreeMap<>();
        final Map<String, Long> byProtocol = new TreeMap<>();
        for (final Map.Entry<String, Double> e : TestFlows.scrape(ScrapedFlowMetrics.of(engine)).entrySet())
        {
            final String[] parts = e.getKey().split("\\|", -1);
            if (parts[0].equals("flow_bytes_total"))
            {
                byVersion.merge(parts[1], e.getValue().longValue(), Long::sum);
                byProtocol.merge(parts[2], e.getValue().longValue(), Long::sum);
            }
        }
        final Map<String, Long> expectedVersion = new TreeMap<>();
        truth.byIpVersion().forEach((k, v) -> expectedVersion.put(k, v.bytesScaled()));
        final Map<String, Long> expectedProtocol = new TreeMap<>();
        truth.byProtocol().forEach((k, v) -> expectedProtocol.put(k, v.bytesScaled()));
        assertEquals(expectedVersion, byVersion);
        assertEquals(expectedProtocol, byProtocol);
    }
}
