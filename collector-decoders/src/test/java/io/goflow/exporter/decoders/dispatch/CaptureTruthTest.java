package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.KnownDifferences;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared capture ({@code testdata/vendor}, {@code testdata/exports}) decoded through the full
 * {@link DatagramDecoder} with the truth file's port map, compared with its {@code .truth.json}.
 *
 * <ul>
 *   <li>Compared: flow records, bytes, packets, bytes and packets scaled by the rate each record
 *       carried (truth's {@code *_scaled_online}: a streaming collector only knows options seen
 *       earlier), RFC 5103 reverse bytes/packets, per 5-tuple flows/bytes/packets (ICMP and ICMPv6
 *       per src|dst|proto, as exporters put type/code in different fields), flows per input and
 *       output interface. sFlow: truth {@code bytes} is the agent's frame length, compared with our
 *       {@code frameLength}; {@code sflow.ip_bytes} (L3) with our {@code bytes}.</li>
 *   <li>Where Wireshark itself reports malformed frames, undecodable sets (e.g. data before its
 *       template, which we hold and replay, so we decode more) or expert errors, totals are not
 *       binding: the test asserts that the capture decodes without an exception and that we either
 *       count errors or match the truth anyway.</li>
 *   <li>Known, deliberate differences are listed with their reasons in {@link KnownDifferences}.</li>
 * </ul>
 */
class CaptureTruthTest
{
    static List<Path> captures()
    {
        return TruthFile.captures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldMatchWiresharkTruthWhenDecodingCapture(final Path pcap)
    {
        final TruthFile truth = TruthFile.forCapture(pcap);
        final CaptureRun run = CaptureRun.run(pcap, truth);
        final List<String> mismatches = compare(truth, run);
        final long errors = countedErrors(run.decoder.counters());

        final KnownDifferences.Difference whole = KnownDifferences.capture(truth.captureName(), KnownDifferences.Kind.WHOLE_CAPTURE);
        if (whole != null)
        {
            assertTrue(errors > 0, whole.reason() + ": expected errors to be counted");
            return;
        }
        final KnownDifferences.Difference superset = KnownDifferences.capture(truth.captureName(), KnownDifferences.Kind.SUPERSET);
        if (superset != null)
        {
            assertEquals(List.of(), supersetViolations(truth, run), superset.reason());
            return;
        }
        if (truth.hasDecodeErrors())
        {
            final List<String> violations = supersetViolations(truth, run);
            System.out.println(truth.captureName() + " (Wireshark errors): " + (mismatches.isEmpty() ? "matches truth"
                : violations.isEmpty() ? "superset of truth" : "differs") + ", errors counted " + errors);
            assertTrue(errors > 0 || mismatches.isEmpty() || violations.isEmpty(),
                truth.captureName() + ": Wireshark reports errors; we neither count any, nor match, nor decode a superset: "
                    + mismatches + " / " + violations);
            return;
        }
        assertEquals(List.of(), mismatches, "differences from " + truth.captureName());
    }

    /**
     * Where we decode more than Wireshark: every truth 5-tuple (compared as in {@link #compare}) must
     * be in ours with at least its flows, bytes and packets.
     */
    static List<String> supersetViolations(final TruthFile truth, final CaptureRun run)
    {
        final List<String> out = new ArrayList<>();
        final Map<String, String> expected = expectedTuples(truth);
        final Map<String, String> actual = actualTuples(truth, run);
        if (run.totals.flows < truth.totals().flows())
        {
            out.add("flows: truth " + truth.totals().flows() + ", ours " + run.totals.flows);
        }
        expected.forEach((k, e) ->
        {
            final String a = actual.get(k);
            final String[] x = e.split("/");
            final String[] y = a == null ? new String[] {"0", "0", "0", "0"} : a.split("/");
            for (int i = 0; i < 3; i++)
            {
                if (Long.parseLong(y[i]) < Long.parseLong(x[i]))
                {
                    out.add("5-tuple " + k + ": truth " + e + ", ours " + a);
                    break;
                }
            }
        });
        return out;
    }

    private static Map<String, String> expectedTuples(final TruthFile truth)
    {
        final boolean reverse = KnownDifferences.capture(truth.captureName(), KnownDifferences.Kind.REVERSE_NOT_IN_TRUTH) == null;
        final Map<String, String> truthTuples = new TreeMap<>();
        truth.by5Tuple().forEach((k, v) ->
            truthTuples.put(k, tuple(v.flows(), v.bytes(), v.packets(), reverse ? v.reverseBytes() : 0)));
        return KnownDifferences.remapKeys(truth.captureName(),
            KnownDifferences.Kind.FIVE_TUPLE_KEY, truthTuples, CaptureTruthTest::comparisonKey, CaptureTruthTest::add);
    }

    private static Map<String, String> actualTuples(final TruthFile truth, final CaptureRun run)
    {
        final boolean reverse = KnownDifferences.capture(truth.captureName(), KnownDifferences.Kind.REVERSE_NOT_IN_TRUTH) == null;
        final Map<String, String> actual = new TreeMap<>();
        run.by5Tuple.forEach((k, v) -> actual.merge(comparisonKey(k),
            tuple(v.flows, truth.isSflow() ? v.frameBytes : v.bytes, v.packets, reverse ? v.reverseBytes : 0),
            CaptureTruthTest::add));
        return actual;
    }

    /** @return problems counted: datagrams rejected whole plus errors inside accepted ones. */
    static long countedErrors(final DecodeCounters counters)
    {
        long sum = 0;
        for (final DecodeError e : DecodeError.values())
        {
            sum += counters.errors(e) + counters.rejections(e);
        }
        return sum;
    }

    static List<String> compare(final TruthFile truth, final CaptureRun run)
    {
        final List<String> out = new ArrayList<>();
        final TruthFile.Totals t = truth.totals();
        final CaptureRun.Agg our = run.totals;
        check(out, "flows", t.flows(), our.flows);
        check(out, "packets", t.packets(), our.packets);
        if (truth.isSflow())
        {
            check(out, "frame bytes", t.bytes(), our.frameBytes);
            check(out, "frame bytes scaled", t.bytesScaledOnline(), our.frameBytesScaled);
            check(out, "ip bytes", truth.sflow().ipBytes(), our.bytes);
            check(out, "ip bytes scaled", truth.sflow().ipBytesScaled(), our.bytesScaled);
        }
        else
        {
            check(out, "bytes", t.bytes(), our.bytes);
            check(out, "bytes scaled online", t.bytesScaledOnline(), our.bytesScaled);
        }
        check(out, "packets scaled online", t.packetsScaledOnline(), our.packetsScaled);
        if (KnownDifferences.capture(truth.captureName(), KnownDifferences.Kind.REVERSE_NOT_IN_TRUTH) == null)
        {
            check(out, "reverse bytes", t.reverseBytes(), our.reverseBytes);
            check(out, "reverse packets", t.reversePackets(), our.reversePackets);
        }

        final Map<String, String> expected = expectedTuples(truth);
        final Map<String, String> actual = actualTuples(truth, run);
        diff(out, "5-tuple", expected, actual);

        final Map<String, String> truthIn = new TreeMap<>();
        truth.byInIf().forEach((k, v) -> truthIn.merge(ifKey(k), Long.toString(v.flows()), CaptureTruthTest::add));
        final Map<String, String> ourIn = new TreeMap<>();
        run.byInIf.forEach((k, v) -> ourIn.put(k, Long.toString(v.flows)));
        diff(out, "in_if", truthIn, ourIn);
        final Map<String, String> truthOut = new TreeMap<>();
        truth.byOutIf().forEach((k, v) -> truthOut.merge(
            ifKey(KnownDifferences.remap(truth.captureName(), KnownDifferences.Kind.OUT_IF_KEY, k)),
            Long.toString(v.flows()), CaptureTruthTest::add));
        final Map<String, String> ourOut = new TreeMap<>();
        run.byOutIf.forEach((k, v) -> ourOut.put(k, Long.toString(v.flows)));
        diff(out, "out_if", truthOut, ourOut);
        return out;
    }

    /** ICMP and ICMPv6 compare per src|dst|proto; everything else per 5-tuple. */
    static String comparisonKey(final String fiveTuple)
    {
        final String[] parts = fiveTuple.split("\\|");
        if (parts.length > 2 && ("1".equals(parts[2]) || "58".equals(parts[2])))
        {
            return CaptureRun.threeTupleOf(fiveTuple);
        }
        return fiveTuple;
    }

    private static String ifKey(final String key)
    {
        return "None".equals(key) ? "0" : key;
    }

    private static String tuple(final long flows, final long bytes, final long packets, final long reverseBytes)
    {
        return flows + "/" + bytes + "/" + packets + "/" + reverseBytes;
    }

    private static String add(final String a, final String b)
    {
        final String[] x = a.split("/");
        final String[] y = b.split("/");
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.length; i++)
        {
            sb.append(i == 0 ? "" : "/").append(Long.parseLong(x[i]) + Long.parseLong(y[i]));
        }
        return sb.toString();
    }

    private static void check(final List<String> out, final String what, final long expected, final long actual)
    {
        if (expected != actual)
        {
            out.add(what + ": truth " + expected + ", ours " + actual);
        }
    }

    private static void diff(final List<String> out, final String what,
        final Map<String, String> expected, final Map<String, String> actual)
    {
        int shown = 0;
        int total = 0;
        final TreeMap<String, String> keys = new TreeMap<>(expected);
        actual.forEach(keys::putIfAbsent);
        for (final String k : keys.keySet())
        {
            final String e = expected.get(k);
            final String a = actual.get(k);
            if (e == null ? a != null : !e.equals(a))
            {
                total++;
                if (shown++ < 8)
                {
                    out.add(what + " " + k + ": truth " + e + ", ours " + a);
                }
            }
        }
        if (total > shown)
        {
            out.add(what + ": " + (total - shown) + " more differences");
        }
    }
}
