package io.goflow.exporter.acceptance;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code bin/goflow-exporter --config FILE} subprocess of the built distribution, listening on
 * loopback ports picked free, with its log kept for failure messages.
 *
 * <p>{@link #close()} sends SIGTERM and fails the test unless the collector exits 0.
 */
final class CollectorProcess implements AutoCloseable
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The generated configuration. */
    static final class Config
    {
        List<String> dimensions = List.of("exporter", "src_addr", "dst_addr", "protocol", "src_port", "dst_port");
        List<String> timeWindows = List.of("1m");
        String bandwidthWindow = "1m";
        Map<String, String> customLabels = new LinkedHashMap<>();
        String geoipPath;
        String asnPath;
        int maxSeries = 200_000;
        int workers = 2;
        /** More YAML under {@code aggregation:}, each line indented by two spaces. */
        String aggregationExtra = "";

        Config aggregationExtra(final String yaml)
        {
            aggregationExtra = yaml;
            return this;
        }

        Config dimensions(final String... d)
        {
            dimensions = List.of(d);
            return this;
        }

        Config windows(final String bandwidth, final String... windows)
        {
            timeWindows = List.of(windows);
            bandwidthWindow = bandwidth;
            return this;
        }

        Config label(final String name, final String value)
        {
            customLabels.put(name, value);
            return this;
        }

        Config enrichment(final Path geoip, final Path asn)
        {
            geoipPath = geoip.toString();
            asnPath = asn.toString();
            return this;
        }
    }

    /**
     * How tests reach the endpoint.
     *
     * @param authorization an {@code Authorization} value sent with every request; null for none.
     */
    record Access(String scheme, HttpClient client, String authorization)
    {
        static final Access PLAIN = new Access("http", HTTP, null);
    }

    private final Process process;
    private final Access access;
    private final Path log;
    private final int metricsPort;
    private final PcapReplayer.Ports v4;
    private final PcapReplayer.Ports v6;
    private final String name;

    private CollectorProcess(final String name, final Process process, final Path log, final int metricsPort,
        final PcapReplayer.Ports v4, final PcapReplayer.Ports v6, final Access access)
    {
        this.name = name;
        this.access = access;
        this.process = process;
        this.log = log;
        this.metricsPort = metricsPort;
        this.v4 = v4;
        this.v6 = v6;
    }

    static CollectorProcess start(final String name, final Config config) throws IOException, InterruptedException
    {
        final int[] udp = freeUdpPorts(3);
        final int metricsPort = freeTcpPort();
        return start(name, yaml(config, udp, metricsPort), udp, metricsPort);
    }

    /**
     * Starts the collector on a configuration given as text, on a 1 GiB heap: the {@link #yaml}
     * ring of 65,536 slots (replays at full rate lose nothing) needs about 600 MiB by the
     * start-up memory budget, more than the launcher's default 512 MiB.
     *
     * @param udp         the netflow, ipfix and sflow ports that {@code yamlText} listens on.
     * @param metricsPort the HTTP port of {@code yamlText}, on 127.0.0.1 or a wildcard.
     */
    static CollectorProcess start(final String name, final String yamlText, final int[] udp, final int metricsPort)
        throws IOException, InterruptedException
    {
        return start(name, yamlText, udp, metricsPort, "-Xmx1g");
    }

    /**
     * @param javaOpts {@code JAVA_OPTS} for the launcher, after its defaults ({@code ""}: the
     *                 launcher's own heap).
     */
    static CollectorProcess start(final String name, final String yamlText, final int[] udp, final int metricsPort,
        final String javaOpts) throws IOException, InterruptedException
    {
        return start(name, yamlText, udp, metricsPort, javaOpts, Access.PLAIN);
    }

    /** @param access how to reach the endpoint (TLS, credentials) for the health checks and scrapes. */
    static CollectorProcess start(final String name, final String yamlText, final int[] udp, final int metricsPort,
        final String javaOpts, final Access access) throws IOException, InterruptedException
    {
        final Path launcher = Distribution.launcher();
        final Path dir = Files.createTempDirectory("goflow-it-" + name + "-");
        final Path yaml = dir.resolve("config.yaml");
        Files.writeString(yaml, yamlText);
        final Path log = dir.resolve("collector.log");
        final ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--config", yaml.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_OPTS", javaOpts);
        final Process p = pb.start();
        final CollectorProcess c = new CollectorProcess(name, p, log, metricsPort,
            new PcapReplayer.Ports(InetAddress.getByName("127.0.0.1"), udp[0], udp[1], udp[2]),
            new PcapReplayer.Ports(InetAddress.getByName("::1"), udp[0], udp[1], udp[2]), access);
        try
        {
            c.awaitHealthy(yaml);
        }
        catch (final IOException | InterruptedException | RuntimeException | AssertionError e)
        {
            p.destroyForcibly();
            throw e;
        }
        return c;
    }

    static String yaml(final Config c, final int[] udp, final int metricsPort)
    {
        final StringBuilder y = new StringBuilder();
        y.append("server:\n")
            .append("  netflow_port: ").append(udp[0]).append('\n')
            .append("  ipfix_port: ").append(udp[1]).append('\n')
            .append("  sflow_port: ").append(udp[2]).append('\n')
            .append("  listen_addr: [\"127.0.0.1\", \"::1\"]\n")
            .append("  metrics_port: ").append(metricsPort).append('\n')
            .append("  metrics_addr: \"127.0.0.1\"\n")
            .append("performance:\n")
            .append("  buffer_size: 4194304\n")
            .append("  worker_count: ").append(c.workers).append('\n')
            .append("  queue_size: 65536\n")
            .append("aggregation:\n")
            .append("  time_windows: ").append(list(c.timeWindows)).append('\n')
            .append("  bandwidth_window: \"").append(c.bandwidthWindow).append("\"\n")
            .append("  dimensions: ").append(list(c.dimensions)).append('\n')
            .append("  max_series: ").append(c.maxSeries).append('\n')
            .append(c.aggregationExtra)
            .append("enrichment:\n");
        if (c.geoipPath != null)
        {
            y.append("  geoip_enabled: true\n  geoip_path: \"").append(c.geoipPath).append("\"\n")
                .append("  asn_enabled: true\n  asn_path: \"").append(c.asnPath).append("\"\n");
        }
        else
        {
            y.append("  geoip_enabled: false\n  asn_enabled: false\n");
        }
        y.append("metrics:\n  namespace: \"flow\"\n  enabled_labels: [\"ports\", \"interfaces\", \"geo\", \"asn\"]\n");
        if (!c.customLabels.isEmpty())
        {
            y.append("  custom_labels:\n");
            c.customLabels.forEach((k, v) -> y.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        }
        y.append("logging:\n  level: \"info\"\n  format: \"text\"\n");
        return y.toString();
    }

    private static String list(final List<String> values)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++)
        {
            sb.append(i > 0 ? ", " : "").append('"').append(values.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    private void awaitHealthy(final Path yaml) throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("collector " + name + " exited with " + process.exitValue() + " before /healthz answered; config:\n"
                    + Files.readString(yaml) + "\nlog:\n" + logTail());
            }
            try
            {
                if (get("/healthz").statusCode() == 200)
                {
                    return;
                }
            }
            catch (final IOException e)
            {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("collector " + name + " not healthy after " + START_TIMEOUT + "; log:\n" + logTail());
    }

    private HttpResponse<String> get(final String pathAndQuery) throws IOException, InterruptedException
    {
        final HttpRequest.Builder req = HttpRequest.newBuilder(
            URI.create(access.scheme() + "://127.0.0.1:" + metricsPort + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET();
        if (access.authorization() != null)
        {
            req.header("Authorization", access.authorization());
        }
        return access.client().send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean healthy() throws InterruptedException
    {
        try
        {
            return process.isAlive() && get("/healthz").statusCode() == 200;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /**
     * @param names sample names to ask for ({@code name[]=} filter, and kept client-side too, since
     *              the collector's streaming writer answers with everything); none = everything.
     */
    Scrape scrape(final String... names) throws IOException, InterruptedException
    {
        final StringBuilder q = new StringBuilder("/metrics");
        for (int i = 0; i < names.length; i++)
        {
            q.append(i == 0 ? '?' : '&').append("name[]=").append(URLEncoder.encode(names[i], StandardCharsets.UTF_8));
        }
        final HttpResponse<String> r = get(q.toString());
        if (r.statusCode() != 200)
        {
            throw new AssertionError("GET " + q + " on " + name + ": HTTP " + r.statusCode() + "\n" + r.body());
        }
        return Scrape.parse(r.body(), Set.of(names));
    }

    /**
     * Waits until the collector has received {@code datagrams} datagrams in total (self-metric
     * {@code flow_received_packets_total}), its ring is empty and its decode counters stopped
     * moving; then scrapes.
     *
     * @param names families of the final scrape ({@code name[]=} filter); none = everything.
     * @return the final scrape.
     */
    Scrape awaitQuiet(final long datagrams, final Duration timeout, final String... names) throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        String last = "";
        double received = -1;
        while (System.nanoTime() - deadlineNs < 0)
        {
            final Scrape s = scrape(MetricNames.RECEIVED_PACKETS, MetricNames.PARSED_RECORDS, MetricNames.DROPPED_PACKETS,
                MetricNames.DECODE_ERRORS, MetricNames.QUEUE_LENGTH);
            received = s.sum(MetricNames.RECEIVED_PACKETS);
            final String now = received + "/" + s.sum(MetricNames.PARSED_RECORDS) + "/" + s.sum(MetricNames.DROPPED_PACKETS)
                + "/" + s.sum(MetricNames.DECODE_ERRORS);
            if (received > datagrams)
            {
                break;
            }
            if (received == datagrams && s.sum(MetricNames.QUEUE_LENGTH) == 0 && now.equals(last))
            {
                return scrape(names);
            }
            last = now;
            Thread.sleep(300);
        }
        if (received != datagrams)
        {
            throw new AssertionError(name + ": " + MetricNames.RECEIVED_PACKETS + " = " + (long)received + ", expected the "
                + datagrams + " datagrams sent; " + MetricNames.KERNEL_DROPS + " = "
                + (long)scrape(MetricNames.KERNEL_DROPS).sum(MetricNames.KERNEL_DROPS) + "; log:\n" + logTail());
        }
        throw new AssertionError(name + ": ring or decode counters still moving after " + timeout);
    }

    /** Waits until the received datagram count stops moving for {@code quietMs}; returns the count. */
    long awaitReceivedStable(final long quietMs, final Duration timeout) throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        double last = -1;
        long sinceNs = System.nanoTime();
        while (System.nanoTime() - deadlineNs < 0)
        {
            final double now = scrape(MetricNames.RECEIVED_PACKETS).sum(MetricNames.RECEIVED_PACKETS);
            if (now != last)
            {
                last = now;
                sinceNs = System.nanoTime();
            }
            else if (System.nanoTime() - sinceNs > quietMs * 1_000_000L)
            {
                return (long)now;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + ": received datagrams still moving after " + timeout);
    }

    boolean alive()
    {
        return process.isAlive();
    }

    /** Resident set size, MiB ({@code VmRSS} of /proc; the launcher execs the JVM). */
    long rssMib() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    /** User plus system CPU time of the JVM, clock ticks (fields 14 and 15 of /proc/PID/stat). */
    long cpuTicks() throws IOException
    {
        final String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    PcapReplayer.Ports ipv4()
    {
        return v4;
    }

    PcapReplayer.Ports ipv6()
    {
        return v6;
    }

    int metricsPort()
    {
        return metricsPort;
    }

    String name()
    {
        return name;
    }

    String logTail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (final IOException e)
        {
            return "(log unreadable: " + e + ")";
        }
    }

    /** SIGTERM, then the collector must exit 0 within 20 s. */
    @Override
    public void close() throws InterruptedException
    {
        if (!process.isAlive())
        {
            throw new AssertionError("collector " + name + " died before SIGTERM, exit " + process.exitValue() + "; log:\n" + logTail());
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("collector " + name + " still running 20 s after SIGTERM; log:\n" + logTail());
        }
        if (process.exitValue() != 0)
        {
            throw new AssertionError("collector " + name + " exited " + process.exitValue() + " on SIGTERM, expected 0; log:\n" + logTail());
        }
        TempFiles.deleteRecursively(log.getParent());
    }

    static Predicate<Scrape.Sample> labelStartsWith(final String label, final String prefix)
    {
        return s -> s.label(label).startsWith(prefix);
    }

    static int freeTcpPort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            return s.getLocalPort();
        }
    }

    /** @return {@code n} distinct UDP ports free on both 127.0.0.1 and ::1. */
    static int[] freeUdpPorts(final int n) throws IOException
    {
        final List<Integer> ports = new ArrayList<>();
        for (int attempt = 0; attempt < 50 && ports.size() < n; attempt++)
        {
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
            {
                final int port = a.getLocalPort();
                try (DatagramSocket b = new DatagramSocket(new InetSocketAddress("::1", port)))
                {
                    if (!ports.contains(port))
                    {
                        ports.add(port);
                    }
                }
                catch (final IOException busyOnV6)
                {
                    // try another
                }
            }
        }
        if (ports.size() < n)
        {
            throw new IOException("no free UDP ports on 127.0.0.1 and ::1");
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }
}
