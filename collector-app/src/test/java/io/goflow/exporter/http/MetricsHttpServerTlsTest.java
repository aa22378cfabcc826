package io.goflow.exporter.http;

import io.goflow.exporter.expose.HttpCounters;
import io.goflow.exporter.expose.ScrapeExposition;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint over TLS with client certificates and basic auth, as the exporter toolkit's
 * web-config describes them; certificates from {@code openssl}, hashes from {@code htpasswd},
 * clients the JDK's. Reloads are awaited by polling with a bound, never timed.
 */
class MetricsHttpServerTlsTest
{
    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static String hashA;
    private static String hashB;

    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final HttpCounters counters = new HttpCounters();
    private MetricsHttpServer server;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        certs = TestCertificates.make(dir);
        hashA = TestCertificates.htpasswd("prometheus", "first secret", 5);
        hashB = TestCertificates.htpasswd("prometheus", "second secret", 5);
    }

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    private Path webConfig(final String name, final String text) throws IOException
    {
        final Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String tls(final String cert, final String extra)
    {
        return "tls_server_config:\n  cert_file: " + cert + ".crt\n  key_file: " + cert + ".key\n" + extra;
    }

    private static final String MUTUAL = "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n";

    private void start(final Path webConfig) throws IOException
    {
        if (registry.getSampleValue("flow_test_total", new String[]{"kind"}, new String[]{"a"}) == null)
        {
            Counter.build("flow_test_total", "Test counter.").labelNames("kind").register(registry).labels("a").inc(3);
        }
        server = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/metrics",
            new ScrapeExposition(registry, null), () -> true, "1.0", HttpLimits.DEFAULT, counters,
            WebSecurity.load(webConfig.toString(), counters));
    }

    private HttpResponse<String> get(final SSLContext ctx, final String path, final String user, final String password)
        throws IOException, InterruptedException
    {
        final HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10));
        if (user != null)
        {
            b.header("Authorization", "Basic " +
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("not within 20 s: " + what + "; handshakes refused " +
                    counters.get(HttpCounters.REJECTED_TLS_HANDSHAKE) + ", head abandoned " +
                    counters.get(HttpCounters.ABANDONED_HEAD) + ", timed out " + counters.get(HttpCounters.TIMED_OUT_HEAD));
            }
            Thread.sleep(50);
        }
    }

    @Test
    void shouldServeOnlyClientsWithATrustedCertificateAndTheRightPassword() throws Exception
    {
        start(webConfig("mutual.yml", tls("server", MUTUAL) + "basic_auth_users:\n  prometheus: " + hashA + "\n"));
        final SSLContext trusted = certs.clientContext("client.p12");

        final HttpResponse<String> ok = get(trusted, "/metrics", "prometheus", "first secret");
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().contains("flow_test_total{kind=\"a\"} 3"), ok.body());
        assertEquals(200, get(trusted, "/healthz", "prometheus", "first secret").statusCode());
        assertEquals(0, counters.get(HttpCounters.REJECTED_UNAUTHORIZED));

        final HttpResponse<String> none = get(trusted, "/metrics", null, null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), none.headers().toString());
        assertEquals(401, get(trusted, "/metrics", "prometheus", "wrong").statusCode());
        assertEquals(401, get(trusted, "/healthz", "nobody", "first secret").statusCode());
        assertEquals(401, get(trusted, "/metrics", "prometheus", "wrong").statusCode(), "a remembered denial");
        assertEquals(4, counters.get(HttpCounters.REJECTED_UNAUTHORIZED));

        assertRefused(certs.clientContext(null));
        assertRefused(certs.clientContext("rogue-client.p12"));
        await("two handshakes refused", () -> counters.get(HttpCounters.REJECTED_TLS_HANDSHAKE) == 2);

        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port()))
        {
            plain.setSoTimeout(5_000);
            plain.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(!answer.contains("200 OK"), answer);
        }
        await("plain HTTP refused", () -> counters.get(HttpCounters.REJECTED_TLS_HANDSHAKE) == 3);
        assertEquals(200, get(trusted, "/healthz", "prometheus", "first secret").statusCode(), "still serving");
    }

    @Test
    void shouldStreamALargeGzipScrapeOverTlsExactlyAsOverPlainHttp() throws Exception
    {
        final Counter many = Counter.build("flow_many_total", "Many series.").labelNames("i").register(registry);
        for (int i = 0; i < 20_000; i++)
        {
            many.labels("series-" + i).inc(i);
        }
        start(webConfig("plain-tls.yml", tls("server-ec", "")));
        final MetricsHttpServer plain = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "/metrics", registry, () -> true, "1.0");
        try
        {
            final String overPlain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + plain.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            final HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext(null)).build();
            final HttpResponse<InputStream> gz = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/metrics")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
            final String overTls;
            try (InputStream in = new java.util.zip.GZIPInputStream(gz.body()))
            {
                overTls = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(overPlain.length() > 500_000, "large: " + overPlain.length());
            assertEquals(overPlain, overTls);
        }
        finally
        {
            plain.close();
        }
    }

    @Test
    void shouldReloadPasswordsAndCertificatesAndKeepTheLastGoodConfigOnABadFile() throws Exception
    {
        final Path web = webConfig("reload.yml", tls("server", "") + "basic_auth_users:\n  prometheus: " + hashA + "\n");
        start(web);
        final SSLContext ctx = certs.clientContext(null);
        assertEquals(200, get(ctx, "/metrics", "prometheus", "first secret").statusCode());
        assertEquals(read("server.crt"), servedCertificate(ctx));

        Files.writeString(web, tls("server2", "") + "basic_auth_users:\n  prometheus: " + hashB + "\n");
        await("new password and certificate in force", () -> counters.get(HttpCounters.WEB_CONFIG_RELOADED) == 1);
        assertEquals(401, get(ctx, "/metrics", "prometheus", "first secret").statusCode());
        assertEquals(200, get(ctx, "/metrics", "prometheus", "second secret").statusCode());
        assertEquals(read("server2.crt"), servedCertificate(ctx));
        assertEquals(1, counters.get(HttpCounters.WEB_CONFIG_LAST_RELOAD_OK));

        Files.writeString(web, "tls_server_config: [not, a, mapping\n");
        await("broken file refused", () -> counters.get(HttpCounters.WEB_CONFIG_RELOAD_FAILED) == 1);
        assertEquals(0, counters.get(HttpCounters.WEB_CONFIG_LAST_RELOAD_OK));
        assertEquals(200, get(ctx, "/metrics", "prometheus", "second secret").statusCode(), "last good config in force");

        Files.writeString(web, "basic_auth_users:\n  prometheus: " + hashA + "\n");
        await("switch to plain HTTP refused", () -> counters.get(HttpCounters.WEB_CONFIG_RELOAD_FAILED) == 2);
        assertEquals(200, get(ctx, "/metrics", "prometheus", "second secret").statusCode());
        assertEquals(1, counters.get(HttpCounters.WEB_CONFIG_RELOADED));
    }

    /**
     * Hostile TLS clients: random bytes, a TLS record header announcing more than it sends, a
     * ClientHello cut short, a handshake abandoned halfway, all at once from 20 addresses
     * (127.0.5.x; the good client's own address keeps its connection allowance). Each is refused or timed out, counted, and a good client is served meanwhile.
     */
    @Test
    void shouldSurviveGarbageTruncatedAndAbandonedHandshakesAndServeAGoodClient() throws Exception
    {
        start(webConfig("hostile.yml", tls("server", "") + "basic_auth_users:\n  prometheus: " + hashA + "\n"));
        final java.util.Random random = new java.util.Random(42);
        final java.util.List<Socket> held = new java.util.ArrayList<>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                final byte[] junk = new byte[1 + random.nextInt(4000)];
                random.nextBytes(junk);
                final InetAddress from = InetAddress.getByName("127.0.5." + (1 + i));
                held.add(send(from, junk));
                held.add(send(from, new byte[]{0x16, 0x03, 0x01, 0x40, 0x00, 0x01}));
                final byte[] hello = clientHello();
                held.add(send(from, java.util.Arrays.copyOf(hello, 1 + random.nextInt(hello.length - 1))));
                held.add(send(from, hello));
            }
            final SSLContext ctx = certs.clientContext(null);
            assertEquals(200, get(ctx, "/healthz", "prometheus", "first secret").statusCode());
            assertEquals(401, get(ctx, "/healthz", "prometheus", "wrong").statusCode());
            // junk is refused at once unless its first bytes pass for a record header, then it times out like the rest
            await("each of the 80 connections refused or timed out", () ->
                counters.get(HttpCounters.TIMED_OUT_HEAD) + counters.get(HttpCounters.REJECTED_TLS_HANDSHAKE) == 80);
            assertTrue(counters.get(HttpCounters.REJECTED_TLS_HANDSHAKE) >= 10, "most junk refused in the handshake");
            assertEquals(200, get(ctx, "/metrics", "prometheus", "first secret").statusCode(), "still serving");
        }
        finally
        {
            for (final Socket s : held)
            {
                s.close();
            }
        }
    }

    private Socket send(final InetAddress from, final byte[] bytes) throws IOException
    {
        final Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port(), from, 0);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return s;
    }

    /** The first flight of a real JDK client: its ClientHello record, captured from an SSLEngine. */
    private static byte[] clientHello() throws Exception
    {
        final javax.net.ssl.SSLEngine client = certs.clientContext(null).createSSLEngine("127.0.0.1", 1);
        client.setUseClientMode(true);
        final java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(java.nio.ByteBuffer.allocate(0), out);
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    /** Requests pipelined in one TLS record: the second waits decrypted in the transport, and is answered. */
    @Test
    void shouldAnswerEveryRequestPipelinedInOneTlsRecord() throws Exception
    {
        start(webConfig("pipelined.yml", tls("server", "")));
        try (SSLSocket s = (SSLSocket)certs.clientContext(null).getSocketFactory()
            .createSocket(InetAddress.getLoopbackAddress(), server.port()))
        {
            s.setSoTimeout(10_000);
            final String one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
            s.getOutputStream().write((one + one + one.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
                .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            final String answers = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals(3, answers.split("HTTP/1.1 200 OK", -1).length - 1, answers);
        }
    }

    @Test
    void shouldAdmitOnlyClientCertificatesWithAnAllowedSan() throws Exception
    {
        start(webConfig("sans.yml", tls("server", MUTUAL + "  client_allowed_sans: [prometheus.example]\n")));
        assertEquals(200, get(certs.clientContext("client.p12"), "/healthz", null, null).statusCode());
        server.close();
        start(webConfig("other-sans.yml", tls("server", MUTUAL + "  client_allowed_sans: [grafana.example]\n")));
        assertRefused(certs.clientContext("client.p12"));
        await("SAN refused", () -> counters.get(HttpCounters.REJECTED_TLS_HANDSHAKE) == 1);
    }

    @Test
    void shouldLoadKeysInEveryPemFormGoReadsAndRefuseAKeyOfAnotherCertificate() throws Exception
    {
        for (final String name : new String[]{"server", "server-ec", "server2"})
        {
            final WebConfig config = WebConfig.load(webConfig(name + ".yml", tls(name, "")));
            assertEquals(read(name + ".crt"), ServerTls.load(config.tls()).certificate());
        }
        final WebConfig mismatched = WebConfig.load(webConfig("mismatch.yml",
            "tls_server_config:\n  cert_file: server.crt\n  key_file: server2.key\n"));
        final IOException ex = assertThrows(IOException.class, () -> ServerTls.load(mismatched.tls()));
        assertTrue(ex.getMessage().contains("does not belong to the certificate"), ex.getMessage());
        final WebConfig notPem = WebConfig.load(webConfig("notpem.yml",
            "tls_server_config:\n  cert_file: server.ext\n  key_file: server.key\n"));
        assertThrows(IOException.class, () -> ServerTls.load(notPem.tls()));
    }

    /** One connection, one request for /healthz: the server must close it without an answer. */
    private void assertRefused(final SSLContext ctx) throws IOException
    {
        try (SSLSocket s = (SSLSocket)ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port()))
        {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            final String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals("", answer, "answered without an acceptable client certificate");
        }
        catch (final javax.net.ssl.SSLException | java.net.SocketException ex)
        {
            // refused in the handshake, as expected
        }
    }

    private static X509Certificate read(final String name) throws Exception
    {
        try (InputStream in = Files.newInputStream(certs.file(name)))
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private X509Certificate servedCertificate(final SSLContext ctx) throws IOException
    {
        try (SSLSocket s = (SSLSocket)ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port()))
        {
            s.setSoTimeout(5_000);
            s.startHandshake();
            final OutputStream out = s.getOutputStream();
            out.flush();
            return (X509Certificate)s.getSession().getPeerCertificates()[0];
        }
    }
}
