package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.ViewSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.KnownDifferences;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import io.prometheus.client.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.goflow.exporter.aggregate.TestFlows.MINUTE_NS;
import static io.goflow.exporter.aggregate.TestFlows.metrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every export capture of {@code ../shared/testdata/exports} replayed through
 * {@code DatagramDecoder -> AggregationEngine}, then scraped: the scrape must hold exactly what the
 * routers sent according to the truth file (Wireshark's decode), in total and per 5-tuple, and
 * exactly what the decoder emitted.
 *
 * <p>Comparison rules from {@code ../shared/README.md}: totals use {@code *_scaled_online} (a live
 * collector applies an options-announced rate only once it has seen it); sFlow bytes are L3, so they
 * are compared with {@code sflow.ip_bytes_scaled} (and left out per 5-tuple, where truth has L2
 * frame bytes only); an RFC 5103 biflow is emitted as one record per
 * direction and each direction counts as a flow, so its bytes and packets compare with forward plus
 * reverse, its flows with truth's biflow records plus the reverse records the decoder emitted, and
 * its 5-tuples not at all (truth keys them forward only); ICMP/ICMPv6 are compared per {@code src|dst|proto} (our ports are empty for
 * them, exporters put type/code in different fields).
 */
class AggregationTruthTest
{
    private static final List<Dimension> FIVE_TUPLE = List.of(
        Dimension.SRC_ADDR, Dimension.DST_ADDR, Dimension.PROTOCOL, Dimension.SRC_PORT, Dimension.DST_PORT);

    static List<Path> captures() throws IOException
    {
        try (Stream<Path> files = Files.list(TruthFile.testdata("exports")))
        {
            return files.filter(p -> p.toString().endsWith(".pcap")).sorted().collect(Collectors.toList());
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldScrapeExactlyTheTruthWhenCaptureIsReplayed(final Path pcap)
    {
        final TruthFile truth = TruthFile.forCapture(pcap);
        final long[] lastNs = {0};
        final ManualClock clock = new ManualClock(0);
        final AggregationEngine engine = new AggregationEngine(
            new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT, FIVE_TUPLE, MINUTE_NS, 50_000,
                10_000 * MINUTE_NS, false, 0,
                List.of(new ViewSettings("exporters", List.of(Dimension.EXPORTER), 16, 0))),
            metrics(List.of(LabelGroup.values()), Map.of()), clock);
        final FlowSink sink = new FlowSink()
        {
            @Override
            public void onFlowRecord(final FlowRecord record)
            {
                lastNs[0] = Math.max(lastNs[0], record.timeReceivedNs);
                engine.onFlowRecord(record, record.timeReceivedNs);
            }

            @Override
            public void onOtherRecord(final FlowRecord record)
            {
                if (record.kind() == FlowRecord.Kind.INTERFACE_COUNTERS)
                {
                    engine.onInterfaceCounters(record, record.timeReceivedNs);
                }
            }
        };
        final CaptureRun run = CaptureRun.run(pcap, CaptureRun.portMapOf(truth), CaptureRun.newDecoder(), sink);
        engine.onEndOfBatch(lastNs[0]);
        clock.nowNs = lastNs[0];

        final Map<String, Double> scraped = TestFlows.scrape(ScrapedFlowMetrics.of(engine));
        final long[] scrapedTotals = new long[3];
        final Map<String, long[]> scrapedTuples = new TreeMap<>();
        for (final Map.Entry<String, Double> e : scraped.entrySet())
        {
            final String[] parts = e.getKey().split("\\|", -1);
            final int field = List.of("flow_flows_total", "flow_bytes_total", "flow_packets_total").indexOf(parts[0]);
            if (field >= 0)
            {
                assertTrue(e.getValue() < 1L << 53, "exact as a double");
                final long value = e.getValue().longValue();
                scrapedTotals[field] += value;
                final boolean icmp = "1".equals(parts[3]) || "58".equals(parts[3]);
                final String key = parts[1] + "|" + parts[2] + "|" + parts[3] +
                    (icmp ? "" : "|" + portOrZero(parts[4]) + "|" + portOrZero(parts[5]));
                scrapedTuples.computeIfAbsent(key, k -> new long[3])[field] += value;
            }
        }

        final String name = pcap.getFileName().toString();
        final long decodedFlows = run.totals.flows + run.reverseRecords;
        assertEquals(decodedFlows, scrapedTotals[0], name + " flows vs decoder");
        assertEquals(run.totals.bytesScaled + run.totals.reverseBytes, scrapedTotals[1], name + " bytes vs decoder");
        assertEquals(run.totals.packetsScaled + run.totals.reversePackets, scrapedTotals[2], name + " packets vs decoder");
        assertEquals((double)decodedFlows, TestFlows.sum(ScrapedFlowMetrics.of(engine), "flow_exporters_flows_total"));

        final TruthFile.Totals totals = truth.totals();
        final boolean biflow = totals.reverseBytes() > 0;
        assertEquals(totals.flows() + run.reverseRecords, scrapedTotals[0], name + " flows vs truth");
        if (biflow)
        {
            assertTrue(run.reverseRecords > 0, name + " reverse records");
        }
        final long truthBytes = truth.isSflow() ? truth.sflow().ipBytesScaled() : totals.bytesScaledOnline();
        assertEquals(truthBytes + totals.reverseBytes(), scrapedTotals[1], name + " bytes vs truth");
        assertEquals(totals.packetsScaledOnline() + totals.reversePackets(), scrapedTotals[2], name + " packets vs truth");

        if (!biflow)
        {
            final boolean withBytes = !truth.isSflow();
            final Map<String, String> expected = truthTuples(truth, name, withBytes);
            assertTrue(expected.size() > 100, name + " tuples " + expected.size());
            assertEquals(expected, scrapedTuples.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue()[0] + "/" + (withBytes ? e.getValue()[1] : "-") + "/" + e.getValue()[2],
                (a, b) -> a, TreeMap::new)), name + " per 5-tuple");
        }
    }

    private static String portOrZero(final String label)
    {
        return label.isEmpty() ? "0" : label;
    }

    /**
     * @return truth's by_5tuple as {@code flows/bytes_scaled/packets_scaled} ({@code -} for bytes
     * when they are sFlow L2 frame bytes), ICMP folded to 3-tuples.
     */
    private static Map<String, String> truthTuples(final TruthFile truth, final String capture, final boolean withBytes)
    {
        final Map<String, long[]> tuples = new TreeMap<>();
        for (final Map.Entry<String, TruthFile.Agg> e : truth.by5Tuple().entrySet())
        {
            final String key = KnownDifferences.remap(capture, KnownDifferences.Kind.FIVE_TUPLE_KEY, e.getKey());
            final String[] parts = key.split("\\|", -1);
            final boolean icmp = "1".equals(parts[2]) || "58".equals(parts[2]);
            final String folded = icmp ? CaptureRun.threeTupleOf(key) : key;
            final long[] agg = tuples.computeIfAbsent(folded.replace("None", "0"), k -> new long[3]);
            agg[0] += e.getValue().flows();
            agg[1] += e.getValue().bytesScaled();
            agg[2] += e.getValue().packetsScaled();
        }
        return tuples.entrySet().stream().collect(Collectors.toMap(
            Map.Entry::getKey, e -> e.getValue()[0] + "/" + (withBytes ? e.getValue()[1] : "-") + "/" + e.getValue()[2],
            (a, b) -> a, TreeMap::new));
    }
}
