package io.goflow.exporter.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs after {@code package}: unpacks the one distribution tarball into a temporary directory and
 * drives {@code bin/goflow-exporter} as a user would (version, config check, start, scrape,
 * SIGTERM).
 */
class DistributionIT
{
    private static final String VERSION = System.getProperty("project.version");

    @TempDir
    static Path unpackDir;

    private static Path home;

    @BeforeAll
    static void unpack() throws Exception
    {
        final Path target = Path.of(System.getProperty("dist.dir", "target"));
        final List<Path> tarballs;
        try (Stream<Path> files = Files.list(target))
        {
            tarballs = files.filter(p -> p.getFileName().toString().matches("goflow-exporter-.*\\.tar\\.gz")).toList();
        }
        assertEquals(List.of(target.resolve("goflow-exporter-" + VERSION + ".tar.gz")), tarballs);
        assertEquals(0, exec(List.of("tar", "-xzf", tarballs.get(0).toString(), "-C", unpackDir.toString())).status);
        try (Stream<Path> top = Files.list(unpackDir))
        {
            assertEquals(List.of(unpackDir.resolve("goflow-exporter-" + VERSION)), top.toList());
        }
        home = unpackDir.resolve("goflow-exporter-" + VERSION);
    }

    private record Result(int status, String output)
    {
    }

    private static Result exec(final List<String> command) throws IOException, InterruptedException
    {
        return exec(new ProcessBuilder(command).redirectErrorStream(true));
    }

    private static Result exec(final ProcessBuilder builder) throws IOException, InterruptedException
    {
        final Process p = builder.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + builder.command());
        return new Result(p.exitValue(), out);
    }

    private static String bin()
    {
        return home.resolve("bin/goflow-exporter").toString();
    }

    @Test
    void shouldHoldScriptLibrariesConfigsUnitLicenseAndReadme() throws IOException
    {
        assertTrue(Files.isExecutable(home.resolve("bin/goflow-exporter")));
        for (final String f : List.of("conf/config.yaml", "conf/minimal.yaml", "conf/goflow-exporter.service",
            "LICENSE", "README.md", "lib/collector-app-" + VERSION + ".jar", "lib/collector-core-" + VERSION + ".jar",
            "lib/collector-tools-" + VERSION + ".jar", "lib/collector-tools-pcap-" + VERSION + ".jar"))
        {
            assertTrue(Files.isRegularFile(home.resolve(f)), f);
        }
        try (Stream<Path> jars = Files.list(home.resolve("lib")))
        {
            assertTrue(jars.noneMatch(p -> p.getFileName().toString().startsWith("junit")));
        }
    }

    @Test
    void shouldPrintVersionThroughSymlinkedScript() throws Exception
    {
        final Path link = unpackDir.resolve("goflow-link");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, home.resolve("bin/goflow-exporter"));
        final Result r = exec(List.of(link.toString(), "--version"));
        assertEquals(new Result(0, "goflow-exporter " + VERSION + "\n"), r);
    }

    /**
     * {@code bin/goflow-exporter decode} as the README shows it runs the tool shipped in lib/: one
     * JSON object a flow on standard output, summing to Wireshark's truth, the summary on standard
     * error; {@code --help} of the collector lists it.
     */
    @Test
    void shouldDecodeACaptureWithTheShippedToolAndListItInHelp() throws Exception
    {
        final Path pcap = TruthFile.testdata("exports").resolve("softflowd_v5.pcap");
        final TruthFile truth = TruthFile.forCapture(pcap);
        final Path out = unpackDir.resolve("decode.out");
        final Path err = unpackDir.resolve("decode.err");
        final Process p = new ProcessBuilder(bin(), "decode", "--port-map", "2055=netflow", pcap.toString())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "decode timed out");
        assertEquals(0, p.exitValue(), Files.readString(err));

        final ObjectMapper mapper = new ObjectMapper();
        final List<String> lines = Files.readAllLines(out);
        long bytes = 0;
        long packets = 0;
        for (final String line : lines)
        {
            final JsonNode n = mapper.readTree(line);
            assertEquals("NETFLOW_V5", n.get("type").asText(), line);
            bytes += n.get("bytes").asLong();
            packets += n.get("packets").asLong();
        }
        assertEquals(truth.totals().flows(), lines.size());
        assertEquals(List.of(truth.totals().bytes(), truth.totals().packets()), List.of(bytes, packets));
        assertTrue(Files.readString(err).contains("udp datagrams decoded: " + truth.udpDatagrams() + ","), Files.readString(err));

        final Result help = exec(List.of(bin(), "--help"));
        assertEquals(0, help.status(), help.output());
        assertTrue(help.output().contains("\n  decode  Decode NetFlow v5/v9, IPFIX and sFlow v5 datagrams"), help.output());
    }

    @Test
    void shouldSizeTheWholeHeapFromAnXmxInJavaOpts() throws Exception
    {
        final ProcessBuilder pb = new ProcessBuilder(bin(), "--version").redirectErrorStream(true);
        pb.environment().put("JAVA_OPTS", "-Xmx128m -XX:+PrintFlagsFinal");
        final Result r = exec(pb);
        final String out = r.output();
        assertEquals(0, r.status(), out);
        assertTrue(out.matches("(?s).*\\bMaxDirectMemorySize\\s+= 1073741824\\b.*"), out);
        assertTrue(out.matches("(?s).*\\bMaxHeapSize\\s+= 134217728\\b.*"), out);
        assertTrue(out.matches("(?s).*\\bInitialHeapSize\\s+= 134217728\\b.*"), out);
    }

    /**
     * On -Xmx128m the shipped config's state caps are refused (exit 2, naming the -Xmx they need),
     * not run into OutOfMemoryError; a direct memory cap below its off-heap tables is refused too.
     */
    @Test
    void shouldRefuseTheShippedConfigWhereItsBoundsCannotFit() throws Exception
    {
        final String config = home.resolve("conf/config.yaml").toString();
        final ProcessBuilder small = new ProcessBuilder(bin(), "--check-config", config).redirectErrorStream(true);
        small.environment().put("JAVA_OPTS", "-Xmx128m");
        final Result heap = exec(small);
        assertEquals(2, heap.status(), heap.output());
        assertTrue(heap.output().contains("goflow-exporter: error: memory budget: the bounded state needs "), heap.output());
        assertTrue(heap.output().contains("Raise the heap to at least -Xmx"), heap.output());
        final ProcessBuilder capped = new ProcessBuilder(bin(), "--check-config", config).redirectErrorStream(true);
        capped.environment().put("JAVA_OPTS", "-XX:MaxDirectMemorySize=64m");
        final Result direct = exec(capped);
        assertEquals(2, direct.status(), direct.output());
        assertTrue(direct.output().contains("goflow-exporter: error: aggregation: the series tables need "), direct.output());
        assertTrue(direct.output().contains("direct memory limit of 64 MiB"), direct.output());
        assertFalse(direct.output().contains("memory budget"), "the default heap fits: " + direct.output());
    }

    @Test
    void shouldAcceptShippedConfigs() throws Exception
    {
        assertEquals(0, exec(List.of(bin(), "--check-config", home.resolve("conf/config.yaml").toString())).status);
        assertEquals(0, exec(List.of(bin(), "--check-config", home.resolve("conf/minimal.yaml").toString())).status);
    }

    @Test
    void shouldExitTwoOnInvalidConfig() throws Exception
    {
        final Path bad = unpackDir.resolve("bad.yaml");
        Files.writeString(bad, "server:\n  netflow_prot: 2055\n");
        final Result r = exec(List.of(bin(), "--check-config", bad.toString()));
        assertEquals(new Result(2, bad + ":2: server.netflow_prot: unknown key \"netflow_prot\"; did you mean" +
            " \"netflow_port\"?\n"), r);
    }

    @Test
    void shouldServeMetricsWithoutDatabasesAndExitZeroOnSigterm() throws Exception
    {
        final int http;
        final List<Integer> udp = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            http = s.getLocalPort();
        }
        for (int i = 0; i < 3; i++)
        {
            try (DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
            {
                udp.add(d.getLocalPort());
            }
        }
        final Path config = unpackDir.resolve("run.yaml");
        Files.writeString(config, "server:\n  listen_addr: \"127.0.0.1\"\n  netflow_port: " + udp.get(0) +
            "\n  sflow_port: " + udp.get(1) + "\n  ipfix_port: " + udp.get(2) + "\n  metrics_addr: \"127.0.0.1\"\n" +
            "  metrics_port: " + http + "\nenrichment:\n  geoip_path: " + unpackDir.resolve("absent-geo.mmdb") +
            "\n  asn_path: " + unpackDir.resolve("absent-asn.mmdb") + "\n");
        final Path log = unpackDir.resolve("run.log");
        final Process p = new ProcessBuilder(bin(), "--config", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try
        {
            final HttpClient client = HttpClient.newHttpClient();
            int status = 0;
            for (int attempt = 0; attempt < 300 && status != 200 && p.isAlive(); attempt++)
            {
                status = healthStatus(client, http);
                if (status != 200)
                {
                    Thread.sleep(100);
                }
            }
            assertEquals(200, status, Files.readString(log));
            final HttpResponse<String> metrics = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("jvm_threads_current"), metrics.body());
            assertTrue(metrics.body().contains("flow_enrichment_database_loaded{database=\"geoip\"} 0"), metrics.body());
            assertTrue(metrics.body().contains("flow_enrichment_database_loaded{database=\"asn\"} 0"), metrics.body());
        }
        finally
        {
            p.destroy();
        }
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "no exit after SIGTERM");
        final String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("running without geoip enrichment until it appears"), output);
        assertTrue(output.contains("running without asn enrichment until it appears"), output);
        assertTrue(output.contains("\"message\":\"stopped\""), output);
    }

    private static int healthStatus(final HttpClient client, final int port) throws InterruptedException
    {
        try
        {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
