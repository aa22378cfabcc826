package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real exporters, live: Debian's softflowd and pmacctd read {@code ../shared/testdata/source/traffic.pcap}
 * and export to a collector of the built distribution over 127.0.0.1 and [::1], one run at a
 * time. Each run's increase of the flow counters is compared with the source's own totals
 * ({@code traffic.truth.json}: 65,634 packets, 30,424,566 L3 bytes).
 *
 * <p>Unsampled runs must match exactly, in total and per 5-tuple (ICMP per src/dst/protocol).
 * Sampled runs (softflowd {@code -s 10}, pmacctd sfprobe 1:20) are Horvitz-Thompson estimates:
 * with 1-in-N sampling each packet is counted N times with probability 1/N, so the scaled packet
 * count has variance (N-1)·n and the scaled byte count (N-1)·Σb² over the source's packets (b =
 * L3 length, read from the pcap). The tolerance is 4 standard deviations of that (4.7 % of the
 * packets and 6.9 % of the bytes for N = 10; 6.8 % and 10.1 % for N = 20); deterministic 1-in-N
 * samplers stay well inside it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveExportersIT
{
    private static final Duration EXPORTER_TIMEOUT = Duration.ofSeconds(120);
    private static final double SIGMAS = 4;

    /** One exporter run: a command line for a destination, and its sampling rate (1 = none). */
    private record Run(String name, int samplingRate, Function<String, List<String>> command, Function<PcapReplayer.Ports, Integer> port)
    {
    }

    private CollectorProcess collector;
    private Path source;
    private Path work;
    private Truth truth;
    private long packets;
    private long bytes;
    private double bytesSquared;

    @BeforeAll
    void start() throws Exception
    {
        source = SharedData.testdata("source/traffic.pcap");
        truth = Truth.of(source);
        sourceStats();
        work = Files.createTempDirectory("goflow-live-");
        collector = CollectorProcess.start("live", new CollectorProcess.Config()
            .dimensions("src_addr", "dst_addr", "protocol", "src_port", "dst_port"));
    }

    @AfterAll
    void stop() throws Exception
    {
        TempFiles.deleteRecursively(work);
        if (collector != null)
        {
            collector.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> shouldEqualSourceTotalsWhenRealExporterSendsTheSourcePcap()
    {
        final List<Run> runs = List.of(
            new Run("softflowd v9", 1, dest -> softflowd(dest, "9", null), PcapReplayer.Ports::netflow),
            new Run("softflowd IPFIX", 1, dest -> softflowd(dest, "10", null), PcapReplayer.Ports::ipfix),
            new Run("softflowd v9 sampled 1:10", 10, dest -> softflowd(dest, "9", "10"), PcapReplayer.Ports::netflow),
            new Run("pmacctd nfprobe v9", 1, dest -> pmacctd(dest, "nfprobe", "9", 0), PcapReplayer.Ports::netflow),
            new Run("pmacctd nfprobe IPFIX", 1, dest -> pmacctd(dest, "nfprobe", "10", 0), PcapReplayer.Ports::ipfix),
            new Run("pmacctd sfprobe sFlow 1:20", 20, dest -> pmacctd(dest, "sfprobe", null, 20), PcapReplayer.Ports::sflow));
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Run run : runs)
        {
            for (final boolean v6 : new boolean[] {false, true})
            {
                tests.add(DynamicTest.dynamicTest(run.name() + (v6 ? " over [::1]" : " over 127.0.0.1"), () -> check(run, v6)));
            }
        }
        return tests.stream();
    }

    private void check(final Run run, final boolean v6) throws Exception
    {
        final PcapReplayer.Ports ports = v6 ? collector.ipv6() : collector.ipv4();
        final String dest = (v6 ? "[::1]:" : "127.0.0.1:") + run.port().apply(ports);
        final Scrape before = collector.scrape(MetricNames.FLOWS, MetricNames.BYTES, MetricNames.PACKETS);
        final Scrape selfBefore = collector.scrape(MetricNames.RECEIVED_PACKETS, MetricNames.KERNEL_DROPS);
        final long receivedBefore = (long)selfBefore.sum(MetricNames.RECEIVED_PACKETS);
        exec(run.command().apply(dest));
        final long received = collector.awaitReceivedStable(1500, Duration.ofSeconds(60)) - receivedBefore;
        assertTrue(received > 0, run.name() + " to " + dest + ": the collector received no datagram");
        final Scrape after = collector.awaitQuiet(receivedBefore + received, Duration.ofSeconds(30), MetricNames.FLOWS, MetricNames.BYTES, MetricNames.PACKETS);

        final double gotPackets = after.sum(MetricNames.PACKETS) - before.sum(MetricNames.PACKETS);
        final double gotBytes = after.sum(MetricNames.BYTES) - before.sum(MetricNames.BYTES);
        final double gotFlows = after.sum(MetricNames.FLOWS) - before.sum(MetricNames.FLOWS);
        final double kernelDrops = collector.scrape(MetricNames.KERNEL_DROPS).sum(MetricNames.KERNEL_DROPS) - selfBefore.sum(MetricNames.KERNEL_DROPS);
        final String what = run.name() + " to " + dest + " (" + received + " datagrams received, " + (long)kernelDrops
            + " dropped by the kernel, " + (long)gotFlows + " flows)";
        assertTrue(gotFlows > 0, what + ": no flow counted");
        if (run.samplingRate() == 1)
        {
            assertEquals(packets, gotPackets, what + ": packets");
            assertEquals(bytes, gotBytes, what + ": L3 bytes");
            final List<String> bad = new ArrayList<>();
            bad.addAll(FlowExpectations.compareMaps("packets", truthPerTuple("packets"), delta(before, after, MetricNames.PACKETS), 10));
            bad.addAll(FlowExpectations.compareMaps("bytes", truthPerTuple("bytes"), delta(before, after, MetricNames.BYTES), 10));
            assertTrue(bad.isEmpty(), what + ", per 5-tuple:\n" + String.join("\n", bad));
        }
        else
        {
            final int n = run.samplingRate();
            final double packetTolerance = SIGMAS * Math.sqrt((n - 1) * (double)packets);
            final double byteTolerance = SIGMAS * Math.sqrt((n - 1) * bytesSquared);
            assertEquals(packets, gotPackets, packetTolerance, what + ": scaled packets, 1:" + n + " sampling, tolerance 4 sigma");
            assertEquals(bytes, gotBytes, byteTolerance, what + ": scaled L3 bytes, 1:" + n + " sampling, tolerance 4 sigma");
        }
    }

    private Map<String, Long> truthPerTuple(final String counter)
    {
        final Map<String, Long> out = new HashMap<>();
        truth.by5Tuple().forEach((k, v) -> out.merge(FlowExpectations.canonical(k), Truth.value(v, counter), Long::sum));
        return out;
    }

    private static Map<String, Long> delta(final Scrape before, final Scrape after, final String metric)
    {
        final Map<String, Long> out = new HashMap<>(FlowExpectations.scrapedPerTuple(after, metric, s -> true));
        FlowExpectations.scrapedPerTuple(before, metric, s -> true).forEach((k, v) -> out.merge(k, -v, Long::sum));
        out.values().removeIf(v -> v == 0);
        return out;
    }

    /** softflowd in file mode: {@code -r} with {@code -a} (packet times); never {@code -c}/{@code -p}, which hang it. */
    private List<String> softflowd(final String dest, final String version, final String sampling)
    {
        final List<String> cmd = new ArrayList<>(List.of("softflowd", "-d", "-r", source.toString(), "-a", "-v", version,
            "-n", dest, "-t", "maxlife=60"));
        if (sampling != null)
        {
            cmd.addAll(List.of("-s", sampling));
        }
        return cmd;
    }

    /**
     * pmacctd reading the pcap, with the plugin settings of {@code ../shared/README.md}. pmacct
     * 1.7.7's sfprobe opens its socket in the agent address's family, so it sends to [::1] only
     * with an IPv6 agent address.
     */
    private List<String> pmacctd(final String dest, final String plugin, final String version, final int samplingRate)
    {
        final StringBuilder c = new StringBuilder("daemonize: false\npcap_savefile: ").append(source).append('\n');
        if ("nfprobe".equals(plugin))
        {
            c.append("plugins: nfprobe[p]\nnfprobe_receiver[p]: ").append(dest).append('\n')
                .append("nfprobe_version[p]: ").append(version).append('\n')
                .append("nfprobe_engine[p]: 7\n")
                .append("nfprobe_timeouts[p]: tcp=120:tcp.rst=30:tcp.fin=30:udp=60:icmp=60:general=120:maxlife=60:expint=10\n")
                .append("nfprobe_ifindex[p]: 3\n")
                .append("aggregate[p]: src_host, dst_host, src_port, dst_port, proto, tos, tcpflags\n");
        }
        else
        {
            c.append("plugins: sfprobe[p]\nsfprobe_receiver[p]: ").append(dest).append('\n')
                .append("sfprobe_agentip[p]: ").append(dest.startsWith("[") ? "2001:db8::10" : "192.0.2.10").append('\n')
                .append("sfprobe_ifindex[p]: 7\n");
        }
        if (samplingRate > 0)
        {
            c.append("sampling_rate: ").append(samplingRate).append('\n');
        }
        try
        {
            final Path conf = Files.createTempFile(work, "pmacctd-", ".conf");
            Files.writeString(conf, c.toString());
            return List.of("pmacctd", "-f", conf.toString());
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void exec(final List<String> cmd) throws Exception
    {
        final Path log = Files.createTempFile(work, "exporter-", ".log");
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(EXPORTER_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
        {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + EXPORTER_TIMEOUT + ":\n" + Files.readString(log));
        }
        final String output = Files.readString(log);
        assertTrue(p.exitValue() == 0 || pluginFinished(cmd, output), String.join(" ", cmd) + " failed, exit " + p.exitValue() + ":\n" + output);
    }

    /**
     * pmacctd 1.7.7 at the end of a pcap sometimes exits 1 because its core notices the plugin's
     * pipe closing ("connection lost to ...") after the plugin shut down normally; the export was
     * complete then, and the totals below still check every packet.
     */
    private static boolean pluginFinished(final List<String> cmd, final String output)
    {
        return "pmacctd".equals(cmd.get(0)) && output.contains("Shutting down on user request")
            && output.contains("no more plugins active");
    }

    /** Packets, L3 bytes and Σ L3 length² of the source pcap (Ethernet, 802.1Q, IPv4/IPv6). */
    private void sourceStats() throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(source));
        final ByteOrder order = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 0xA1B2C3D4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        b.order(order);
        assertEquals(1, b.getInt(20) & 0x0FFFFFFF, "traffic.pcap link type: Ethernet expected");
        int pos = 24;
        while (pos + 16 <= b.limit())
        {
            final int capLen = b.getInt(pos + 8);
            int off = pos + 16 + 12;
            int type = Short.toUnsignedInt(b.order(ByteOrder.BIG_ENDIAN).getShort(off));
            off += 2;
            while (type == 0x8100 || type == 0x88A8)
            {
                type = Short.toUnsignedInt(b.getShort(off + 2));
                off += 4;
            }
            final long len = type == 0x0800 ? Short.toUnsignedInt(b.getShort(off + 2))
                : type == 0x86DD ? Short.toUnsignedInt(b.getShort(off + 4)) + 40L : -1;
            if (len > 0)
            {
                packets++;
                bytes += len;
                bytesSquared += (double)len * len;
            }
            b.order(order);
            pos += 16 + capLen;
        }
        assertEquals(truth.total("packets"), packets, "packets read from traffic.pcap vs traffic.truth.json");
        assertEquals(truth.total("bytes"), bytes, "L3 bytes read from traffic.pcap vs traffic.truth.json");
    }
}
