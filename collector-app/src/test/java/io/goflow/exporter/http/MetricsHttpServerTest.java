package io.goflow.exporter.http;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsHttpServerTest
{
    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final HttpClient client = HttpClient.newHttpClient();
    private MetricsHttpServer server;

    private MetricsHttpServer start() throws IOException
    {
        Counter.build("flow_test_total", "Test counter.").labelNames("kind").register(registry).labels("a").inc(3);
        server = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/metrics",
            registry, ready::get, "9.9.9");
        return server;
    }

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    private HttpResponse<byte[]> get(final String path, final String acceptEncoding) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (acceptEncoding != null)
        {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void shouldServeTextExpositionAtMetricsPath() throws Exception
    {
        start();
        final HttpResponse<byte[]> r = get("/metrics", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        final String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("flow_test_total{kind=\"a\"} 3\n"), body);
    }

    @Test
    void shouldGzipExpositionWhenAsked() throws Exception
    {
        start();
        final HttpResponse<byte[]> r = get("/metrics", "gzip");
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body())))
        {
            final String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("flow_test_total{kind=\"a\"} 3\n"), body);
        }
    }

    @Test
    void shouldAnswerServiceUnavailableBeforeReady() throws Exception
    {
        start();
        final HttpResponse<byte[]> r = get("/healthz", null);
        assertEquals(503, r.statusCode());
        assertEquals("starting\n", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldAnswerOkOnceReady() throws Exception
    {
        start();
        ready.set(true);
        final HttpResponse<byte[]> r = get("/healthz", null);
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldServeLandingPageWithVersionAndLinks() throws Exception
    {
        start();
        final HttpResponse<byte[]> r = get("/", null);
        assertEquals(200, r.statusCode());
        final String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("Version 9.9.9"), body);
        assertTrue(body.contains("<a href=\"/metrics\">"), body);
        assertTrue(body.contains("<a href=\"/healthz\">"), body);
    }

    @Test
    void shouldAnswerServerErrorWhenCollectorThrows() throws Exception
    {
        registry.register(new BrokenCollector());
        start();
        final HttpResponse<byte[]> r = get("/metrics", null);
        assertEquals(500, r.statusCode());
        assertEquals("scrape failed\n", new String(r.body(), StandardCharsets.UTF_8));
    }

    /** Describes no metrics (so registering does not call collect) and fails every scrape. */
    private static final class BrokenCollector extends Collector implements Collector.Describable
    {
        @Override
        public List<MetricFamilySamples> collect()
        {
            throw new IllegalStateException("broken collector");
        }

        @Override
        public List<MetricFamilySamples> describe()
        {
            return List.of();
        }
    }

    @Test
    void shouldAnswerNotFoundForOtherPaths() throws Exception
    {
        start();
        assertEquals(404, get("/favicon.ico", null).statusCode());
    }

    @Test
    void shouldNameAddressWhenPortIsTaken() throws Exception
    {
        start();
        final InetSocketAddress taken = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
        final IOException ex = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
            () -> MetricsHttpServer.start(taken, "/metrics", registry, ready::get, "x"));
        assertEquals("cannot bind HTTP server to 127.0.0.1:" + server.port() + ": Address already in use",
            ex.getMessage());
    }

    @Test
    void shouldAnswerNotFoundForPathsThatOnlyStartWithAKnownPath() throws Exception
    {
        start();
        for (final String target : List.of("/metricsXYZ", "/metrics/", "/metrics/../../etc/passwd", "/healthz/../metrics",
            "/healthzz", "//metrics", "/Metrics", "/metrics%2F", "/index.html"))
        {
            final RawHttp r = RawHttp.exchange(server.port(), "GET", target, "");
            assertEquals(404, r.status, target);
        }
    }

    @Test
    void shouldServeExactPathsWithQuery() throws Exception
    {
        start();
        ready.set(true);
        assertEquals(200, RawHttp.exchange(server.port(), "GET", "/metrics?name[]=flow_test_total", "").status);
        assertEquals("ok\n", RawHttp.exchange(server.port(), "GET", "/healthz?x=1", "").text());
    }

    @Test
    void shouldAnswerMethodNotAllowedWithAllowHeaderForOtherMethods() throws Exception
    {
        start();
        ready.set(true);
        for (final String method : List.of("POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH", "FOO"))
        {
            for (final String path : List.of("/metrics", "/healthz", "/"))
            {
                final RawHttp r = RawHttp.exchange(server.port(), method, path, "Content-Length: 0\r\n");
                assertEquals(405, r.status, method + " " + path);
                assertEquals("GET, HEAD", r.headers.get("allow"), method + " " + path);
            }
        }
    }

    @Test
    void shouldAnswerHeadWithHeadersOnly() throws Exception
    {
        start();
        ready.set(true);
        final RawHttp metrics = RawHttp.exchange(server.port(), "HEAD", "/metrics", "");
        assertEquals(200, metrics.status);
        assertTrue(metrics.headers.get("content-type").startsWith("text/plain; version=0.0.4"));
        assertEquals(0, metrics.body.length);
        final RawHttp health = RawHttp.exchange(server.port(), "HEAD", "/healthz", "");
        assertEquals(200, health.status);
        assertEquals(0, health.body.length);
        final RawHttp landing = RawHttp.exchange(server.port(), "HEAD", "/", "");
        assertEquals(200, landing.status);
        assertEquals(0, landing.body.length);
    }

    @Test
    void shouldNotGzipWhenGzipWeighsZero() throws Exception
    {
        start();
        final RawHttp r = RawHttp.exchange(server.port(), "GET", "/metrics", "Accept-Encoding: gzip;q=0, identity\r\n");
        assertEquals(200, r.status);
        assertEquals(null, r.headers.get("content-encoding"));
        assertTrue(r.text().contains("flow_test_total{kind=\"a\"} 3\n"), r.text());
    }

    @Test
    void shouldGzipThroughWildcard() throws Exception
    {
        start();
        final RawHttp r = RawHttp.exchange(server.port(), "GET", "/metrics", "Accept-Encoding: *\r\n");
        assertEquals("gzip", r.headers.get("content-encoding"));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body)))
        {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("flow_test_total{kind=\"a\"} 3\n"));
        }
    }

    @Test
    void shouldAnswerNotAcceptableWhenNoCodingIsAcceptable() throws Exception
    {
        start();
        final RawHttp r = RawHttp.exchange(server.port(), "GET", "/metrics", "Accept-Encoding: gzip;q=0, *;q=0\r\n");
        assertEquals(406, r.status);
    }
}
