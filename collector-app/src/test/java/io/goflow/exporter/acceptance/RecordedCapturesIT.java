package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays every recorded capture of {@code ../shared/testdata/exports} and {@code vendor} into one
 * collector of the built distribution and compares the scrape with each capture's truth file.
 *
 * <p>Capture {@code c} (1-based, sorted by name) sends from {@code 127.1.c.1}, {@code 127.1.c.2},
 * ... (one address per original exporter), and the collector has the {@code exporter} dimension, so
 * every capture's series are told apart by the {@code exporter} label prefix {@code "127.1.c."}.
 * sFlow records carry their agent address as exporter, so sFlow captures are told apart by the
 * agent addresses of their truth file; captures sharing an agent are compared together.
 *
 * <p>How each capture is compared ({@link KnownDecodeDifferences.Mode}): exactly; as a superset
 * where the decoders' known-differences list says we decode more than Wireshark; for robustness
 * only where Wireshark itself reported errors or we knowingly refuse the capture. Robustness
 * captures are replayed last, one at a time, so their error counts can be attributed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordedCapturesIT
{
    private static final int RATE = 4000;

    /** One replayed capture. */
    private record Capture(int index, Path pcap, Truth truth, KnownDecodeDifferences.Mode mode)
    {
        String prefix()
        {
            return "127.1." + index + ".";
        }

        String file()
        {
            return pcap.getFileName().toString();
        }
    }

    /** Captures whose series cannot be told apart (sFlow captures sharing an agent address): compared as one. */
    private record Group(List<Capture> members)
    {
        String name()
        {
            return String.join(" + ", members.stream().map(c -> c.truth().name()).toList());
        }

        KnownDecodeDifferences.Mode mode()
        {
            return members.stream().map(Capture::mode).max(Enum::compareTo).orElseThrow();
        }

        Predicate<Scrape.Sample> series()
        {
            Predicate<Scrape.Sample> p = s -> false;
            for (final Capture c : members)
            {
                if (c.truth().isSflow())
                {
                    final Set<String> agents = c.truth().sflowAgents();
                    p = p.or(s -> agents.contains(s.label(MetricNames.EXPORTER)));
                }
                else
                {
                    p = p.or(CollectorProcess.labelStartsWith(MetricNames.EXPORTER, c.prefix()));
                }
            }
            return p;
        }

        FlowExpectations.Totals totals()
        {
            long flows = 0;
            long bytes = 0;
            long packets = 0;
            final StringBuilder note = new StringBuilder();
            for (final Capture c : members)
            {
                final FlowExpectations.Totals t = FlowExpectations.totals(c.truth());
                flows = flows < 0 || t.flows() < 0 ? -1 : flows + t.flows();
                bytes += t.bytes();
                packets += t.packets();
                note.append(t.note());
            }
            return new FlowExpectations.Totals(flows, bytes, packets, note.toString());
        }

        Map<String, Long> perTuple(final String counter)
        {
            final Map<String, Long> out = new HashMap<>();
            members.forEach(c -> FlowExpectations.perTuple(c.truth(), counter).forEach((k, v) -> out.merge(k, v, Long::sum)));
            return out;
        }

        boolean perTupleComparable()
        {
            return members.stream().allMatch(c -> FlowExpectations.perTupleComparable(c.truth()));
        }

        boolean sflow()
        {
            return members.stream().anyMatch(c -> c.truth().isSflow());
        }

        String reasons()
        {
            final StringBuilder sb = new StringBuilder();
            members.forEach(c -> sb.append(KnownDecodeDifferences.reasons(c.file())));
            return sb.toString();
        }
    }

    private final List<Group> compared = new ArrayList<>();
    private final List<Group> robustness = new ArrayList<>();
    private CollectorProcess collector;
    private Scrape afterCompared;
    private long sent;

    @BeforeAll
    void replayComparedCaptures() throws Exception
    {
        final List<Path> pcaps = new ArrayList<>();
        for (final String dir : new String[] {"exports", "vendor"})
        {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(SharedData.testdata(dir), "*.pcap"))
            {
                ds.forEach(pcaps::add);
            }
        }
        pcaps.sort(null);
        final Map<String, Group> byAgent = new HashMap<>();
        for (int i = 0; i < pcaps.size(); i++)
        {
            final Truth t = Truth.of(pcaps.get(i));
            final Capture c = new Capture(i + 1, pcaps.get(i), t, KnownDecodeDifferences.mode(pcaps.get(i).getFileName().toString(), t));
            Group g = null;
            for (final String agent : t.isSflow() ? t.sflowAgents() : Set.<String>of())
            {
                g = g == null ? byAgent.get(agent) : g;
            }
            if (g == null)
            {
                g = new Group(new ArrayList<>());
                (c.mode() == KnownDecodeDifferences.Mode.ROBUSTNESS ? robustness : compared).add(g);
            }
            else if (c.mode() == KnownDecodeDifferences.Mode.ROBUSTNESS || g.mode() == KnownDecodeDifferences.Mode.ROBUSTNESS)
            {
                throw new AssertionError(t.name() + " shares an sFlow agent with " + g.name() + " and one of them is a robustness-only capture");
            }
            g.members().add(c);
            for (final String agent : t.isSflow() ? t.sflowAgents() : Set.<String>of())
            {
                byAgent.put(agent, g);
            }
        }
        collector = CollectorProcess.start("recorded", new CollectorProcess.Config());
        for (final Group g : compared)
        {
            for (final Capture c : g.members())
            {
                sent += replay(c);
            }
        }
        afterCompared = collector.awaitQuiet(sent, Duration.ofSeconds(60));
    }

    private int replay(final Capture c) throws Exception
    {
        return PcapReplayer.send(PcapReplayer.read(c.pcap()), collector.ipv4(), InetAddress.getByName(c.prefix() + "1"), RATE);
    }

    @AfterAll
    void stop() throws Exception
    {
        if (collector != null)
        {
            collector.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> shouldMatchTruthTotalsWhenCaptureIsReplayed()
    {
        return compared.stream().map(g -> DynamicTest.dynamicTest(g.name() + " (" + g.mode() + ")", () ->
        {
            final FlowExpectations.Totals exp = g.totals();
            final List<String> bad = g.mode() == KnownDecodeDifferences.Mode.EXACT
                ? FlowExpectations.compareTotals(g.name(), exp, afterCompared, g.series())
                : FlowExpectations.compareTotalsAtLeast(g.name(), exp, afterCompared, g.series(), true);
            assertTrue(bad.isEmpty(), String.join("\n", bad) + (exp.note().isEmpty() ? "" : "\n(" + exp.note() + ")") + g.reasons());
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldMatchTruthPerFiveTupleWhenCaptureIsReplayed()
    {
        return compared.stream().filter(Group::perTupleComparable).map(g -> DynamicTest.dynamicTest(g.name() + " (" + g.mode() + ")", () ->
        {
            final List<String> bad = new ArrayList<>();
            final boolean exact = g.mode() == KnownDecodeDifferences.Mode.EXACT;
            final List<String> counters = new ArrayList<>(List.of("packets_scaled"));
            if (g.totals().flows() >= 0)
            {
                counters.add("flows");
            }
            if (!g.sflow())
            {
                counters.add("bytes_scaled");
            }
            for (final String counter : counters)
            {
                final String metric = counter.startsWith("flows") ? MetricNames.FLOWS : counter.startsWith("bytes") ? MetricNames.BYTES : MetricNames.PACKETS;
                final Map<String, Long> expected = g.perTuple(counter);
                final Map<String, Long> got = FlowExpectations.scrapedPerTuple(afterCompared, metric, g.series());
                bad.addAll(exact ? FlowExpectations.compareMaps(counter, expected, got, 10) : FlowExpectations.compareAtLeast(counter, expected, got, 10));
            }
            assertTrue(bad.isEmpty(), g.name() + ":\n" + String.join("\n", bad) + g.reasons());
        }));
    }

    /**
     * Where Wireshark could not decode everything, its truth is a lower bound at best: the collector
     * must stay healthy and either count errors for the capture or show at least the truth's
     * records (then it decoded what Wireshark could not).
     */
    @TestFactory
    Stream<DynamicTest> shouldStayHealthyAndCountErrorsOrDecodeMoreWhenWiresharkCouldNot()
    {
        return robustness.stream().map(g -> DynamicTest.dynamicTest(g.name(), () ->
        {
            final double before = errors(collector.scrape(MetricNames.DROPPED_PACKETS, MetricNames.DECODE_ERRORS));
            for (final Capture c : g.members())
            {
                sent += replay(c);
            }
            final Scrape after = collector.awaitQuiet(sent, Duration.ofSeconds(30), MetricNames.FLOWS, MetricNames.BYTES,
                MetricNames.PACKETS, MetricNames.DROPPED_PACKETS, MetricNames.DECODE_ERRORS);
            assertTrue(collector.healthy(), g.name() + ": collector not healthy after replay; log:\n" + collector.logTail());
            final List<String> below = new ArrayList<>(FlowExpectations.compareTotalsAtLeast(g.name(), g.totals(), after, g.series(), false));
            below.addAll(FlowExpectations.compareAtLeast("packets_scaled", g.perTuple("packets_scaled"),
                FlowExpectations.scrapedPerTuple(after, MetricNames.PACKETS, g.series()), 5));
            final Truth t = g.members().get(0).truth();
            assertTrue(errors(after) > before || below.isEmpty(), g.name() + ": Wireshark reports " + t.number("undecoded_data_flowsets")
                + " undecodable sets, " + t.number("malformed_frames") + " malformed frames, " + t.map("expert_errors")
                + "; the collector neither counted an error (" + MetricNames.DROPPED_PACKETS + " + " + MetricNames.DECODE_ERRORS
                + " stayed at " + before + ") nor decoded at least the truth:\n" + String.join("\n", below) + g.reasons());
        }));
    }

    /**
     * A datagram cut inside its NetFlow/IPFIX header is lost whole: it must show in the datagram
     * drop count ({@code flow_dropped_packets_total}), which the drop-rate panel and the
     * FlowCollectorDrops alert divide by received datagrams.
     */
    @Test
    void shouldCountDatagramDroppedWholeWhenCutInsideItsHeader() throws Exception
    {
        final List<PcapReplayer.Datagram> cut = new ArrayList<>();
        final InetAddress fake = InetAddress.getByName("192.0.2.98");
        for (int i = 0; i < 5; i++)
        {
            SyntheticExports.truncatedHeaders().forEach(b -> cut.add(new PcapReplayer.Datagram(fake, 2055, b)));
        }
        final Scrape before = collector.scrape(MetricNames.DROPPED_PACKETS, MetricNames.DROPPED_RECORDS);
        sent += PcapReplayer.send(cut, collector.ipv4(), InetAddress.getByName("127.1.250.1"), RATE);
        final Scrape after = collector.awaitQuiet(sent, Duration.ofSeconds(30), MetricNames.DROPPED_PACKETS, MetricNames.DROPPED_RECORDS);
        assertEquals(cut.size(), after.sum(MetricNames.DROPPED_PACKETS) - before.sum(MetricNames.DROPPED_PACKETS),
            cut.size() + " datagrams shorter than their v5/v9/IPFIX header; dropped packets by reason before "
                + before.sumBy(MetricNames.DROPPED_PACKETS, s -> true, "reason") + ", after "
                + after.sumBy(MetricNames.DROPPED_PACKETS, s -> true, "reason") + "; dropped records by reason after "
                + after.sumBy(MetricNames.DROPPED_RECORDS, s -> true, "reason"));
    }

    private static double errors(final Scrape s)
    {
        return s.sum(MetricNames.DROPPED_PACKETS) + s.sum(MetricNames.DECODE_ERRORS);
    }
}
