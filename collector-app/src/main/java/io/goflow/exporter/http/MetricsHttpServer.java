package io.goflow.exporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.goflow.exporter.expose.ScrapeExposition;
import io.goflow.exporter.log.RateLimitedLogger;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP endpoint: the Prometheus exposition at the configured path ({@link ScrapeExposition}: text
 * format, gzip as {@link AcceptEncoding} negotiates), a landing page at {@code /} and
 * {@code /healthz} (200 once the collector reports ready, 503 before). Built on the JDK
 * {@link HttpServer}. Two daemon threads serve requests; scrapes never touch the receive path.
 *
 * <p>Routing is exact: the request target's path (before any query) must equal one of the three
 * paths byte for byte, so {@code /metricsX}, {@code /metrics/} and {@code /healthz/../metrics} are
 * 404 (nothing is normalised). Those paths answer GET and HEAD (headers only); any other method
 * is 405 with {@code Allow: GET, HEAD}.
 */
public final class MetricsHttpServer implements AutoCloseable
{
    private static final int THREADS = 2;
    private static final int WRITER_BUFFER_CHARS = 64 * 1024;
    private static final String ALLOWED_METHODS = "GET, HEAD";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final RateLimitedLogger SCRAPE_ERRORS =
        new RateLimitedLogger(LogManager.getLogger(MetricsHttpServer.class), Level.WARN);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsHttpServer(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param bind        address and port; port 0 picks a free one (see {@link #port()}).
     * @param metricsPath path of the exposition, e.g. {@code /metrics}.
     * @param ready       answers {@code /healthz}; called on HTTP threads.
     * @throws IOException when the port cannot be bound; the message names address and port.
     */
    public static MetricsHttpServer start(
        final InetSocketAddress bind,
        final String metricsPath,
        final CollectorRegistry registry,
        final BooleanSupplier ready,
        final String version) throws IOException
    {
        return start(bind, metricsPath, registry, null, ready, version);
    }

    /**
     * As {@link #start(InetSocketAddress, String, CollectorRegistry, BooleanSupplier, String)}, with
     * the flow series streamed after the registry's samples by {@code flowSeries} (null: registry only).
     */
    public static MetricsHttpServer start(
        final InetSocketAddress bind,
        final String metricsPath,
        final CollectorRegistry registry,
        final FlowSeriesTextWriter flowSeries,
        final BooleanSupplier ready,
        final String version) throws IOException
    {
        final HttpServer server;
        try
        {
            server = HttpServer.create(bind, 16);
        }
        catch (final BindException ex)
        {
            throw new IOException("cannot bind HTTP server to " + text(bind) + ": " + ex.getMessage(), ex);
        }
        final ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        final ScrapeExposition exposition = new ScrapeExposition(registry, flowSeries);
        server.createContext("/", exchange -> route(exchange, metricsPath, exposition, ready, version));
        server.start();
        return new MetricsHttpServer(server, executor);
    }

    /** @return the bound port. */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /** Stops accepting, ends in-flight requests, stops the threads (at most about one second). */
    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void route(
        final HttpExchange exchange,
        final String metricsPath,
        final ScrapeExposition exposition,
        final BooleanSupplier ready,
        final String version) throws IOException
    {
        try (exchange)
        {
            final String path = exchange.getRequestURI().getRawPath();
            final boolean known = metricsPath.equals(path) || "/healthz".equals(path) || "/".equals(path);
            if (!known)
            {
                respond(exchange, 404, TEXT, "not found\n");
            }
            else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.getResponseHeaders().set("Allow", ALLOWED_METHODS);
                respond(exchange, 405, TEXT, "method not allowed\n");
            }
            else if (metricsPath.equals(path))
            {
                scrape(exchange, exposition);
            }
            else if ("/healthz".equals(path))
            {
                health(exchange, ready);
            }
            else
            {
                landing(exchange, metricsPath, version);
            }
        }
    }

    /**
     * Serves a scrape; a collector that throws gives a 500 and a rate-limited warning instead of
     * a silently dropped connection (or a cut-off body once the response has started).
     */
    private static void scrape(final HttpExchange exchange, final ScrapeExposition exposition) throws IOException
    {
        final AcceptEncoding.Coding coding = AcceptEncoding.negotiate(exchange.getRequestHeaders().get("Accept-Encoding"));
        if (coding == AcceptEncoding.Coding.NONE)
        {
            respond(exchange, 406, TEXT, "neither gzip nor identity is acceptable\n");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", ScrapeExposition.CONTENT_TYPE);
        exchange.getResponseHeaders().set("Vary", "Accept-Encoding");
        if (coding == AcceptEncoding.Coding.GZIP)
        {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        if ("HEAD".equals(exchange.getRequestMethod()))
        {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        final List<Collector.MetricFamilySamples> registryFamilies;
        try
        {
            registryFamilies = exposition.collectRegistry();
        }
        catch (final RuntimeException ex)
        {
            SCRAPE_ERRORS.log(System.nanoTime(), "scrape of {} failed: {}", exchange.getRequestURI(), ex.toString());
            exchange.getResponseHeaders().remove("Content-Encoding");
            respond(exchange, 500, TEXT, "scrape failed\n");
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        try
        {
            final OutputStream raw = exchange.getResponseBody();
            final OutputStream body = coding == AcceptEncoding.Coding.GZIP ?
                new GZIPOutputStream(raw, WRITER_BUFFER_CHARS) : raw;
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), WRITER_BUFFER_CHARS))
            {
                exposition.write(writer, registryFamilies);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            SCRAPE_ERRORS.log(System.nanoTime(), "scrape of {} failed after the headers: {}",
                exchange.getRequestURI(), ex.toString());
        }
    }

    private static void health(final HttpExchange exchange, final BooleanSupplier ready) throws IOException
    {
        final boolean ok = ready.getAsBoolean();
        respond(exchange, ok ? 200 : 503, TEXT, ok ? "ok\n" : "starting\n");
    }

    private static void landing(final HttpExchange exchange, final String metricsPath, final String version)
        throws IOException
    {
        final String path = escape(metricsPath);
        final String body = "<!DOCTYPE html>\n<html><head><title>goflow-exporter</title></head><body>\n" +
            "<h1>goflow-exporter</h1>\n<p>Version " + escape(version) + "</p>\n<ul>\n" +
            "<li><a href=\"" + path + "\">" + path + "</a> Prometheus metrics</li>\n" +
            "<li><a href=\"/healthz\">/healthz</a> health check</li>\n</ul>\n</body></html>\n";
        respond(exchange, 200, "text/html; charset=utf-8", body);
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            if (!head)
            {
                out.write(bytes);
            }
        }
    }

    private static String escape(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String text(final InetSocketAddress a)
    {
        final String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static ThreadFactory daemonThreads()
    {
        final AtomicInteger n = new AtomicInteger();
        return r ->
        {
            final Thread t = new Thread(r, "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
