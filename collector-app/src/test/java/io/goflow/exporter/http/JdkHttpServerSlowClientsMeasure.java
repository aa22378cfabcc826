package io.goflow.exporter.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Why {@link MetricsHttpServer} is not the JDK {@link HttpServer} (not run by surefire): serves a
 * {@code /healthz} from the JDK server with {@code threads} threads on port 19151 while
 * {@code slow} clients send a request head a byte every 300 ms (reconnecting when cut off), and
 * prints how long each of 8 probes took. Try it with and without
 * {@code -Dsun.net.httpserver.maxReqTime=2 -Dsun.net.httpserver.timerMillis=500}.
 *
 * <p>Run: {@code java -cp collector-app/target/test-classes io.goflow.exporter.http.JdkHttpServerSlowClientsMeasure 200 2}.
 * Measured (BENCHMARKS.md): 2 slow clients and no properties, every probe times out (3 s); with
 * {@code maxReqTime=2}, 1.5-2.5 s per probe with 2 or 64 threads.
 */
final class JdkHttpServerSlowClientsMeasure
{
    private static final int PORT = 19151;
    private static final byte[] SLOW_HEAD =
        ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private JdkHttpServerSlowClientsMeasure()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int slow = Integer.parseInt(args[0]);
        final int threads = Integer.parseInt(args[1]);
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 256);
        final ExecutorService executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/healthz", exchange ->
        {
            final byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.start();
        for (int i = 0; i < slow; i++)
        {
            final Thread t = new Thread(JdkHttpServerSlowClientsMeasure::slowClient, "slow-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(2_000);
        for (int i = 0; i < 8; i++)
        {
            final long startNs = System.nanoTime();
            String status;
            try (Socket c = new Socket("127.0.0.1", PORT))
            {
                c.setSoTimeout(3_000);
                c.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                status = new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\r\n")[0];
            }
            catch (final IOException ex)
            {
                status = ex.toString();
            }
            System.out.printf("probe %d: %d ms %s%n", i, (System.nanoTime() - startNs) / 1_000_000, status);
            Thread.sleep(1_000);
        }
        server.stop(0);
        executor.shutdownNow();
    }

    /** Sends 60 head bytes 300 ms apart per connection, 100 connections at most. */
    private static void slowClient()
    {
        for (int round = 0; round < 100; round++)
        {
            try (Socket s = new Socket("127.0.0.1", PORT))
            {
                for (int j = 0; j < 60; j++)
                {
                    s.getOutputStream().write(SLOW_HEAD[j]);
                    Thread.sleep(300);
                }
            }
            catch (final IOException ex)
            {
                continue;
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }
}
