package io.goflow.exporter.tools.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DecodeCommandTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cl = DecodeCommand.commandLine();
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

    /** Every line parses as JSON; per 5-tuple, flows, bytes and packets sum to Wireshark's truth. */
    @ParameterizedTest
    @ValueSource(strings = {"softflowd_v9.pcap", "softflowd_ipfix.pcap", "pmacctd_nfprobe_v9.pcap"})
    void shouldSumToTruthPerFiveTupleWhenDecodingTemplateCaptures(final String name) throws Exception
    {
        final Path pcap = capture("exports", name);
        final TruthFile truth = TruthFile.forCapture(pcap);

        assertEquals(0, run(pcap.toString()));

        final Map<String, long[]> sums = new TreeMap<>();
        for (final JsonNode n : lines())
        {
            final String key = n.get("src_addr").asText() + "|" + n.get("dst_addr").asText() + "|" +
                n.get("proto").asLong() + "|" + n.get("src_port").asLong() + "|" + n.get("dst_port").asLong();
            final long[] sum = sums.computeIfAbsent(key, k -> new long[3]);
            sum[0]++;
            sum[1] += n.get("bytes").asLong();
            sum[2] += n.get("packets").asLong();
        }
        assertEquals(truth.by5Tuple().keySet(), sums.keySet());
        for (final Map.Entry<String, TruthFile.Agg> e : truth.by5Tuple().entrySet())
        {
            final TruthFile.Agg t = e.getValue();
            assertEquals(List.of(t.flows(), t.bytes(), t.packets()),
                List.of(sums.get(e.getKey())[0], sums.get(e.getKey())[1], sums.get(e.getKey())[2]), e.getKey());
        }
    }

    /**
     * An exporter's interface name is text from the network: quotes, a backslash, control characters,
     * UTF-8 and a byte that is not UTF-8 come out as one valid JSON string (RFC 8259 section 7 escapes).
     */
    @Test
    void shouldEscapeTheExportersInterfaceNameWhenPrintingOptionsRecords(@TempDir final Path dir) throws Exception
    {
        final byte[] name = {'g', 'e', '"', '0', '\\', '1', '"', '\n', '\t', 0x01, (byte)0xC3, (byte)0xA9, (byte)0xFF};
        final ByteFixture ipfix = new ByteFixture()
            .u16(10).u16(16 + 18 + 9 + name.length)     // IPFIX header (RFC 7011 3.1): version, length
            .u32(1_700_000_000L).u32(0).u32(42)         // export time, sequence, observation domain
            .u16(3).u16(18)                             // options template set
            .u16(280).u16(2).u16(1)                     // template 280, 2 fields, 1 scope
            .u16(10).u16(4)                             // scope ingressInterface
            .u16(82).u16(0xFFFF)                        // interfaceName, variable length
            .u16(280).u16(4 + 4 + 1 + name.length)      // data set
            .u32(7).u8(name.length);                    // ifIndex 7, name length
        for (final byte b : name)
        {
            ipfix.u8(b);
        }
        final Path pcap = dir.resolve("hostile.pcap");
        Files.write(pcap, rawIpv4Pcap(ipfix.toArray(), 4739));

        assertEquals(0, run("--all", pcap.toString()));

        final String line = out.toString();
        assertTrue(line.contains("\"if_name\":\"ge\\\"0\\\\1\\\"\\n\\t\\u0001\u00e9\ufffd\"}\n"), line);
        final List<JsonNode> lines = lines();
        assertEquals(1, lines.size());
        assertEquals("IPFIX_OPTIONS", lines.get(0).get("type").asText());
        assertEquals(7, lines.get(0).get("in_if").asLong());
        assertEquals("ge\"0\\1\"\n\t\u0001\u00e9\ufffd", lines.get(0).get("if_name").asText());
    }

    /** A classic little-endian pcap, link type 101 (raw IP), one IPv4/UDP frame 192.0.2.1:40000 to {@code port}. */
    private static byte[] rawIpv4Pcap(final byte[] payload, final int port)
    {
        final int ipLength = 20 + 8 + payload.length;
        final ByteFixture f = new ByteFixture()
            .u32le(0xA1B2C3D4L).u16le(2).u16le(4).u32le(0).u32le(0).u32le(65535).u32le(101)
            .u32le(1_700_000_000L).u32le(0).u32le(ipLength).u32le(ipLength)
            .hex("45 00").u16(ipLength).u16(1).u16(0).hex("40 11 00 00")
            .ipv4("192.0.2.1").ipv4("127.0.0.1")
            .u16(40000).u16(port).u16(8 + payload.length).u16(0);
        for (final byte b : payload)
        {
            f.u8(b);
        }
        return f.toArray();
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
