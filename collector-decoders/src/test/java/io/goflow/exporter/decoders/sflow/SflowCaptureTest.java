package io.goflow.exporter.decoders.sflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.KnownDifferences;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sFlow decoder alone against every sFlow capture, compared with the truth: truth's
 * {@code bytes} is the agent's frame length (our {@code frameLength}), its {@code sflow.ip_bytes}
 * the L3 length (our {@code bytes}).
 */
class SflowCaptureTest
{
    static List<Path> captures()
    {
        return TruthFile.captures().stream().filter(p -> TruthFile.forCapture(p).isSflow()).collect(Collectors.toList());
    }

    private static CaptureRun run(final Path pcap, final TruthFile truth)
    {
        final SflowDecoder decoder = new SflowDecoder(new DecodeCounters());
        return CaptureRun.run(pcap, CaptureRun.portMapOf(truth),
            decoder::decode, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldMatchTruthTotalsWhenDecodingSflowCapture(final Path pcap)
    {
        final TruthFile truth = TruthFile.forCapture(pcap);
        final CaptureRun run = run(pcap, truth);
        assertEquals(truth.totals().flows(), run.totals.flows, "flows");
        assertEquals(truth.totals().packets(), run.totals.packets, "packets");
        assertEquals(truth.totals().bytes(), run.totals.frameBytes, "frame bytes");
        assertEquals(truth.totals().bytesScaled(), run.totals.frameBytesScaled, "frame bytes scaled");
        assertEquals(truth.totals().packetsScaled(), run.totals.packetsScaled, "packets scaled");
        assertEquals(truth.sflow().ipBytes(), run.totals.bytes, "ip bytes");
        assertEquals(truth.sflow().ipBytesScaled(), run.totals.bytesScaled, "ip bytes scaled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldMatchTruthPerFiveTupleWhenDecodingSflowCapture(final Path pcap)
    {
        final TruthFile truth = TruthFile.forCapture(pcap);
        final CaptureRun run = run(pcap, truth);
        final Map<String, String> truthValues = new TreeMap<>();
        truth.by5Tuple().forEach((k, v) -> truthValues.put(k, v.flows() + "/" + v.bytes()));
        final Map<String, String> expected = KnownDifferences.remapKeys(truth.captureName(), KnownDifferences.Kind.FIVE_TUPLE_KEY,
            truthValues, k -> isIcmp(k) ? CaptureRun.threeTupleOf(k) : k, SflowCaptureTest::sum);
        final Map<String, String> actual = new TreeMap<>();
        run.by5Tuple.forEach((k, v) -> actual.merge(isIcmp(k) ? CaptureRun.threeTupleOf(k) : k,
            v.flows + "/" + v.frameBytes, SflowCaptureTest::sum));
        assertEquals(expected, actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldMatchTruthPerInterfaceWhenDecodingSflowCapture(final Path pcap)
    {
        final TruthFile truth = TruthFile.forCapture(pcap);
        final CaptureRun run = run(pcap, truth);
        final Map<String, Long> expectedIn = new TreeMap<>();
        truth.byInIf().forEach((k, v) -> expectedIn.put(k, v.flows()));
        final Map<String, Long> actualIn = new TreeMap<>();
        run.byInIf.forEach((k, v) -> actualIn.put(k, v.flows));
        assertEquals(expectedIn, actualIn, "by in_if");
        final Map<String, Long> expectedOut = new TreeMap<>();
        truth.byOutIf().forEach((k, v) -> expectedOut.merge(
            KnownDifferences.remap(truth.captureName(), KnownDifferences.Kind.OUT_IF_KEY, k), v.flows(), Long::sum));
        final Map<String, Long> actualOut = new TreeMap<>();
        run.byOutIf.forEach((k, v) -> actualOut.put(k, v.flows));
        assertEquals(expectedOut, actualOut, "by out_if");
    }

    static boolean isIcmp(final String key)
    {
        final String[] parts = key.split("\\|");
        return parts.length > 2 && ("1".equals(parts[2]) || "58".equals(parts[2]));
    }

    private static String sum(final String a, final String b)
    {
        final String[] x = a.split("/");
        final String[] y = b.split("/");
        return (Long.parseLong(x[0]) + Long.parseLong(y[0])) + "/" + (Long.parseLong(x[1]) + Long.parseLong(y[1]));
    }
}
