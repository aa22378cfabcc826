package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.ConfigLoader;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import io.goflow.exporter.enrich.network.Networks;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.goflow.exporter.aggregate.TestFlows.metrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export captures through the decoder and an engine grouping by {@code src_net},
 * {@code dst_net} and {@code src_net_role}: bytes (sFlow: packets, truth has L2 bytes) per group
 * equal the truth's 5-tuples mapped through the longest-prefix match written here, a linear scan
 * over {@link BigInteger}s, with the {@code /24} and {@code /48} fallback for the rest.
 */
class NetworksTruthTest
{
    /** Nested IPv4 and IPv6 networks over the addresses of source/traffic.pcap; {@code role} only on some. */
    private static final String NETWORKS = """
        - {prefix: 10.0.0.0/8, name: private, role: internal}
        - {prefix: 10.10.0.0/16, name: campus}
        - {prefix: 10.10.1.0/24, name: servers, role: server}
        - {prefix: 10.10.1.64/26, name: web, role: dmz}
        - {prefix: 1.0.0.0/24, name: anycast}
        - {prefix: 89.160.20.128/25, name: customer-b, role: customer}
        - {prefix: fd00:10:10::/48, name: ula-campus, role: internal}
        - {prefix: "fd00:10:10::40:0/106", name: ula-servers}
        - {prefix: 2001:1700::/27, name: upstream, role: transit}
        """;

    private record Net(BigInteger network, int length, int width, String name, String role)
    {
    }

    static List<Path> captures() throws Exception
    {
        return AggregationTruthTest.captures().stream()
            .filter(p -> !p.getFileName().toString().contains("biflow")).toList();
    }

    private static List<Net> parse(final String yaml)
    {
        final List<Net> nets = new ArrayList<>();
        for (final String line : yaml.split("\n"))
        {
            final String body = line.replaceAll(".*\\{", "").replaceAll("}.*", "");
            String prefix = null;
            String name = null;
            String role = "";
            for (final String part : body.split(", "))
            {
                final String[] kv = part.split(": ", 2);
                final String value = kv[1].replace("\"", "");
                switch (kv[0])
                {
                    case "prefix" -> prefix = value;
                    case "name" -> name = value;
                    default -> role = value;
                }
            }
            final String[] p = prefix.split("/");
            final byte[] bytes = address(p[0]).getAddress();
            nets.add(new Net(new BigInteger(1, bytes), Integer.parseInt(p[1]), bytes.length * 8, name, role));
        }
        return nets;
    }

    private static InetAddress address(final String text)
    {
        try
        {
            return InetAddress.getByName(text);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(text, ex);
        }
    }

    /** @return {@code name|role} of the longest network holding {@code text}, else {@code prefix/len|}. */
    private static String classify(final List<Net> nets, final String text)
    {
        final byte[] bytes = address(text).getAddress();
        final BigInteger key = new BigInteger(1, bytes);
        final int width = bytes.length * 8;
        Net best = null;
        for (final Net n : nets)
        {
            if (n.width == width && key.shiftRight(width - n.length).equals(n.network.shiftRight(width - n.length)) &&
                (best == null || n.length > best.length))
            {
                best = n;
            }
        }
        if (best != null)
        {
            return best.name + "|" + best.role;
        }
        final int length = width == 32 ? 24 : 48;
        final BigInteger masked = key.shiftRight(width - length).shiftLeft(width - length);
        return cidr(masked, width, length) + "|";
    }

    private static String cidr(final BigInteger value, final int width, final int length)
    {
        final byte[] raw = value.toByteArray();
        final byte[] bytes = new byte[width / 8];
        final int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try
        {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + length;
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** @return a scraped prefix label in the same text form as {@link #cidr}, names unchanged. */
    private static String normalize(final String label)
    {
        final int slash = label.indexOf('/');
        if (slash < 0)
        {
            return label;
        }
        return address(label.substring(0, slash)).getHostAddress() + label.substring(slash);
    }

    private static AggregationEngine engine(final String yaml) throws Exception
    {
        final Settings settings = ConfigLoader.loadString(yaml, "test.yaml");
        return new AggregationEngine(settings.aggregation(), metrics(List.of(LabelGroup.values()), Map.of()),
            new ManualClock(0));
    }

    private static String config(final String networksKey)
    {
        return "aggregation:\n  max_series: 50000\n  series_ttl: 30d\n" +
            "  dimensions: [src_net, dst_net, src_net_role]\n" + networksKey;
    }

    private static long[] feed(final Path pcap, final TruthFile truth, final AggregationEngine engine)
    {
        final long[] lastNs = {0};
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
                engine.onInterfaceCounters(record, record.timeReceivedNs);
            }
        };
        CaptureRun.run(pcap, CaptureRun.portMapOf(truth), CaptureRun.newDecoder(), sink);
        engine.onEndOfBatch(lastNs[0]);
        return lastNs;
    }

    /** @return {@code src|dst|role} -> bytes (or packets) from the scrape, labels normalized. */
    private static Map<String, Long> scraped(final AggregationEngine engine, final String metric)
    {
        final Map<String, Long> out = new TreeMap<>();
        for (final Map.Entry<String, Double> e : TestFlows.scrape(ScrapedFlowMetrics.of(engine)).entrySet())
        {
            final String[] parts = e.getKey().split("\\|", -1);
            if (parts[0].equals(metric))
            {
                out.merge(normalize(parts[1]) + "|" + normalize(parts[2]) + "|" + parts[3],
                    e.getValue().longValue(), Long::sum);
            }
        }
        return out;
    }

    private static Map<String, Long> expected(final TruthFile truth, final List<Net> nets, final boolean packets)
    {
        final Map<String, Long> out = new TreeMap<>();
        for (final Map.Entry<String, TruthFile.Agg> e : truth.by5Tuple().entrySet())
        {
            final String[] parts = e.getKey().split("\\|");
            final String[] src = classify(nets, parts[0]).split("\\|", -1);
            final String dst = classify(nets, parts[1]).split("\\|", -1)[0];
            out.merge(src[0] + "|" + dst + "|" + src[1],
                packets ? e.getValue().packetsScaled() : e.getValue().bytesScaled(), Long::sum);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldCountBytesPerNetworkAsTheTruthMappedThroughLongestPrefixMatch(final Path pcap) throws Exception
    {
        final TruthFile truth = TruthFile.forCapture(pcap);
        final AggregationEngine engine = engine(config("  networks:\n" + NETWORKS.indent(4)));
        feed(pcap, truth, engine);
        final boolean sflow = truth.isSflow();
        final Map<String, Long> expected = expected(truth, parse(NETWORKS), sflow);
        assertTrue(expected.size() > 20, "groups " + expected.size());
        assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("web|")), "a nested network is hit");
        if (truth.byIpVersion().containsKey("6"))
        {
            assertTrue(expected.keySet().stream().anyMatch(k -> k.contains(":") && k.contains("/48")), "IPv6 fallback");
        }
        assertEquals(expected, scraped(engine, sflow ? "flow_packets_total" : "flow_bytes_total"),
            pcap.getFileName().toString());
    }

    @Test
    void shouldNeitherLoseNorDoubleCountRecordsWhenTheNetworksFileIsReloadedUnderTraffic(@TempDir final Path dir)
        throws Exception
    {
        final Path pcap = TruthFile.testdata("exports").resolve("softflowd_v9.pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);
        final Path file = dir.resolve("networks.yaml");
        final String versionA = NETWORKS.replace("name: ", "name: a-");
        final String versionB = NETWORKS.replace("name: ", "name: b-");
        Files.writeString(file, versionA, StandardCharsets.UTF_8);
        final AggregationEngine engine = engine(config("  networks_file: " + file + "\n"));
        final Networks networks = engine.networks();

        final AtomicBoolean done = new AtomicBoolean();
        final AtomicInteger swaps = new AtomicInteger();
        final Thread reloader = new Thread(() ->
        {
            long mtime = 1_700_000_000_000L;
            for (int i = 0; i < 100_000 && !done.get(); i++)
            {
                try
                {
                    Files.writeString(file, i % 2 == 0 ? versionB : versionA, StandardCharsets.UTF_8);
                    Files.setLastModifiedTime(file, FileTime.fromMillis(mtime += 1000));
                    if (networks.reloadIfChanged())
                    {
                        swaps.incrementAndGet();
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            }
        }, "test-networks-reloader");
        reloader.start();
        feed(pcap, truth, engine);
        done.set(true);
        reloader.join(60_000);

        assertTrue(swaps.get() >= 2, "reloads under traffic: " + swaps.get());
        assertEquals(0, networks.reloadErrors());
        final Map<String, Long> folded = new TreeMap<>();
        scraped(engine, "flow_bytes_total").forEach((k, v) -> folded.merge(k.replaceAll("(^|\\|)[ab]-", "$1"), v, Long::sum));
        assertEquals(expected(truth, parse(NETWORKS), false), folded);
        assertEquals((double)truth.totals().bytesScaledOnline(), TestFlows.sum(ScrapedFlowMetrics.of(engine), "flow_bytes_total"));
        assertEquals((double)truth.totals().flows(), TestFlows.sum(ScrapedFlowMetrics.of(engine), "flow_flows_total"));
    }

    @Test
    void shouldKeepTheNetworksInForceAndCountWhenTheFileTurnsBad(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("networks.yaml");
        Files.writeString(file, NETWORKS, StandardCharsets.UTF_8);
        final AggregationEngine engine = engine(config("  networks_file: " + file + "\n"));
        final Networks networks = engine.networks();
        assertEquals(9, networks.current().size());

        Files.writeString(file, NETWORKS + "- {prefix: 10.300.0.0/16, name: typo}\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        assertEquals(false, networks.reloadIfChanged());
        assertEquals(1, networks.reloadErrors());
        assertEquals(9, networks.current().size());
        assertEquals(false, networks.reloadIfChanged(), "the same bad file is not read again");
        assertEquals(1, networks.reloadErrors());
        assertEquals(1.0, TestFlows.sum(ScrapedFlowMetrics.of(engine), "flow_aggregation_networks_reload_errors_total"));

        Files.writeString(file, NETWORKS.lines().limit(3).reduce("", (a, b) -> a + b + "\n"), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_100_000L));
        assertTrue(networks.reloadIfChanged());
        assertEquals(3, networks.current().size());
    }

    @Test
    void shouldNameTheFileAndLineOfABadNetworksEntry(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("networks.yaml");
        Files.writeString(file, "- {prefix: 10.0.0.0/8, name: ok}\n- {prefix: 10.0.0.0/33, name: bad}\n");
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> engine(config("  networks_file: " + file + "\n")));
        assertTrue(ex.getMessage().contains(file + ":2:"), ex.getMessage());
        assertTrue(ex.getMessage().contains("prefix length 33"), ex.getMessage());
    }

    /** Kept here so the dimension names used above stay the ones {@link Dimension} parses. */
    @Test
    void shouldParseTheNetworkDimensionNames()
    {
        assertEquals(Dimension.Kind.SRC_NET_ATTRIBUTE, Dimension.fromConfigName("src_net_role").kind());
        assertEquals("role", Dimension.fromConfigName("dst_net_role").attribute());
        assertEquals(Dimension.SRC_NET, Dimension.fromConfigName("src_net"));
        assertEquals(null, Dimension.fromConfigName("src_net_Bad"));
        assertEquals(AggregationSettings.NETWORKS_RELOAD_INTERVAL_DEFAULT_NS, 10_000_000_000L);
    }
}
