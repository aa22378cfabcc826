package io.goflow.exporter.app;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.ConfigLoader;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.tools.decode.DecodeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MainTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** {@code decode} is not a subcommand (collector-tools is no dependency of the app), yet --help lists it as the tool describes itself. */
    @Test
    void shouldListDecodeInHelpWithTheToolsOwnDescription()
    {
        assertEquals(0, run("--help"));

        final String description = DecodeCommand.class.getAnnotation(CommandLine.Command.class).description()[0];
        final String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains(" Commands: decode " + description.substring(0, description.length() - 1) +
            " (see goflow-exporter decode --help). Exit codes:"), help);
    }

    private static Path confFile(final String name)
    {
        final Path p = Path.of("..", "conf", name);
        return Files.isRegularFile(p) ? p : Path.of("conf", name);
    }

    @Test
    void shouldExitZeroWhenCheckedConfigIsValid()
    {
        final Path file = confFile("config.yaml");
        assertEquals(0, run("--check-config", file.toString()));
        assertEquals(file + ": OK; not checked: " + StartupCheck.NOT_CHECKED + "\n", out.toString());
    }

    /** A config that can start on any host: loopback, ports that are not bound by the check, no databases. */
    private static final String RUNNABLE = "server:\n  listen_addr: [\"127.0.0.1\"]\n  netflow_port: 19001\n" +
        "  sflow_port: 19002\n  ipfix_port: 19003\n  metrics_addr: \"127.0.0.1\"\n  metrics_port: 19004\n" +
        "logging:\n  level: error\n";

    private static final Path COUNTRY_DB = Path.of(
        System.getProperty("shared.dir", "../../shared"), "testdata", "geoip", "GeoLite2-Country-Test.mmdb");

    /** A web config naming certificate and key files that do not exist. */
    private static final Path WEB_CONFIG = webConfigNamingAbsentFiles();

    private static Path webConfigNamingAbsentFiles()
    {
        try
        {
            final Path dir = Files.createTempDirectory("goflow-web-config-");
            final Path file = dir.resolve("web-config.yml");
            Files.writeString(file, "tls_server_config:\n  cert_file: absent.crt\n  key_file: absent.key\n");
            return file;
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** Each kind of configuration start-up cannot run: {@code --check-config} and start-up both exit 2 with it. */
    static Stream<Arguments> configurationsThisHostCannotRun()
    {
        final String absent = "/nonexistent/GeoLite2-Country.mmdb";
        return Stream.of(
            Arguments.of("required database missing",
                "enrichment:\n  geoip_enabled: true\n  geoip_path: \"" + absent + "\"\n  asn_enabled: false\n" +
                "  required: true\n",
                "enrichment.geoip_path: cannot open GeoIP database " + absent +
                ": file not found (enrichment.required is true)"),
            Arguments.of("required database of the wrong kind",
                "enrichment:\n  geoip_enabled: false\n  asn_enabled: true\n  asn_path: \"" + COUNTRY_DB + "\"\n" +
                "  required: true\n",
                "enrichment.asn_path: cannot open ASN database " + COUNTRY_DB +
                ": database type 'GeoLite2-Country' is not a ASN database (enrichment.required is true)"),
            Arguments.of("unknown interface",
                "server:\n  interface: \"nosuch0\"\n",
                "server.interface: no network interface named 'nosuch0'"),
            Arguments.of("unknown listener interface",
                "server:\n  listeners:\n    - protocol: netflow\n      port: 19005\n      interface: \"nosuch1\"\n",
                "server.listeners[].interface: no network interface named 'nosuch1'"),
            Arguments.of("listen address of another host",
                "server:\n  listen_addr: [\"192.0.2.1\"]\n",
                "server: cannot listen on 192.0.2.1: Cannot assign requested address (not an address of this host?)"),
            Arguments.of("web config naming a missing certificate",
                "server:\n  web_config_file: \"" + WEB_CONFIG + "\"\n",
                "server.web_config_file: " + WEB_CONFIG.resolveSibling("absent.crt") + ": file not readable"),
            Arguments.of("metrics address of another host",
                "server:\n  metrics_addr: \"192.0.2.1\"\n",
                "server.metrics_addr: cannot listen on 192.0.2.1: Cannot assign requested address " +
                "(not an address of this host?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurationsThisHostCannotRun")
    void shouldRefuseAtCheckAndAtStartUpAlikeWithExitTwo(
        final String kind, final String override, final String error, @TempDir final Path dir) throws IOException
    {
        assumeTrue(!override.contains("192.0.2.1") || "0".equals(Files.readString(
            Path.of("/proc/sys/net/ipv4/ip_nonlocal_bind")).trim()), "ip_nonlocal_bind lets any address bind");
        final Path file = dir.resolve("cannot.yaml");
        Files.writeString(file, merged(override));
        assertEquals(2, run("--check-config", file.toString()), err.toString());
        assertEquals("goflow-exporter: error: " + error + "\n", err.toString());
        assertEquals(file + ": cannot start (1 error); not checked: " + StartupCheck.NOT_CHECKED + "\n", out.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--config", file.toString()), err.toString());
        assertEquals("goflow-exporter: error: " + error + "\n", err.toString());
    }

    /** @return {@link #RUNNABLE} with the sections of {@code override} replacing its own. */
    private static String merged(final String override)
    {
        final String server = override.startsWith("server:") ? override + "  netflow_port: 19001\n" +
            "  sflow_port: 19002\n  ipfix_port: 19003\n  metrics_port: 19004\n" +
            (override.contains("metrics_addr") ? "" : "  metrics_addr: \"127.0.0.1\"\n") +
            (override.contains("listen_addr") || override.contains("interface") ? "" :
            "  listen_addr: [\"127.0.0.1\"]\n") : RUNNABLE.substring(0, RUNNABLE.indexOf("logging:"));
        final String enrichment = override.startsWith("enrichment:") ? override :
            "enrichment:\n  geoip_enabled: false\n  asn_enabled: false\n";
        return server + enrichment + "logging:\n  level: error\n";
    }

    @Test
    void shouldRefuseAggregationTablesThatDoNotFitTheDirectMemoryLimit() throws Exception
    {
        final Settings shipped = ConfigLoader.load(confFile("config.yaml"));
        final long tables = AggregationEngine.offHeapBytes(shipped.aggregation(), shipped.metrics());
        final List<String> errors = new ArrayList<>();
        StartupCheck.checkOffHeap(shipped, tables + (4 << 20), 4 << 20, errors);
        assertEquals(List.of(), errors, "exactly enough");
        StartupCheck.checkOffHeap(shipped, 128L << 20, 1 << 20, errors);
        assertEquals(List.of("aggregation: the series tables need " + ((tables + (1 << 20) - 1) >> 20) +
            " MiB off-heap (max_series 100000 in 1 view(s)), more than the 127 MiB left of the JVM's direct memory " +
            "limit of 128 MiB; raise -XX:MaxDirectMemorySize in JAVA_OPTS or lower aggregation.max_series"), errors);
    }

    @Test
    void shouldWarnAndPassWhenAnOptionalDatabaseIsMissing(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("optional.yaml");
        Files.writeString(file, merged("enrichment:\n  geoip_enabled: false\n  asn_enabled: true\n" +
            "  asn_path: \"/nonexistent/asn.mmdb\"\n"));
        assertEquals(0, run("--check-config", file.toString()));
        assertEquals("goflow-exporter: warning: enrichment.asn_path: cannot open ASN database /nonexistent/asn.mmdb: " +
            "file not found; that lookup stays off until the file appears (set enrichment.required: true to make " +
            "this fatal)\n", err.toString());
    }

    @Test
    void shouldPassARequiredDatabaseThatOpens(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("db.yaml");
        Files.writeString(file, merged("enrichment:\n  geoip_enabled: true\n  geoip_path: \"" + COUNTRY_DB + "\"\n" +
            "  asn_enabled: false\n  required: true\n"));
        assertEquals(0, run("--check-config", file.toString()), err.toString());
        assertEquals("", err.toString());
    }

    @Test
    void shouldSayAnEmptyFileRunsOnTheEmbeddedDefaults(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("empty.yaml");
        Files.writeString(file, "# nothing set yet\n\n");
        assertEquals(0, run("--check-config", file.toString()));
        assertEquals(file + ": OK (empty file: runs on the embedded defaults); not checked: " +
            StartupCheck.NOT_CHECKED + "\n", out.toString());
    }

    @Test
    void shouldNameTheDirectoryGivenAsConfigAndExitTwo(@TempDir final Path dir)
    {
        assertEquals(2, run("--check-config", dir.toString()));
        assertEquals("goflow-exporter: error: cannot read config: " + dir + ": is a directory, not a file\n",
            err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("--config", dir.toString()));
        assertEquals("goflow-exporter: error: cannot read config: " + dir + ": is a directory, not a file\n",
            err.toString());
    }

    @Test
    void shouldPassTheCheckButFailStartUpWithExitOneWhenAPortIsTaken(@TempDir final Path dir) throws IOException
    {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final Path file = dir.resolve("taken.yaml");
            Files.writeString(file, merged("").replace("netflow_port: 19001", "netflow_port: " + taken.getLocalPort()));
            assertEquals(0, run("--check-config", file.toString()), err.toString());
            assertEquals(file + ": OK; not checked: " + StartupCheck.NOT_CHECKED + "\n", out.toString());
            assertEquals(1, run("--config", file.toString()));
            assertTrue(err.toString().startsWith("goflow-exporter: error: cannot bind netflow 127.0.0.1 port " +
                taken.getLocalPort() + ": "), err.toString());
        }
    }

    @Test
    void shouldExitTwoAndPrintEveryErrorWhenCheckedConfigIsInvalid(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "performance:\n  worker_count: 0\n  queue_sise: 10\n");
        assertEquals(2, run("--check-config", file.toString()));
        assertEquals(file + ":2: performance.worker_count: 0 is out of range 1..1024\n" +
            file + ":3: performance.queue_sise: unknown key \"queue_sise\"; did you mean \"queue_size\"?\n",
            err.toString());
    }

    @Test
    void shouldExitTwoWhenCheckedConfigIsMissing(@TempDir final Path dir)
    {
        final Path file = dir.resolve("absent.yaml");
        assertEquals(2, run("--check-config", file.toString()));
        assertEquals("goflow-exporter: error: cannot read config: " + file + ": no such file\n", err.toString());
    }

    @Test
    void shouldExitTwoWhenConfigToRunIsInvalid(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "logging:\n  format: xml\n");
        assertEquals(2, run("--config", file.toString()));
        assertEquals(file + ":2: logging.format: unknown log format \"xml\"; expected one of: json, text\n",
            err.toString());
    }

    @Test
    void shouldExitTwoNamingEveryPieceWhenStateCapsCannotFitTheHeap(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("big.yaml");
        Files.writeString(file, merged("") + "decoder:\n  template_bytes_total: 68719476736\n");
        assertEquals(2, run("--check-config", file.toString()));
        final String message = err.toString();
        assertTrue(message.startsWith("goflow-exporter: error: memory budget: the bounded state needs "), message);
        assertTrue(message.contains("templates 65536.0 MiB (decoder.template_bytes_total)"), message);
        assertTrue(message.contains("ring 35.0 MiB (performance.queue_size, performance.ring_slot_bytes)"), message);
        assertTrue(message.contains("Raise the heap to at least -Xmx"), message);
        assertEquals(file + ": cannot start (1 error); not checked: " + StartupCheck.NOT_CHECKED + "\n", out.toString());
    }

    @Test
    void shouldExitTwoWhenLogLevelIsUnknown()
    {
        assertEquals(2, run("--log-level", "verbose", "--check-config", confFile("minimal.yaml").toString()));
        assertTrue(err.toString().startsWith(
            "--log-level: unknown level \"verbose\"; expected one of: debug, info, warn, error"), err.toString());
    }

    @Test
    void shouldExitTwoWhenOptionIsUnknown()
    {
        assertEquals(2, run("--confg", "x.yaml"));
        assertTrue(err.toString().startsWith("Unknown options: '--confg', 'x.yaml'"), err.toString());
    }

    @Test
    void shouldPrintVersionFromBuild()
    {
        assertEquals(0, run("--version"));
        assertEquals("goflow-exporter " + System.getProperty("project.version", Version.get()) + "\n", out.toString());
        assertTrue(Version.get().matches("[0-9]+\\.[0-9]+\\.[0-9]+.*"), Version.get());
    }

    @Test
    void shouldExitOneWithOneLineWhenHttpPortIsInUse(@TempDir final Path dir) throws IOException
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket c = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final String udp = "  netflow_port: " + a.getLocalPort() + "\n  sflow_port: " + b.getLocalPort() +
                "\n  ipfix_port: " + c.getLocalPort() + "\n";
            a.close();
            b.close();
            c.close();
            final Path file = dir.resolve("busy.yaml");
            Files.writeString(file, "server:\n  listen_addr: \"127.0.0.1\"\n" + udp + "  metrics_addr: \"127.0.0.1\"\n" +
                "  metrics_port: " + port + "\nenrichment:\n  geoip_enabled: false\n  asn_enabled: false\n" +
                "logging:\n  level: error\n");
            assertEquals(1, run("--config", file.toString()));
            assertEquals("goflow-exporter: error: cannot bind HTTP server to 127.0.0.1:" + port +
                ": Address already in use\n", err.toString());
        }
    }
}
