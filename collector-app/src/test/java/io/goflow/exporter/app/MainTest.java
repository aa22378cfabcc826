package io.goflow.exporter.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(file + ": OK\n", out.toString());
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
    void shouldExitOneWhenCheckedConfigIsMissing(@TempDir final Path dir)
    {
        final Path file = dir.resolve("absent.yaml");
        assertEquals(1, run("--check-config", file.toString()));
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
        Files.writeString(file, "decoder:\n  template_bytes_total: 68719476736\n");
        assertEquals(2, run("--check-config", file.toString()));
        final String message = err.toString();
        assertTrue(message.startsWith("goflow-exporter: error: memory budget: the bounded state needs "), message);
        assertTrue(message.contains("templates 65536.0 MiB (decoder.template_bytes_total)"), message);
        assertTrue(message.contains("ring 35.0 MiB (performance.queue_size, performance.ring_slot_bytes)"), message);
        assertTrue(message.contains("Raise the heap to at least -Xmx"), message);
        assertEquals("", out.toString());
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
