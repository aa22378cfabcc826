package io.goflow.exporter.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DecodeCommandTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cl = new CommandLine(new DecodeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private List<JsonNode> lines() throws Exception
    {
        final List<JsonNode> result = new ArrayList<>();
        for (final String line : out.toString().split("\n"))
        {
            if (!line.isEmpty())
            {
                result.add(MAPPER.readTree(line));
            }
        }
        return result;
    }

    private static Path capture(final String sub, final String name)
    {
        return TruthFile.testdata(sub).resolve(name);
    }

    /** The first non-ICMP 5-tuple of the truth seen exactly once, and our JSON line for it. */
    private static JsonNode findSingle(final TruthFile truth, final List<JsonNode> lines, final String[] keyOut)
    {
        for (final Map.Entry<String, TruthFile.Agg> e : truth.by5Tuple().entrySet())
        {
            final String[] k = e.getKey().split("\\|");
            if (e.getValue().flows() != 1 || "1".equals(k[2]) || "58".equals(k[2]))
            {
                continue;
            }
            for (final JsonNode n : lines)
            {
                if (n.get("src_addr").asText().equals(k[0]) && n.get("dst_addr").asText().equals(k[1])
                    && n.get("proto").asText().equals(k[2]) && n.get("src_port").asText().equals(k[3])
                    && n.get("dst_port").asText().equals(k[4]))
                {
                    keyOut[0] = e.getKey();
                    return n;
                }
            }
        }
        return null;
    }

    @Test
    void shouldPrintOneJsonLinePerFlowMatchingTruthWhenDecodingNetflowV5Capture() throws Exception
    {
        final Path pcap = capture("exports", "softflowd_v5.pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);

        assertEquals(0, run(pcap.toString()));

        final List<JsonNode> lines = lines();
        assertEquals(truth.totals().flows(), lines.size());
        final String[] key = new String[1];
        final JsonNode record = findSingle(truth, lines, key);
        assertNotNull(record, "no truth 5-tuple found in the output");
        assertEquals("NETFLOW_V5", record.get("type").asText());
        assertEquals(truth.by5Tuple().get(key[0]).bytes(), record.get("bytes").asLong());
        assertEquals(truth.by5Tuple().get(key[0]).packets(), record.get("packets").asLong());
        assertEquals("127.0.0.1", record.get("sampler_address").asText());
    }

    @Test
    void shouldReportFrameLengthAndRateWhenDecodingSflowCapture() throws Exception
    {
        final Path pcap = capture("exports", "pmacctd_sfprobe_s20.pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);

        assertEquals(0, run("--port-map", "6343=sflow", pcap.toString()));

        final List<JsonNode> lines = lines();
        assertEquals(truth.totals().flows(), lines.size());
        final String[] key = new String[1];
        final JsonNode record = findSingle(truth, lines, key);
        assertNotNull(record);
        assertEquals("SFLOW_5", record.get("type").asText());
        assertEquals(truth.by5Tuple().get(key[0]).bytes(), record.get("frame_length").asLong());
        assertEquals(20, record.get("sampling_rate").asLong());
        assertEquals("192.0.2.10", record.get("sampler_address").asText());
        assertEquals(7, record.get("in_if").asLong());
    }

    @Test
    void shouldPrintCounterSamplesWhenAllIsGiven() throws Exception
    {
        final Path pcap = capture("vendor", "lsf_sflow_counters.pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);

        assertEquals(0, run("--all", pcap.toString()));

        final List<JsonNode> lines = lines();
        assertEquals(0, truth.totals().flows());
        // the truth counts 12 counter samples; tshark -V shows 9 generic interface (0:1) records in them
        assertEquals(12, truth.sflow().counterSamples());
        assertEquals(9, lines.size());
        for (final JsonNode n : lines)
        {
            assertEquals("SFLOW_5_COUNTERS", n.get("type").asText());
        }
    }

    @Test
    void shouldPrintPacketReportsWithAddressesAndComputedCountersMatchingTruth() throws Exception
    {
        final Path pcap = Path.of("../collector-decoders/src/test/resources/captures/psamp/softflowd_psamp_s100.pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);

        assertEquals(0, run("--port-map", "21001=ipfix", pcap.toString()));

        final List<JsonNode> lines = lines();
        assertEquals(truth.totals().flows(), lines.size());
        assertEquals(truth.totals().bytes(), lines.stream().mapToLong(n -> n.get("bytes").asLong()).sum());
        assertEquals(truth.totals().packets(), lines.stream().mapToLong(n -> n.get("packets").asLong()).sum());
        final String[] key = new String[1];
        final JsonNode one = findSingle(truth, lines, key);
        assertEquals(truth.by5Tuple().get(key[0]).bytes(), one.get("bytes").asLong());
        assertTrue(lines.stream().allMatch(n -> !n.get("src_addr").asText().isEmpty() && !n.get("dst_addr").asText().isEmpty()), "every report has addresses");
        assertTrue(err.toString().contains("sampling: IPFIX 127.0.0.1 source=none rate=1;"), err.toString());
    }

    @Test
    void shouldSummariseDatagramsAndErrorsOnStandardError()
    {
        final Path pcap = capture("vendor", "ls_netflow5_invalid01.pcap");

        assertEquals(0, run(pcap.toString()));

        assertTrue(err.toString().contains("NETFLOW_V5.bad_length=1"), err.toString());
        assertTrue(err.toString().contains("udp datagrams decoded: 1"), err.toString());
    }

    @Test
    void shouldNameAMissingCaptureOnceWithTheReasonAndPrintNoSummary(@TempDir final Path dir)
    {
        final Path absent = dir.resolve("absent.pcap");
        assertEquals(1, run(absent.toString()));
        assertEquals("goflow-exporter decode: " + absent + ": no such file\n", err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void shouldSayADirectoryIsNotACapture(@TempDir final Path dir)
    {
        assertEquals(1, run(dir.toString()));
        assertEquals("goflow-exporter decode: " + dir + ": is a directory, not a file\n", err.toString());
    }

    @Test
    void shouldExitWithUsageErrorWhenPortMapIsInvalid()
    {
        assertEquals(2, run("--port-map", "2055=bogus", "x.pcap"));
    }
}
