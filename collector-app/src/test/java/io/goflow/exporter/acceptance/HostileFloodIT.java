package io.goflow.exporter.acceptance;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The floods of issues 12 and 18 against the tarball on its shipped {@code conf/config.yaml}
 * (only the ports changed), on the launcher's default heap and on {@code -Xmx128m}. After each
 * flood: the process is up, its CPU is back to idle a second after the flood ends, its RSS is
 * within the budget, and a real export (softflowd v9, from an exporter address the flood never
 * used) adds exactly its truth file's totals. Every flood is sized to exceed what an unbounded
 * collector could hold in the small heap, and is sent in a bounded loop.
 */
class HostileFloodIT
{
    private static final Path CAPTURE = SharedData.testdata("exports/softflowd_v9.pcap");
    /** Resident set the collector may reach, MiB: heap plus the shipped tables off-heap and the JVM. */
    private static final long RSS_LIMIT_SMALL_HEAP_MIB = 480;
    private static final long RSS_LIMIT_DEFAULT_HEAP_MIB = 900;
    /** CPU seconds per wall second, measured over 1 s starting 1 s after a flood's last datagram. */
    private static final double IDLE_CPU = 0.25;
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /**
     * @param refusals {@code family} or {@code family{label="value",...}}: at least one of these
     *                 counters must grow during the flood (what was refused, counted by reason).
     */
    private record Flood(String name, List<String> refusals, FloodBody body)
    {
    }

    @FunctionalInterface
    private interface FloodBody
    {
        void send(int[] udp) throws IOException;
    }

    /**
     * @param javaOpts "" for the launcher's default heap with the shipped config as it is;
     *                 {@code -Xmx128m} with the small-heap settings docs/configuration.md gives for it.
     */
    @ParameterizedTest(name = "JAVA_OPTS=\"{0}\"")
    @ValueSource(strings = {"", "-Xmx128m"})
    void shouldStayUpAndDecodeARealExportExactlyAfterEveryFlood(final String javaOpts) throws Exception
    {
        final int[] udp = CollectorProcess.freeUdpPorts(3);
        final int metricsPort = CollectorProcess.freeTcpPort();
        final Path root = SharedData.projectRoot();
        final String shipped = ShippedConfigIT.withPorts(Files.readString(root.resolve("conf/config.yaml")), udp, metricsPort);
        final String config = javaOpts.isEmpty() ? shipped :
            YamlOverlay.merge(shipped, YamlOverlay.documentedBlock(root.resolve("docs/configuration.md"), "small-heap"));
        final List<PcapReplayer.Datagram> real = PcapReplayer.read(CAPTURE);
        final FlowExpectations.Totals truth = FlowExpectations.totals(Truth.of(CAPTURE));
        final long rssLimitMib = javaOpts.isEmpty() ? RSS_LIMIT_DEFAULT_HEAP_MIB : RSS_LIMIT_SMALL_HEAP_MIB;
        final List<String> report = new ArrayList<>();
        try (CollectorProcess c = CollectorProcess.start("flood", config, udp, metricsPort, javaOpts))
        {
            int round = 0;
            for (final Flood flood : floods())
            {
                final Scrape beforeFlood = c.scrape(families(flood.refusals()));
                final long startNs = System.nanoTime();
                flood.body().send(udp);
                final double floodSeconds = (System.nanoTime() - startNs) / 1e9;
                assertTrue(c.alive(), flood.name() + ": the collector exited; log:\n" + c.logTail());
                final double cpu = cpuAfter(c);
                final long rss = c.rssMib();
                final double realSeconds = assertRealExportExact(c, real, truth, ++round, flood.name());
                final Scrape afterFlood = c.scrape(families(flood.refusals()));
                final String refused = grown(flood.refusals(), beforeFlood, afterFlood);
                assertTrue(refused != null, flood.name() + ": none of " + flood.refusals() + " grew");
                report.add(String.format("%-28s sent in %5.1f s, CPU after %.2f, RSS %4d MiB, real export decoded in %.1f s; %s",
                    flood.name(), floodSeconds, cpu, rss, realSeconds, refused));
                assertTrue(cpu <= IDLE_CPU, flood.name() + ": CPU " + cpu + " s/s a second after the flood; " + report);
                assertTrue(rss <= rssLimitMib, flood.name() + ": RSS " + rss + " MiB > " + rssLimitMib + "; " + report);
            }
            System.out.println("HostileFloodIT JAVA_OPTS=\"" + javaOpts + "\"\n  " + String.join("\n  ", report));
        }
    }

    private static List<Flood> floods()
    {
        final List<Flood> f = new ArrayList<>();
        final ByteBuffer b = ByteBuffer.allocate(65_535);
        final Random random = new Random(0x5EED);
        // 18.1: junk that must cost no memory: 20,000 datagrams of 40 KB, version 0xBEEF
        f.add(new Flood("junk 20k x 40 KB", List.of("flow_decode_errors_total{protocol=\"unknown\",reason=\"bad_version\"}"), udp -> {
            final byte[] junk = Floods.junk(40_000, random);
            try (Floods.Sender s = sender(udp[0], 20_000))
            {
                for (int i = 0; i < 20_000; i++)
                {
                    s.send(Floods.loopback(30, i % 64), junk, junk.length);
                }
            }
        }));
        // 12: templates from many spoofed sources: 2,000 addresses x 256 templates of 20 fields
        f.add(new Flood("templates 2000 src x 256", List.of("flow_dropped_records_total{reason=\"template_memory\"}", "flow_state_refused_total", "flow_state_evicted_total"), udp -> {
            try (Floods.Sender s = sender(udp[0], 40_000))
            {
                for (int src = 0; src < 2_000; src++)
                {
                    for (int first = 256; first < 512; first += 16)
                    {
                        final int n = Floods.v9Templates(b, 1, first, first, 16, 20);
                        s.send(Floods.loopback(31, src), b.array(), n);
                    }
                }
            }
        }));
        // 18.3: templates keyed by source id from one address: 2,000 source ids x 256 templates
        f.add(new Flood("templates 1 src x 2000 ids", List.of("flow_state_refused_total", "flow_state_evicted_total", "flow_dropped_records_total{reason=\"template_memory\"}"), udp -> {
            try (Floods.Sender s = sender(udp[0], 40_000))
            {
                final InetAddress one = Floods.loopback(32, 0);
                for (int id = 0; id < 2_000; id++)
                {
                    for (int first = 256; first < 512; first += 16)
                    {
                        final int n = Floods.v9Templates(b, 1000 + id, first, first, 16, 20);
                        s.send(one, b.array(), n);
                    }
                }
            }
        }));
        // 18.3: 700 IPFIX domains x 4 templates of 4,000 fields (32 KB each)
        f.add(new Flood("ipfix 700 domains wide", List.of("flow_dropped_records_total{reason=\"too_many_fields\"}"), udp -> {
            try (Floods.Sender s = sender(udp[1], 10_000))
            {
                final InetAddress one = Floods.loopback(33, 0);
                for (int domain = 0; domain < 700; domain++)
                {
                    for (int t = 0; t < 4; t++)
                    {
                        final int n = Floods.ipfixTemplates(b, domain, t, 256 + t, 1, 4_000);
                        s.send(one, b.array(), n);
                    }
                }
            }
        }));
        // 18.2: held data before templates: 2,500 source ids x 8 sets of 8 KB from one address
        f.add(new Flood("held 2500 ids x 8 x 8 KB", List.of("flow_dropped_records_total{reason=\"pending_full\"}", "flow_dropped_packets_total{reason=\"overflow_full\"}", "flow_state_evicted_total"), udp -> {
            try (Floods.Sender s = sender(udp[0], 20_000))
            {
                final InetAddress one = Floods.loopback(34, 0);
                for (int id = 0; id < 2_500; id++)
                {
                    for (int set = 0; set < 8; set++)
                    {
                        final int n = Floods.v9DataSet(b, 5000 + id, set, 300 + set, 8_000);
                        s.send(one, b.array(), n);
                    }
                }
            }
        }));
        // 18.4: lock-out: 5,000 source ids x 2 templates in about a second
        f.add(new Flood("exporters 5000 ids", List.of("flow_state_evicted_total", "flow_state_refused_total"), udp -> {
            try (Floods.Sender s = sender(udp[0], 10_000))
            {
                final InetAddress one = Floods.loopback(35, 0);
                for (int id = 0; id < 5_000; id++)
                {
                    final int n = Floods.v9Templates(b, 20_000 + id, 1, 256, 2, 8);
                    s.send(one, b.array(), n);
                }
            }
        }));
        // 12: sFlow agents and sub-agents: 20,000 agent addresses x 4 sub-agents, counter samples
        f.add(new Flood("sflow 20000 agents x 4", List.of("flow_aggregation_interface_dropped_samples_total"), udp -> {
            try (Floods.Sender s = sender(udp[2], 40_000))
            {
                final InetAddress one = Floods.loopback(36, 0);
                for (int agent = 0; agent < 20_000; agent++)
                {
                    for (int sub = 0; sub < 4; sub++)
                    {
                        final int n = Floods.sflowCounters(b, 0xC000_0000 | agent, sub, 1, 1 + sub);
                        s.send(one, b.array(), n);
                    }
                }
            }
        }));
        // 18.5: CPU amplification: 16,359 zero-length fields, then 51 data sets of 65 KB
        f.add(new Flood("zero-length fields x 51", List.of("flow_dropped_records_total{reason=\"sparse_template\"}",
            "flow_dropped_records_total{reason=\"too_many_fields\"}"),
            udp -> templateThenSets(udp[0], 0, 7, Floods.v9ZeroLengthTemplate(b, 7, 400, 16_359), 400, 51, 65_000, b)));
        // 18.5 under the field cap: 500 zero-length fields and one 1-byte field, then 65 KB data sets
        f.add(new Flood("sparse 501 fields x 51", List.of("flow_dropped_records_total{reason=\"sparse_template\"}"),
            udp -> templateThenSets(udp[0], 1, 8, Floods.v9ZeroLengthTemplate(b, 8, 401, 500), 401, 51, 65_000, b)));
        // 18.7: data sets shorter than one record of their template (80-byte records, 40-byte sets)
        f.add(new Flood("short data sets x 100", List.of("flow_dropped_records_total{reason=\"short_data_set\"}"),
            udp -> templateThenSets(udp[0], 2, 9, Floods.v9Templates(b, 9, 1, 402, 1, 20), 402, 100, 40, b)));
        // 18.6: 2^64 - 1 octet and packet counters
        f.add(new Flood("counters 2^64-1", List.of("flow_dropped_records_total{reason=\"implausible_counter\"}"), udp -> {
            try (Floods.Sender s = sender(udp[0], 1_000))
            {
                final InetAddress one = Floods.loopback(38, 0);
                for (int i = 0; i < 10; i++)
                {
                    final int n = Floods.v9MaxCounters(b, 9, i);
                    s.send(one, b.array(), n);
                }
            }
        }));
        // 12, 18.9: unique keys past max_series (100,000): 5,000 v5 datagrams x 30 new 5-tuples
        f.add(new Flood("keys 150k unique", List.of("flow_aggregation_overflow_records_total"), udp -> {
            try (Floods.Sender s = sender(udp[0], 20_000))
            {
                final InetAddress one = Floods.loopback(39, 0);
                for (int i = 0; i < 5_000; i++)
                {
                    final int n = Floods.v5UniqueKeys(b, i, i * 30);
                    s.send(one, b.array(), n);
                }
            }
        }));
        return f;
    }

    /**
     * Sends the template datagram already in {@code b} ({@code templateLength} bytes) from
     * {@code 127.37.0.(host + 1)}, then {@code sets} v9 data sets of {@code setLength} bytes for it.
     */
    private static void templateThenSets(final int port, final int host, final long sourceId, final int templateLength,
        final int templateId, final int sets, final int setLength, final ByteBuffer b) throws IOException
    {
        try (Floods.Sender s = sender(port, 1_000))
        {
            final InetAddress one = Floods.loopback(37, host);
            s.send(one, b.array(), templateLength);
            for (int i = 0; i < sets; i++)
            {
                final int n = Floods.v9DataSet(b, sourceId, 2 + i, templateId, setLength);
                s.send(one, b.array(), n);
            }
        }
    }

    private static String[] families(final List<String> selectors)
    {
        return selectors.stream().map(s -> s.indexOf('{') < 0 ? s : s.substring(0, s.indexOf('{')))
            .distinct().toArray(String[]::new);
    }

    /** @return the first selector whose sum grew, with its growth, or null. */
    private static String grown(final List<String> selectors, final Scrape before, final Scrape after)
    {
        for (final String selector : selectors)
        {
            final int brace = selector.indexOf('{');
            final String family = brace < 0 ? selector : selector.substring(0, brace);
            final Map<String, String> labels = new HashMap<>();
            if (brace >= 0)
            {
                for (final String pair : selector.substring(brace + 1, selector.length() - 1).split(","))
                {
                    final int eq = pair.indexOf('=');
                    labels.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
                }
            }
            final Predicate<Scrape.Sample> match = sample -> labels.entrySet().stream()
                .allMatch(e -> e.getValue().equals(sample.label(e.getKey())));
            final double growth = after.sum(family, match) - before.sum(family, match);
            if (growth > 0)
            {
                return selector + " +" + (long)growth;
            }
        }
        return null;
    }

    private static Floods.Sender sender(final int port, final int perSecond)
    {
        return new Floods.Sender(new InetSocketAddress("127.0.0.1", port), perSecond);
    }

    /**
     * Waits until the flood has been received and the ring is empty, then sends the capture from
     * {@code 127.40.round.1} and checks the totals it added.
     *
     * @return seconds from the first datagram of the capture to its last record counted.
     */
    private static double assertRealExportExact(final CollectorProcess c, final List<PcapReplayer.Datagram> real,
        final FlowExpectations.Totals truth, final int round, final String flood) throws Exception
    {
        final long received = c.awaitReceivedStable(500, Duration.ofSeconds(120));
        final Scrape before = c.awaitQuiet(received, Duration.ofSeconds(120),
            MetricNames.FLOWS, MetricNames.BYTES, MetricNames.PACKETS);
        final long startNs = System.nanoTime();
        final int sent = PcapReplayer.send(real, c.ipv4(), InetAddress.getByAddress(new byte[] {127, 40, (byte)round, 1}), 4_000);
        final Scrape after = c.awaitQuiet(received + sent, Duration.ofSeconds(120),
            MetricNames.FLOWS, MetricNames.BYTES, MetricNames.PACKETS);
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        assertEquals(truth.flows(), Math.round(after.sum(MetricNames.FLOWS) - before.sum(MetricNames.FLOWS)),
            "after " + flood + ": flows of the real export");
        assertEquals(truth.bytes(), Math.round(after.sum(MetricNames.BYTES) - before.sum(MetricNames.BYTES)),
            "after " + flood + ": bytes of the real export");
        assertEquals(truth.packets(), Math.round(after.sum(MetricNames.PACKETS) - before.sum(MetricNames.PACKETS)),
            "after " + flood + ": packets of the real export");
        return seconds;
    }

    /** CPU seconds the collector used per second over [1 s, 2 s] after the flood's last datagram. */
    private static double cpuAfter(final CollectorProcess c) throws Exception
    {
        Thread.sleep(1_000);
        final long t0 = c.cpuTicks();
        Thread.sleep(1_000);
        return (c.cpuTicks() - t0) / (double)CLOCK_TICKS_PER_SECOND;
    }
}
