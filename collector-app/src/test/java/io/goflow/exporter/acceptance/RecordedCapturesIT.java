package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays every recorded capture of {@code ../shared/testdata/exports} and {@code vendor} into one
 * collector of the built distribution and compares the scrape with each capture's truth file.
 *
 * <p>Capture {@code c} (1-based, sorted by name) sends from {@code 127.1.c.1}, {@code 127.1.c.2},
 * ... (one address per original exporter), and the collector has the {@code exporter} dimension, so
 * every capture's series are told apart by the {@code exporter} label prefix {@code "127.1.c."};
 * sFlow records carry their agent address as exporter, so sFlow captures are told apart by the
 * agent addresses of their truth file.
 *
 * <p>Captures whose truth reports Wireshark decode errors are replayed last, one at a time: for
 * those only robustness is asserted (the collector stays healthy and counts errors).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordedCapturesIT
{
    private static final int RATE = 4000;

    private record Capture(int index, Path pcap, Truth truth)
    {
        String prefix()
        {
            return "127.1." + index + ".";
        }

        /**
         * Series of this capture: its replay source addresses, or for sFlow the agent addresses
         * the datagrams carry (the exporter of an sFlow record is its agent).
         */
        Predicate<Scrape.Sample> mine()
        {
            if (truth.isSflow())
            {
                final Set<String> agents = truth.sflowAgents();
                return s -> agents.contains(s.label(MetricNames.EXPORTER));
            }
            return CollectorProcess.labelStartsWith(MetricNames.EXPORTER, prefix());
        }
    }

    private final List<Capture> clean = new ArrayList<>();
    private final List<Capture> broken = new ArrayList<>();
    private CollectorProcess collector;
    private Scrape afterClean;
    private long sent;

    @BeforeAll
    void replayCleanCaptures() throws Exception
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
        for (int i = 0; i < pcaps.size(); i++)
        {
            final Truth t = Truth.of(pcaps.get(i));
            (t.hasDecodeErrors() ? broken : clean).add(new Capture(i + 1, pcaps.get(i), t));
        }
        final Map<String, String> agentOwner = new HashMap<>();
        for (final Capture c : clean)
        {
            if (c.truth().isSflow() && c.truth().total("flows") > 0)
            {
                for (final String agent : c.truth().sflowAgents())
                {
                    final String other = agentOwner.put(agent, c.truth().name());
                    if (other != null)
                    {
                        throw new AssertionError("sFlow agent " + agent + " has flows in " + other + " and " + c.truth().name()
                            + ": their series cannot be told apart in one collector");
                    }
                }
            }
        }
        collector = CollectorProcess.start("recorded", new CollectorProcess.Config());
        for (final Capture c : clean)
        {
            sent += PcapReplayer.send(PcapReplayer.read(c.pcap()), collector.ipv4(), InetAddress.getByName(c.prefix() + "1"), RATE);
        }
        afterClean = collector.awaitQuiet(sent, Duration.ofSeconds(60));
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
    Stream<DynamicTest> shouldEqualTruthTotalsWhenCleanCaptureIsReplayed()
    {
        return clean.stream().map(c -> DynamicTest.dynamicTest(c.truth().name(), () ->
        {
            final FlowExpectations.Totals exp = FlowExpectations.totals(c.truth());
            final List<String> bad = FlowExpectations.compareTotals(c.truth().name(), exp, afterClean, c.mine());
            assertTrue(bad.isEmpty(), String.join("\n", bad) + (exp.note().isEmpty() ? "" : "\n(" + exp.note() + ")"));
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldEqualTruthPerFiveTupleWhenCleanCaptureIsReplayed()
    {
        return clean.stream().filter(c -> FlowExpectations.perTupleComparable(c.truth())).map(c -> DynamicTest.dynamicTest(c.truth().name(), () ->
        {
            final List<String> bad = new ArrayList<>();
            bad.addAll(FlowExpectations.compareMaps("flows", FlowExpectations.perTuple(c.truth(), "flows"),
                FlowExpectations.scrapedPerTuple(afterClean, MetricNames.FLOWS, c.mine()), 10));
            bad.addAll(FlowExpectations.compareMaps("packets", FlowExpectations.perTuple(c.truth(), "packets_scaled"),
                FlowExpectations.scrapedPerTuple(afterClean, MetricNames.PACKETS, c.mine()), 10));
            if (!c.truth().isSflow())
            {
                bad.addAll(FlowExpectations.compareMaps("bytes", FlowExpectations.perTuple(c.truth(), "bytes_scaled"),
                    FlowExpectations.scrapedPerTuple(afterClean, MetricNames.BYTES, c.mine()), 10));
            }
            assertTrue(bad.isEmpty(), c.truth().name() + ":\n" + String.join("\n", bad));
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldStayHealthyAndCountErrorsWhenCaptureHasDecodeErrors()
    {
        return broken.stream().map(c -> DynamicTest.dynamicTest(c.truth().name(), () ->
        {
            final double before = errors(collector.scrape(MetricNames.DROPPED_PACKETS, MetricNames.DECODE_ERRORS));
            sent += PcapReplayer.send(PcapReplayer.read(c.pcap()), collector.ipv4(), InetAddress.getByName(c.prefix() + "1"), RATE);
            final Scrape after = collector.awaitQuiet(sent, Duration.ofSeconds(30));
            assertTrue(collector.healthy(), c.truth().name() + ": collector not healthy after replay; log:\n" + collector.logTail());
            assertTrue(errors(after) > before, c.truth().name() + ": Wireshark reports " + c.truth().number("undecoded_data_flowsets")
                + " undecodable sets, " + c.truth().number("malformed_frames") + " malformed frames, " + c.truth().map("expert_errors")
                + ", but " + MetricNames.DROPPED_PACKETS + " + " + MetricNames.DECODE_ERRORS + " did not move (" + before + ")");
        }));
    }

    private static double errors(final Scrape s)
    {
        return s.sum(MetricNames.DROPPED_PACKETS) + s.sum(MetricNames.DECODE_ERRORS, r -> !"no_sampling_rate".equals(r.label("reason")));
    }
}
