package io.goflow.exporter.http;

import io.goflow.exporter.expose.HttpCounters;
import io.goflow.exporter.expose.ScrapeExposition;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint's bounds with small limits: each test drives a client into one limit and checks
 * the server's answer and counter (waits are liveness bounds of 10 s, never timing assertions).
 */
class MetricsHttpServerLimitsTest
{
    private static final long WAIT_MS = 10_000;

    private final CollectorRegistry registry = new CollectorRegistry(true);
    private final HttpCounters counters = new HttpCounters();
    private final List<Socket> sockets = new ArrayList<>();
    private MetricsHttpServer server;

    private void start(final HttpLimits limits) throws IOException
    {
        server = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "/metrics",
            new ScrapeExposition(registry, null), () -> true, "1.0", limits, counters, WebSecurity.none(counters));
    }

    private static HttpLimits limits(final long headMs, final long idleMs, final long stallMs, final int maxConnections,
        final int perClient, final int headBytes, final int threads, final int queue)
    {
        return new HttpLimits(headMs, idleMs, stallMs, 60_000, maxConnections, perClient, headBytes, threads, queue);
    }

    @AfterEach
    void stop() throws IOException
    {
        for (final Socket s : sockets)
        {
            s.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    private Socket connect(final String from) throws IOException
    {
        final Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        s.setSoTimeout((int)WAIT_MS);
        sockets.add(s);
        return s;
    }

    /** Asks for {@code /metrics} from {@code from} with a 4 KiB receive buffer and never reads. */
    private void scrapeWithoutReading(final String from) throws IOException
    {
        final Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        sockets.add(stalled);
        send(stalled, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    private static void send(final Socket s, final String text) throws IOException
    {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** @return true once the server closed {@code s} (end of stream or reset), false after {@link #WAIT_MS}. */
    private static boolean closedByServer(final Socket s) throws IOException
    {
        final InputStream in = s.getInputStream();
        final byte[] buf = new byte[64 * 1024];
        try
        {
            while (in.read(buf) >= 0)
            {
                // discard what was answered before the close
            }
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException reset)
        {
            return true;
        }
    }

    private static void awaitCount(final LongSupplier value, final long expected) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (value.getAsLong() < expected && System.nanoTime() - deadlineNs < 0)
        {
            Thread.sleep(20);
        }
        assertEquals(expected, value.getAsLong());
    }

    private String healthz() throws IOException
    {
        return RawHttp.exchange(server.port(), "GET", "/healthz", "").text();
    }

    @Test
    void shouldCloseConnectionWhoseHeadIsNotCompleteWithinHeadTimeout() throws Exception
    {
        start(limits(300, 60_000, 10_000, 64, 16, 1024, 1, 1));
        final Socket slow = connect("127.0.0.1");
        send(slow, "GET /healthz HTTP/1.1\r\nHo");

        assertEquals("ok\n", healthz());
        assertTrue(closedByServer(slow));
        assertEquals(1, counters.get(HttpCounters.TIMED_OUT_HEAD));
        assertEquals(0, counters.get(HttpCounters.ABANDONED_HEAD));
    }

    @Test
    void shouldCloseNewConnectionThatSendsNothingWithinHeadTimeout() throws Exception
    {
        start(limits(300, 60_000, 10_000, 64, 16, 1024, 1, 1));
        final Socket silent = connect("127.0.0.1");

        assertTrue(closedByServer(silent));
        assertEquals(1, counters.get(HttpCounters.TIMED_OUT_HEAD));
    }

    @Test
    void shouldCloseKeepAliveConnectionAfterIdleTimeout() throws Exception
    {
        start(limits(60_000, 300, 10_000, 64, 16, 1024, 1, 1));
        final Socket s = connect("127.0.0.1");
        send(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");

        assertTrue(closedByServer(s));
        assertEquals(1, counters.get(HttpCounters.TIMED_OUT_IDLE));
        assertEquals(0, counters.get(HttpCounters.TIMED_OUT_HEAD));
    }

    @Test
    void shouldCountClientThatClosesWithHeadIncomplete() throws Exception
    {
        start(limits(60_000, 60_000, 10_000, 64, 16, 1024, 1, 1));
        final Socket s = connect("127.0.0.1");
        send(s, "GET /metr");
        s.close();

        awaitCount(() -> counters.get(HttpCounters.ABANDONED_HEAD), 1);
    }

    @Test
    void shouldRefuseConnectionsBeyondPerClientLimitOnly() throws Exception
    {
        start(limits(60_000, 60_000, 10_000, 64, 2, 1024, 1, 1));
        final Socket first = connect("127.0.0.2");
        connect("127.0.0.2");
        final Socket third = connect("127.0.0.2");

        assertTrue(closedByServer(third));
        assertEquals(1, counters.get(HttpCounters.REJECTED_CLIENT_LIMIT));
        assertEquals("ok\n", healthz());
        send(first, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals("ok\n", RawHttp.parse(first.getInputStream().readAllBytes()).text());
    }

    @Test
    void shouldEvictOldestIdleConnectionAtTotalLimit() throws Exception
    {
        start(limits(60_000, 60_000, 10_000, 2, 16, 1024, 1, 1));
        final Socket oldest = connect("127.0.0.2");
        awaitCount(() -> counters.get(HttpCounters.OPEN), 1);
        final Socket second = connect("127.0.0.3");
        awaitCount(() -> counters.get(HttpCounters.OPEN), 2);

        assertEquals("ok\n", healthz());
        assertTrue(closedByServer(oldest));
        assertEquals(1, counters.get(HttpCounters.EVICTED));
        send(second, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals("ok\n", RawHttp.parse(second.getInputStream().readAllBytes()).text());
    }

    @Test
    void shouldAnswer431ToHeadLargerThanLimit() throws Exception
    {
        start(limits(60_000, 60_000, 10_000, 64, 16, 256, 1, 1));
        final RawHttp r = RawHttp.exchange(server.port(), "GET", "/healthz", "X-Big: " + "a".repeat(300) + "\r\n");

        assertEquals(431, r.status);
        assertEquals(1, counters.get(HttpCounters.REJECTED_HEAD_TOO_LARGE));
    }

    @Test
    void shouldAnswer400And505ToMalformedHeads() throws Exception
    {
        start(HttpLimits.DEFAULT);
        assertEquals(400, RawHttp.send(server.port(), "GET /healthz HTTP/1.1\r\n\r\n").status);
        assertEquals(400, RawHttp.send(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n").status);
        assertEquals(505, RawHttp.send(server.port(), "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n").status);
        assertEquals(3, counters.get(HttpCounters.REJECTED_BAD_REQUEST));
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderOnOneConnection() throws Exception
    {
        start(HttpLimits.DEFAULT);
        final int landingLength = RawHttp.exchange(server.port(), "GET", "/", "").body.length;
        final String text;
        try (Socket s = connect("127.0.0.1"))
        {
            send(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n" +
                "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            text = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        final int ok = text.indexOf("HTTP/1.1 200 OK");
        final int notFound = text.indexOf("HTTP/1.1 404 Not Found");
        final int scrape = text.indexOf("Transfer-Encoding: chunked");
        final int landing = text.lastIndexOf("Content-Type: text/html");
        assertTrue(ok >= 0 && ok < notFound && notFound < scrape && scrape < landing, text);
        assertTrue(text.endsWith("Connection: close\r\nContent-Length: " + landingLength + "\r\n\r\n"), text);
        assertEquals(5, counters.get(HttpCounters.REQUESTS));
    }

    @Test
    void shouldServeHttp10ScrapeUntilClose() throws Exception
    {
        start(HttpLimits.DEFAULT);
        registry.register(new SizedCollector(10));
        final RawHttp r = RawHttp.send(server.port(), "GET /metrics HTTP/1.0\r\n\r\n");

        assertEquals(200, r.status);
        assertEquals(null, r.headers.get("transfer-encoding"));
        assertEquals("close", r.headers.get("connection"));
        assertTrue(r.text().contains("flow_sized{i=\"9\"} 9\n"), r.text());
    }

    @Test
    void shouldAbandonScrapeClientDoesNotReadAndKeepAnsweringHealth() throws Exception
    {
        start(limits(60_000, 60_000, 300, 64, 16, 1024, 1, 1));
        registry.register(new SizedCollector(400_000));
        scrapeWithoutReading("127.0.0.1");

        awaitCount(() -> counters.get(HttpCounters.TIMED_OUT_RESPONSE), 1);
        assertEquals("ok\n", healthz());
        assertEquals(200, RawHttp.exchange(server.port(), "GET", "/metrics", "").status);
    }

    @Test
    void shouldServeSecondScrapeFromSameClientOnceItsFirstEnds() throws Exception
    {
        start(limits(60_000, 60_000, 300, 64, 16, 1024, 2, 1));
        registry.register(new SizedCollector(400_000));
        scrapeWithoutReading("127.0.0.5");
        awaitCount(() -> counters.get(HttpCounters.REQUESTS), 1);

        final Socket second = connect("127.0.0.5");
        send(second, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        final RawHttp r = RawHttp.parse(second.getInputStream().readAllBytes());

        assertEquals(200, r.status);
        assertEquals(1, counters.get(HttpCounters.TIMED_OUT_RESPONSE), "the second waited for the first to time out");
        assertEquals(0, counters.get(HttpCounters.REJECTED_BUSY));
    }

    @Test
    void shouldEvictScrapeWaitingBehindItsClientsRunningOneButNotTheRunningOne() throws Exception
    {
        start(limits(60_000, 60_000, 10_000, 2, 16, 1024, 1, 1));
        registry.register(new SizedCollector(400_000));
        scrapeWithoutReading("127.0.0.5");
        awaitCount(() -> counters.get(HttpCounters.REQUESTS), 1);
        final Socket parked = connect("127.0.0.5");
        send(parked, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        awaitCount(() -> counters.get(HttpCounters.REQUESTS), 2);

        assertEquals("ok\n", healthz());
        assertTrue(closedByServer(parked));
        assertEquals(1, counters.get(HttpCounters.EVICTED));
        assertEquals(0, counters.get(HttpCounters.REJECTED_TOTAL_LIMIT));
    }

    @Test
    void shouldAnswerBusyWhenScrapeQueueIsFull() throws Exception
    {
        start(limits(60_000, 60_000, 10_000, 64, 16, 1024, 1, 1));
        registry.register(new SizedCollector(400_000));
        scrapeWithoutReading("127.0.0.5");
        scrapeWithoutReading("127.0.0.6");
        awaitCount(() -> counters.get(HttpCounters.REQUESTS), 2);

        final RawHttp r = RawHttp.exchange(server.port(), "GET", "/metrics", "");

        assertEquals(503, r.status);
        assertEquals("1", r.headers.get("retry-after"));
        assertEquals(1, counters.get(HttpCounters.REJECTED_BUSY));
        assertEquals("ok\n", healthz());
    }

    /** {@code n} gauge samples {@code flow_sized{i}} of about 25 bytes of text each. */
    private static final class SizedCollector extends Collector
    {
        private final int n;

        SizedCollector(final int n)
        {
            this.n = n;
        }

        @Override
        public List<MetricFamilySamples> collect()
        {
            final List<MetricFamilySamples.Sample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                samples.add(new MetricFamilySamples.Sample("flow_sized", List.of("i"), List.of(Integer.toString(i)), i));
            }
            return List.of(new MetricFamilySamples("flow_sized", Type.GAUGE, "Sized.", samples));
        }
    }
}
