package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12's check against the tarball on its default HTTP limits: 200 clients that send their
 * request head a byte every 300 ms (never finishing within the 5 s head timeout, reconnecting when
 * cut off), 100 connections that never send anything, and one address opening 40 connections,
 * while {@code /healthz} and {@code /metrics} are fetched every second for 10 s and a real
 * Prometheus scrapes it every second with a 1 s timeout. Every fetch must answer 200,
 * {@code /healthz} within 1 s (the bound, wide on loopback), every Prometheus scrape must
 * succeed ({@code up} stays 1), and the {@code flow_http_*} counters must show the load was held
 * and cut off.
 *
 * <p>Clients come from distinct loopback addresses (127.0.1.x, 127.0.2.x, 127.0.3.1) so the per-client
 * limit (32) does not hide the head timeout; ports 19100-19104 only.
 */
class SlowHttpClientsIT
{
    private static final int HTTP_PORT = 19100;
    private static final int[] UDP_PORTS = {19101, 19102, 19103};
    private static final int PROMETHEUS_PORT = 19104;
    private static final int SLOW_CLIENTS = 200;
    private static final int SLOW_ADDRESSES = 100;
    private static final int IDLE_CLIENTS = 100;
    private static final int IDLE_ADDRESSES = 50;
    private static final int GREEDY_CONNECTIONS = 40;
    private static final long BYTE_INTERVAL_MS = 300;
    private static final int PROBES = 10;
    private static final long HEALTH_BOUND_MS = 1_000;
    private static final byte[] SLOW_HEAD =
        ("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldAnswerEveryScrapeAndHealthCheckUnderSlowClients() throws Exception
    {
        final String yaml = CollectorProcess.yaml(new CollectorProcess.Config(), UDP_PORTS, HTTP_PORT);
        try (CollectorProcess collector = CollectorProcess.start("slow-http", yaml, UDP_PORTS, HTTP_PORT);
            PrometheusServer prometheus = PrometheusServer.start(List.of(collector), List.of(), PROMETHEUS_PORT))
        {
            final List<Client> clients = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++)
            {
                clients.add(new Client(InetAddress.getByName("127.0.1." + (1 + i % SLOW_ADDRESSES)), true));
            }
            for (int i = 0; i < IDLE_CLIENTS; i++)
            {
                clients.add(new Client(InetAddress.getByName("127.0.2." + (1 + i % IDLE_ADDRESSES)), false));
            }
            for (int i = 0; i < GREEDY_CONNECTIONS; i++)
            {
                clients.add(new Client(InetAddress.getByName("127.0.3.1"), false));
            }
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong reconnects = new AtomicLong();
            final Thread driver = new Thread(() -> drive(clients, stop, reconnects), "slow-clients");
            driver.start();
            final long[] healthMs = new long[PROBES];
            final long[] scrapeMs = new long[PROBES];
            double maxOpen = 0;
            int bodyChars = 0;
            try
            {
                Thread.sleep(2 * BYTE_INTERVAL_MS);
                for (int i = 0; i < PROBES; i++)
                {
                    final long startNs = System.nanoTime();
                    final HttpResponse<String> health = get("/healthz", Duration.ofSeconds(5));
                    healthMs[i] = (System.nanoTime() - startNs) / 1_000_000;
                    assertEquals(200, health.statusCode(), "healthz probe " + i);
                    final long scrapeStartNs = System.nanoTime();
                    final HttpResponse<String> metrics = get("/metrics", Duration.ofSeconds(10));
                    scrapeMs[i] = (System.nanoTime() - scrapeStartNs) / 1_000_000;
                    assertEquals(200, metrics.statusCode(), "metrics probe " + i);
                    bodyChars = Math.max(bodyChars, metrics.body().length());
                    final Scrape s = Scrape.parse(metrics.body());
                    maxOpen = Math.max(maxOpen, s.sum("flow_http_connections_open"));
                    final long sleepMs = 1_000 - (System.nanoTime() - startNs) / 1_000_000;
                    if (sleepMs > 0)
                    {
                        Thread.sleep(sleepMs);
                    }
                }
            }
            finally
            {
                stop.set(true);
                driver.join(10_000);
                for (final Client c : clients)
                {
                    c.close();
                }
            }
            final Scrape end = Scrape.parse(get("/metrics", Duration.ofSeconds(10)).body());
            System.out.printf("SlowHttpClientsIT: healthz ms %s; metrics ms %s (%d chars); max open %.0f; reconnects %d; " +
                    "timed_out head %.0f, rejected client_limit %.0f, evicted %.0f%n",
                Arrays.toString(healthMs), Arrays.toString(scrapeMs), bodyChars, maxOpen, reconnects.get(),
                end.sum("flow_http_connections_timed_out_total", s -> "head".equals(s.label("phase"))),
                end.sum("flow_http_connections_rejected_total", s -> "client_limit".equals(s.label("reason"))),
                end.sum("flow_http_connections_evicted_total"));

            for (int i = 0; i < PROBES; i++)
            {
                assertTrue(healthMs[i] < HEALTH_BOUND_MS, "healthz probe " + i + " took " + healthMs[i] + " ms");
            }
            assertTrue(maxOpen >= SLOW_CLIENTS, "slow clients held " + maxOpen + " connections at most");
            assertTrue(end.sum("flow_http_connections_timed_out_total", s -> "head".equals(s.label("phase"))) >= SLOW_CLIENTS,
                "the slow clients' heads were not all cut off by the head timeout");
            assertEquals(GREEDY_CONNECTIONS - 32,
                end.sum("flow_http_connections_rejected_total", s -> "client_limit".equals(s.label("reason"))));
            final String window = "[" + (PROBES + 2) + "s]";
            final PrometheusServer.Result up = prometheus.query("min_over_time(up{job=\"goflow\"}" + window + ")");
            final PrometheusServer.Result scrapes = prometheus.query("count_over_time(up{job=\"goflow\"}" + window + ")");
            final PrometheusServer.Result slowest = prometheus.query("max_over_time(scrape_duration_seconds" + window + ")");
            System.out.printf("SlowHttpClientsIT: Prometheus (1 s interval and timeout): %s scrapes, min up %s, slowest %s s%n",
                scrapes.samples(), up.samples(), slowest.samples());
            assertEquals(1.0, up.single(), "a Prometheus scrape failed under the slow clients");
            assertTrue(scrapes.single() >= PROBES, "Prometheus scrapes in the window: " + scrapes.single());
            assertTrue(collector.healthy());
        }
    }

    private HttpResponse<String> get(final String path, final Duration timeout) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path)).timeout(timeout).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Every {@link #BYTE_INTERVAL_MS}: each slow client sends its next head byte, every client whose
     * connection the server closed connects again (the greedy address's refused ones once, so the
     * refusal count stays exact). Ends when {@code stop} is set or after 60 s.
     */
    private static void drive(final List<Client> clients, final AtomicBoolean stop, final AtomicLong reconnects)
    {
        final long endNs = System.nanoTime() + 60_000_000_000L;
        final ByteBuffer sink = ByteBuffer.allocate(4096);
        for (final Client c : clients)
        {
            c.connect();
        }
        while (!stop.get() && System.nanoTime() - endNs < 0)
        {
            for (final Client c : clients)
            {
                if (c.channel == null || !c.tick(sink))
                {
                    if (c.slow || c.address.getAddress()[2] == 2)
                    {
                        reconnects.incrementAndGet();
                        c.connect();
                    }
                }
            }
            try
            {
                Thread.sleep(BYTE_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /** One client connection, non-blocking; owned by the driver thread. */
    private static final class Client
    {
        final InetAddress address;
        final boolean slow;
        SocketChannel channel;
        int sent;

        Client(final InetAddress address, final boolean slow)
        {
            this.address = address;
            this.slow = slow;
        }

        void connect()
        {
            close();
            try
            {
                final SocketChannel ch = SocketChannel.open();
                ch.bind(new InetSocketAddress(address, 0));
                ch.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), HTTP_PORT));
                ch.configureBlocking(false);
                channel = ch;
                sent = 0;
            }
            catch (final IOException ex)
            {
                channel = null;
            }
        }

        /** @return false once the server has closed the connection. */
        boolean tick(final ByteBuffer sink)
        {
            try
            {
                sink.clear();
                if (channel.read(sink) < 0)
                {
                    return false;
                }
                if (slow && sent < SLOW_HEAD.length - 1)
                {
                    channel.write(ByteBuffer.wrap(SLOW_HEAD, sent, 1));
                    sent++;
                }
                return true;
            }
            catch (final IOException ex)
            {
                return false;
            }
        }

        void close()
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignored)
                {
                    // the server may have reset it already
                }
                channel = null;
            }
        }
    }
}
