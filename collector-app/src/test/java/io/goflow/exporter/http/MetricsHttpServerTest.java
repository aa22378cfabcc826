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
}
