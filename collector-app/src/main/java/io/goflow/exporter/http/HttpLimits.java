package io.goflow.exporter.http;

/**
 * Bounds of the HTTP endpoint ({@link MetricsHttpServer}). Memory: at most
 * {@code maxConnections × maxHeadBytes} of request-head buffers, plus one scrape's buffers
 * (about 200 KiB) per scrape thread.
 *
 * @param headTimeoutMs        a request head must be complete this long after its first byte (or
 *                             after accept for a new connection), else the connection is closed.
 * @param idleTimeoutMs        a keep-alive connection with no new request byte for this long is closed.
 * @param writeStallTimeoutMs  a response the client accepts no byte of for this long is abandoned.
 * @param responseTimeoutMs    a response not fully written this long after its head is abandoned.
 * @param maxConnections       open connections in all; at the limit the oldest idle or head-reading
 *                             one is evicted for a new one (refused when every one is answering).
 * @param maxConnectionsPerClient open connections per client address; more are refused at accept.
 * @param maxHeadBytes         request head size limit (request line, fields, blank line); larger is 431.
 * @param scrapeThreads        threads rendering {@code metrics_path}; everything else is answered on
 *                             the selector thread.
 * @param scrapeQueue          scrapes waiting for a thread; more are answered 503.
 */
public record HttpLimits(
    long headTimeoutMs,
    long idleTimeoutMs,
    long writeStallTimeoutMs,
    long responseTimeoutMs,
    int maxConnections,
    int maxConnectionsPerClient,
    int maxHeadBytes,
    int scrapeThreads,
    int scrapeQueue)
{
    /**
     * The product's bounds: a 5 s head timeout (Prometheus sends its head in one segment), 30 s idle
     * keep-alive (a 15 s scrape interval keeps its connection), 10 s write stall and 60 s response
     * timeouts (a scrape slower than that is past any scrape_timeout), 512 connections with 32 per
     * address, 8 KiB heads (so at most 4 MiB of head buffers), 2 scrape threads
     * (2 cores; each scrape holds a view snapshot) and 8 queued scrapes.
     */
    public static final HttpLimits DEFAULT = new HttpLimits(5_000, 30_000, 10_000, 60_000, 512, 32, 8 * 1024, 2, 8);
}
