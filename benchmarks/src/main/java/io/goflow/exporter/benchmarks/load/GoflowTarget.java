package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * goflow-exporter run from its release tarball with a benchmark configuration: listeners on
 * 127.0.0.1, 4 windows, GeoIP + ASN from the MaxMind test databases, {@code max_series} as asked,
 * a large SO_RCVBUF; GC logged to {@code gc.log} in the run directory.
 *
 * <p>Loss accounting reads the collector's own counters ({@code flow_received_packets_total},
 * {@code flow_parsed_records_total}, {@code flow_dropped_packets_total{reason}},
 * {@code flow_dropped_records_total}) and {@code /proc/net/udp} for kernel drops; latency comes
 * from {@code flow_processing_duration_seconds} (receive → end of aggregation, per datagram).
 * Scrapes happen only between steps, ask only for those families ({@code ?name[]=}), and are
 * bracketed by probes ({@code /proc}, {@code jstat}) and a {@code jcmd GC.run}, so their cost and
 * garbage are not counted in a step. Young GCs and used heap come from {@code jstat}.
 */
final class GoflowTarget implements CollectorTarget
{
    /**
     * Families read at each snapshot. simpleclient's handler honours {@code name[]} and then skips
     * the aggregation collector; a streaming handler may render every flow series anyway, so the
     * response is read line by line keeping only these, and snapshots sit between steps with probes
     * around them. {@code flow_aggregation_series} is not asked for: it would make simpleclient
     * collect every series; {@link #liveSeries()} asks for it after a mode.
     */
    private static final List<String> KEPT = List.of(
        "flow_received_packets_total", "flow_parsed_records_total", "flow_dropped_packets_total",
        "flow_dropped_records_total", "flow_worker_queue_length", "flow_processing_duration_seconds_bucket",
        "flow_processing_duration_seconds_count", "flow_processing_duration_seconds_sum",
        "flow_kernel_dropped_packets_total", "flow_listener_receive_buffer_bytes");
    private static final List<String> TABLES = List.of("flow_aggregation_series", "flow_enrichment_database_loaded");
    private static final int SETTLE_POLLS = 100;
    private static final long SETTLE_POLL_MS = 100;
    private static final long RING_DRAIN_MS = 500;

    /**
     * Agrona 2 reaches {@code jdk.internal.misc.Unsafe}; start scripts before 2026-11-28 03:14 UTC
     * did not export it, so their JVM failed at the first {@code UnsafeBuffer}. Repeating it is
     * harmless, and keeps older tarballs measurable.
     */
    private static final String AGRONA_EXPORTS = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    /**
     * @param tarball     release tarball.
     * @param runDir      where the install, config, logs and GC log go.
     * @param config      config file to use; null = write the benchmark config.
     * @param port        UDP port for NetFlow/IPFIX; sFlow and IPFIX listeners get the next two.
     * @param httpPort    metrics port.
     * @param javaOpts    extra JVM options (JAVA_OPTS), e.g. heap size.
     */
    record Options(Path tarball, Path runDir, Path config, int port, int httpPort, Path geoipDir,
                   long maxSeries, int workers, int queueSize, int rcvbufBytes, String javaOpts)
    {
    }

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    GoflowTarget(final Options options)
    {
        this.options = options;
    }

    @Override
    public String name()
    {
        return "goflow-exporter";
    }

    @Override
    public int port()
    {
        return options.port();
    }

    @Override
    public void start() throws IOException, InterruptedException
    {
        if (ProcStats.udpPortBound(options.port()))
        {
            throw new IOException("UDP port " + options.port() + " is already in use");
        }
        final Path install = options.runDir().resolve("install");
        Files.createDirectories(install);
        run(List.of("tar", "-xzf", options.tarball().toAbsolutePath().toString(), "-C", install.toString()));
        final Path launcher;
        try (Stream<Path> files = Files.walk(install))
        {
            launcher = files.filter(p -> p.endsWith(Path.of("bin", "goflow-exporter"))).findFirst()
                .orElseThrow(() -> new IOException("no bin/goflow-exporter in " + options.tarball()));
        }
        final Path config = options.config() != null ? options.config() : writeConfig();
        final ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(options.runDir().resolve("goflow.log").toFile());
        pb.environment().put("JAVA_OPTS", (AGRONA_EXPORTS + " -Xlog:gc*:file=" + options.runDir().resolve("gc.log") +
            ":uptime,level,tags " + options.javaOpts()).trim());
        process = pb.start();
        final long deadlineNs = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!process.isAlive())
            {
                throw new IOException("goflow-exporter exited with " + process.exitValue() + "; see " +
                    options.runDir().resolve("goflow.log"));
            }
            if (fetch("/healthz") != null && ProcStats.udpPortBound(options.port()))
            {
                final PrometheusText m = scrape(java.util.stream.Stream.concat(KEPT.stream(), TABLES.stream()).toList());
                System.out.printf("# goflow-exporter listener SO_RCVBUF granted: %.0f bytes; aggregation wired: %s; " +
                    "enrichment databases loaded: %.0f%n",
                    m.sum("flow_listener_receive_buffer_bytes", "port=\"" + options.port() + "\""),
                    m.has("flow_aggregation_series") ? "yes" : "NO (the app runs the pipeline without the engine)",
                    m.sum("flow_enrichment_database_loaded"));
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("goflow-exporter not ready after 60 s");
    }

    private Path writeConfig() throws IOException
    {
        final Path geo = options.geoipDir();
        final String yaml = String.format(Locale.ROOT, String.join("\n",
            "# written by LoadRun: the benchmark configuration",
            "server:",
            "  netflow_port: %d",
            "  sflow_port: %d",
            "  ipfix_port: %d",
            "  listen_addr: \"127.0.0.1\"",
            "  metrics_port: %d",
            "  metrics_addr: \"127.0.0.1\"",
            "performance:",
            "  buffer_size: %d",
            "  worker_count: %d",
            "  queue_size: %d",
            "aggregation:",
            "  time_windows: [\"1m\", \"5m\", \"15m\", \"1h\"]",
            "  max_series: %d",
            "enrichment:",
            "  geoip_enabled: true",
            "  geoip_path: \"%s\"",
            "  asn_enabled: true",
            "  asn_path: \"%s\"",
            "  cache_size: 100000",
            "metrics:",
            "  namespace: \"flow\"",
            "logging:",
            "  level: \"warn\"",
            "  format: \"text\"",
            ""),
            options.port(), options.port() + 1, options.port() + 2, options.httpPort(), options.rcvbufBytes(),
            options.workers(), options.queueSize(), options.maxSeries(),
            geo.resolve("GeoLite2-Country-Test.mmdb").toAbsolutePath(), geo.resolve("GeoLite2-ASN-Test.mmdb").toAbsolutePath());
        final Path path = options.runDir().resolve("goflow.yaml");
        Files.writeString(path, yaml);
        return path;
    }

    /**
     * Waits until the kernel queue of the port is empty, then gives the ring time to drain; the
     * after-snapshot re-checks the ring ({@code flow_worker_queue_length}).
     */
    @Override
    public void settle() throws InterruptedException
    {
        for (int i = 0; i < SETTLE_POLLS && ProcStats.udpRxQueueBytes(options.port()) > 0; i++)
        {
            Thread.sleep(SETTLE_POLL_MS);
        }
        Thread.sleep(RING_DRAIN_MS);
    }

    /**
     * Entry probe, scrape (every flow series is rendered, whatever we ask), a full GC through
     * {@code jcmd GC.run} so the scrape's garbage does not land in the next step, exit probe.
     */
    @Override
    public Snapshot snapshot() throws IOException, InterruptedException
    {
        final long pid = process.pid();
        final Probe entry = CollectorTarget.probe(pids(), pid);
        final long udpDrops = ProcStats.udpDrops(options.port());
        PrometheusText metrics = scrape();
        for (int i = 0; i < 10 && metrics.sum("flow_worker_queue_length") > 0; i++)
        {
            Thread.sleep(RING_DRAIN_MS);
            metrics = scrape();
        }
        run(List.of("jcmd", Long.toString(pid), "GC.run"));
        return new Snapshot(entry, CollectorTarget.probe(pids(), pid), udpDrops, metrics, 0, 0);
    }

    /** Costly: renders every flow series. Only after a mode, never between the probes of a step. */
    @Override
    public long liveSeries() throws IOException, InterruptedException
    {
        final long series = Math.round(scrape(TABLES).sum("flow_aggregation_series", "view=\"main\""));
        run(List.of("jcmd", Long.toString(process.pid()), "GC.run"));
        return series;
    }

    private PrometheusText scrape() throws IOException, InterruptedException
    {
        if (!process.isAlive())
        {
            throw new IOException("goflow-exporter is gone, exit value " + process.exitValue() +
                " (137 = SIGKILL, 143 = SIGTERM); see " + options.runDir().resolve("goflow.log"));
        }
        return scrape(KEPT);
    }

    private PrometheusText scrape(final List<String> families) throws IOException, InterruptedException
    {
        final StringBuilder query = new StringBuilder("/metrics?");
        for (final String name : families)
        {
            query.append("name%5B%5D=").append(name).append('&');
        }
        try
        {
            final HttpResponse<java.util.stream.Stream<String>> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.httpPort() + query))
                    .timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofLines());
            try (java.util.stream.Stream<String> lines = response.body())
            {
                if (response.statusCode() != 200)
                {
                    throw new IOException("metrics scrape answered " + response.statusCode());
                }
                return PrometheusText.parse(lines, families::contains);
            }
        }
        catch (final java.io.UncheckedIOException ex)
        {
            throw ex.getCause();
        }
    }

    private String fetch(final String path) throws InterruptedException
    {
        try
        {
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.httpPort() + path))
                    .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    @Override
    public StepResult evaluate(
        final double targetRate, final LoadGenerator.Result offered, final Snapshot before, final Snapshot after)
    {
        final PrometheusText b = before.metrics();
        final PrometheusText a = after.metrics();
        final long received = delta(a, b, "flow_received_packets_total");
        final long parsed = delta(a, b, "flow_parsed_records_total");
        final long ringDrops = delta(a, b, "flow_dropped_packets_total", "reason=\"queue_full\"");
        final long droppedPackets = delta(a, b, "flow_dropped_packets_total") - ringDrops;
        final long droppedRecords = delta(a, b, "flow_dropped_records_total");
        final String histogram = "flow_processing_duration_seconds";
        final double p50 = PrometheusText.quantile(0.5, b.buckets(histogram), a.buckets(histogram)) * 1e3;
        final double p99 = PrometheusText.quantile(0.99, b.buckets(histogram), a.buckets(histogram)) * 1e3;
        final double p999 = PrometheusText.quantile(0.999, b.buckets(histogram), a.buckets(histogram)) * 1e3;
        final Probe from = before.exit();
        final Probe to = after.entry();
        final long heapMb = to.heapUsedKb() / 1024;
        final long youngGcs = to.youngGcs() - from.youngGcs();
        final double gcSeconds = to.youngGcSeconds() - from.youngGcSeconds();
        return new StepResult(name(), targetRate, offered, received, parsed, after.udpDrops() - before.udpDrops(), ringDrops,
            droppedPackets + droppedRecords, p50, p99, p999, heapMb, youngGcs, gcSeconds,
            -1,
            CollectorTarget.resources(before, after));
    }

    private static long delta(final PrometheusText a, final PrometheusText b, final String name, final String... labels)
    {
        return Math.round(a.sum(name, labels) - b.sum(name, labels));
    }

    @Override
    public List<Long> pids()
    {
        return CollectorTarget.pidsOf(process);
    }

    /**
     * Stops the collector. A flight recording started through {@code --java-opts
     * -XX:StartFlightRecording=filename=F,...} is dumped to F with {@code jcmd} first: the
     * collector's shutdown may end the JVM before JFR's own dump on exit.
     */
    @Override
    public void close()
    {
        if (process == null)
        {
            return;
        }
        final java.util.regex.Matcher jfr = java.util.regex.Pattern.compile("StartFlightRecording=\\S*filename=([^,\\s]+)")
            .matcher(options.javaOpts());
        if (jfr.find() && process.isAlive())
        {
            try
            {
                run(List.of("jcmd", Long.toString(process.pid()), "JFR.dump", "filename=" + jfr.group(1)));
            }
            catch (final IOException ex)
            {
                System.out.println("# JFR dump failed: " + ex.getMessage());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try
        {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static void run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0)
        {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
