package io.goflow.exporter.expose;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of the HTTP endpoint, written by its selector and scrape threads and read by
 * {@link PipelineMetricsCollector} at scrape time (the {@code http_*} families of
 * {@link PipelineCounter}). Each index below is one labelled series.
 *
 * <p>Thread-safe: every counter is an atomic long; none is on the datagram path.
 */
public final class HttpCounters
{
    /** {@code http_connections_rejected{reason="client_limit"}}: closed at accept, the client address holds its maximum. */
    public static final int REJECTED_CLIENT_LIMIT = 0;
    /** {@code http_connections_rejected{reason="total_limit"}}: closed at accept, every connection busy answering. */
    public static final int REJECTED_TOTAL_LIMIT = 1;
    /** {@code http_connections_evicted}: an idle, head-reading or waiting connection closed to admit a new one. */
    public static final int EVICTED = 2;
    /** {@code http_connections_timed_out{phase="head"}}: request head not complete within the head timeout. */
    public static final int TIMED_OUT_HEAD = 3;
    /** {@code http_connections_timed_out{phase="idle"}}: keep-alive connection idle for the idle timeout. */
    public static final int TIMED_OUT_IDLE = 4;
    /** {@code http_connections_timed_out{phase="response"}}: client not reading the response in time. */
    public static final int TIMED_OUT_RESPONSE = 5;
    /** {@code http_connections_abandoned{phase="head"}}: client closed with a request head incomplete. */
    public static final int ABANDONED_HEAD = 6;
    /** {@code http_connections_abandoned{phase="response"}}: client closed or reset before the response ended. */
    public static final int ABANDONED_RESPONSE = 7;
    /** {@code http_requests_rejected{reason="bad_request"}}: malformed head or HTTP version, answered 400/505. */
    public static final int REJECTED_BAD_REQUEST = 8;
    /** {@code http_requests_rejected{reason="head_too_large"}}: head over the size limit, answered 431. */
    public static final int REJECTED_HEAD_TOO_LARGE = 9;
    /** {@code http_requests_rejected{reason="busy"}}: scrape queue full, answered 503. */
    public static final int REJECTED_BUSY = 10;
    /** {@code http_connections_accepted}. */
    public static final int ACCEPTED = 11;
    /** {@code http_requests}: complete request heads answered (any status). */
    public static final int REQUESTS = 12;
    /** {@code http_connections_open} (gauge). */
    public static final int OPEN = 13;
    /** {@code http_connections_rejected{reason="tls_handshake"}}: TLS handshake failed or client certificate refused. */
    public static final int REJECTED_TLS_HANDSHAKE = 14;
    /** {@code http_requests_rejected{reason="unauthorized"}}: answered 401. */
    public static final int REJECTED_UNAUTHORIZED = 15;
    /** {@code http_web_config_reloads{result="success"}}. */
    public static final int WEB_CONFIG_RELOADED = 16;
    /** {@code http_web_config_reloads{result="failure"}}. */
    public static final int WEB_CONFIG_RELOAD_FAILED = 17;
    /** {@code http_web_config_last_reload_successful} (gauge, 1 or 0). */
    public static final int WEB_CONFIG_LAST_RELOAD_OK = 18;
    static final int COUNT = 19;

    private final AtomicLongArray values = new AtomicLongArray(COUNT);

    public HttpCounters()
    {
        values.set(WEB_CONFIG_LAST_RELOAD_OK, 1);
    }

    public void increment(final int counter)
    {
        values.incrementAndGet(counter);
    }

    /** Sets a gauge ({@link #OPEN}, {@link #WEB_CONFIG_LAST_RELOAD_OK}). */
    public void set(final int gauge, final long value)
    {
        values.set(gauge, value);
    }

    public long get(final int counter)
    {
        return values.get(counter);
    }
}
