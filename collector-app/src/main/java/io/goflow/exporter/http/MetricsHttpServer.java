package io.goflow.exporter.http;

import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.goflow.exporter.expose.HttpCounters;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP endpoint: the Prometheus exposition at the configured path ({@link ScrapeExposition}: text
 * format, streamed chunked, gzip as {@link AcceptEncoding} negotiates), a landing page at {@code /}
 * and {@code /healthz} (200 once the collector reports ready, 503 before).
 *
 * <h2>Why not the JDK {@code HttpServer}</h2>
 * Its dispatcher hands a connection to a worker thread as soon as one byte is readable, and the
 * worker then reads the request head with a blocking read: two clients sending their heads a
 * byte at a time held both threads and {@code /healthz} stopped answering. Its
 * {@code sun.net.httpserver.maxReqTime} closes such connections from a timer, but each still holds
 * a worker until then, and with 200 slow clients reconnecting every probe waited about that long
 * (measured: 2.0 s per {@code /healthz} with {@code maxReqTime=2}, with 2 or 64 threads);
 * {@code jdk.httpserver.maxConnections} bounds connections overall, not per client, and evicts
 * nothing, so a full table locks scrapers out.
 *
 * <h2>Design</h2>
 * One selector thread ({@code http-selector}) accepts, reads every request head without blocking
 * into the connection's own buffer, and enforces the {@link HttpLimits}: head and idle timeouts,
 * connections per client address (refused beyond) and in all (the oldest idle or head-reading
 * connection evicted for a new one), head size. A complete head is routed on that thread; every
 * answer but a scrape is small and written from there. A scrape goes to one of
 * {@link HttpLimits#scrapeThreads()} threads (one per client address at a time, its others parked
 * until it ends; a bounded queue, 503 beyond) which writes through {@link ChannelOutputStream} with a stall and a total deadline.
 * So no slow client ever occupies a thread while its head arrives, and {@code /healthz} never waits
 * behind a scrape. Everything refused, timed out or abandoned is counted in {@link HttpCounters}.
 *
 * <p>Routing is exact: the request target's path (before any query) must equal one of the three
 * paths byte for byte, so {@code /metricsX}, {@code /metrics/} and {@code /healthz/../metrics} are
 * 404 (nothing is normalised). Those paths answer GET and HEAD (headers only); any other method
 * is 405 with {@code Allow: GET, HEAD}. A request with a body is answered and its connection
 * closed (bodies are never read). Keep-alive and pipelining as in RFC 9112 section 9.
 */
public final class MetricsHttpServer implements AutoCloseable
{
    private static final RateLimitedLogger SCRAPE_ERRORS =
        new RateLimitedLogger(LogManager.getLogger(MetricsHttpServer.class), Level.WARN);
    private static final int BACKLOG = 128;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final long SWEEP_INTERVAL_MS = 100;
    private static final int WRITER_BUFFER_CHARS = 64 * 1024;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final String ALLOWED_METHODS = "GET, HEAD";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HEALTH_PATH = "/healthz";
    private static final String UNAUTHORIZED_HEADER = "WWW-Authenticate: Basic realm=\"goflow-exporter\", charset=\"UTF-8\"";

    /** Connection states; the selector thread owns every connection not in {@link #SCRAPING}. */
    private static final int HEAD = 0;
    private static final int IDLE = 1;
    private static final int WRITING = 2;
    private static final int SCRAPING = 3;
    /** A scrape waiting for the same client's running one (in {@link ClientState#waiting}). */
    private static final int PARKED = 4;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final HttpLimits limits;
    private final HttpCounters counters;
    private final String metricsPath;
    private final ScrapeExposition exposition;
    private final BooleanSupplier ready;
    private final String version;
    private final WebSecurity security;
    private final ThreadPoolExecutor scrapes;
    private final Thread selectorThread;
    /** Every open connection, oldest accepted first (eviction order). Selector thread only. */
    private final LinkedHashSet<Connection> connections = new LinkedHashSet<>();
    /** Per client address with an open connection. Selector thread only. */
    private final Map<InetAddress, ClientState> perClient = new HashMap<>();
    /** Connections with pipelined bytes to parse once their previous response is out. Selector thread only. */
    private final ArrayDeque<Connection> deferred = new ArrayDeque<>();
    /** Connections handed back by scrape threads. */
    private final ConcurrentLinkedQueue<Connection> returned = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    private MetricsHttpServer(
        final ServerSocketChannel listener,
        final Selector selector,
        final HttpLimits limits,
        final HttpCounters counters,
        final String metricsPath,
        final ScrapeExposition exposition,
        final BooleanSupplier ready,
        final String version,
        final WebSecurity security)
    {
        this.listener = listener;
        this.selector = selector;
        this.limits = limits;
        this.counters = counters;
        this.metricsPath = metricsPath;
        this.exposition = exposition;
        this.ready = ready;
        this.version = version;
        this.security = security;
        this.scrapes = new ThreadPoolExecutor(limits.scrapeThreads(), limits.scrapeThreads(), 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(limits.scrapeQueue()), daemonThreads("http-scrape-"));
        this.selectorThread = new Thread(this::run, "http-selector");
        this.selectorThread.setDaemon(true);
    }

    /**
     * Binds and starts serving the registry alone, with the default limits and private counters.
     *
     * @param bind        address and port; port 0 picks a free one (see {@link #port()}).
     * @param metricsPath path of the exposition, e.g. {@code /metrics}.
     * @param ready       answers {@code /healthz}; called on the selector thread, must not block.
     * @throws IOException when the port cannot be bound; the message names address and port.
     */
    public static MetricsHttpServer start(
        final InetSocketAddress bind,
        final String metricsPath,
        final CollectorRegistry registry,
        final BooleanSupplier ready,
        final String version) throws IOException
    {
        final HttpCounters counters = new HttpCounters();
        return start(bind, metricsPath, new ScrapeExposition(registry, null), ready, version, HttpLimits.DEFAULT,
            counters, WebSecurity.none(counters));
    }

    /**
     * As {@link #start(InetSocketAddress, String, CollectorRegistry, BooleanSupplier, String)}, with
     * the flow series streamed after the registry's samples by {@code flowSeries} (null: registry
     * only), the endpoint's counters in {@code counters} and TLS and authentication by {@code security}.
     */
    public static MetricsHttpServer start(
        final InetSocketAddress bind,
        final String metricsPath,
        final CollectorRegistry registry,
        final FlowSeriesTextWriter flowSeries,
        final BooleanSupplier ready,
        final String version,
        final HttpCounters counters,
        final WebSecurity security) throws IOException
    {
        return start(bind, metricsPath, new ScrapeExposition(registry, flowSeries), ready, version, HttpLimits.DEFAULT,
            counters, security);
    }

    /** Binds and starts serving {@code exposition} within {@code limits}, with TLS and authentication by {@code security}. */
    public static MetricsHttpServer start(
        final InetSocketAddress bind,
        final String metricsPath,
        final ScrapeExposition exposition,
        final BooleanSupplier ready,
        final String version,
        final HttpLimits limits,
        final HttpCounters counters,
        final WebSecurity security) throws IOException
    {
        final ServerSocketChannel listener = ServerSocketChannel.open();
        try
        {
            listener.bind(bind, BACKLOG);
        }
        catch (final BindException ex)
        {
            listener.close();
            throw new IOException("cannot bind HTTP server to " + text(bind) + ": " + ex.getMessage(), ex);
        }
        final Selector selector;
        try
        {
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            listener.close();
            throw ex;
        }
        final MetricsHttpServer server = new MetricsHttpServer(
            listener, selector, limits, counters, metricsPath, exposition, ready, version, security);
        server.selectorThread.start();
        return server;
    }

    /** @return the bound port. */
    public int port()
    {
        return listener.socket().getLocalPort();
    }

    /** Stops accepting, closes every connection, stops the threads (at most about two seconds). */
    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        scrapes.shutdownNow();
        try
        {
            selectorThread.join(1_000);
            scrapes.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        try
        {
            long lastSweepNs = System.nanoTime();
            while (running)
            {
                try
                {
                    lastSweepNs = iteration(lastSweepNs);
                }
                catch (final RuntimeException ex)
                {
                    SCRAPE_ERRORS.log(System.nanoTime(), "HTTP selector loop: {}", ex.toString());
                }
            }
        }
        catch (final IOException ex)
        {
            LogManager.getLogger(MetricsHttpServer.class).error("HTTP selector stopped: {}", ex.toString(), ex);
        }
        finally
        {
            for (final Connection c : new ArrayList<>(connections))
            {
                close(c);
            }
            closeQuietly(selector);
            closeQuietly(listener);
        }
    }

    /**
     * One wait on the selector and everything it made ready, then the scrapes handed back, the
     * pipelined heads and, every {@link #SWEEP_INTERVAL_MS}, the deadlines.
     *
     * @return when the deadlines were last swept.
     */
    private long iteration(final long lastSweepNs) throws IOException
    {
        selector.select(SWEEP_INTERVAL_MS);
        for (final SelectionKey key : selector.selectedKeys())
        {
            if (!key.isValid())
            {
                continue;
            }
            if (key.channel() == listener)
            {
                accept();
            }
            else
            {
                onReady(key, (Connection)key.attachment());
            }
        }
        selector.selectedKeys().clear();
        Connection c;
        while ((c = returned.poll()) != null)
        {
            try
            {
                scrapeEnded(c);
            }
            catch (final RuntimeException ex)
            {
                failed(c, ex);
            }
        }
        while ((c = deferred.poll()) != null)
        {
            try
            {
                if (c.state == HEAD && connections.contains(c))
                {
                    if (c.transport.hasBufferedInput())
                    {
                        readInto(c);
                    }
                    if (connections.contains(c))
                    {
                        parseHead(c);
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                failed(c, ex);
            }
        }
        final long nowNs = System.nanoTime();
        if (nowNs - lastSweepNs >= SWEEP_INTERVAL_MS * 1_000_000L)
        {
            sweep(nowNs);
            security.refresh(nowNs);
            listener.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
            return nowNs;
        }
        return lastSweepNs;
    }

    private void accept()
    {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++)
        {
            final SocketChannel channel;
            final InetAddress client;
            try
            {
                channel = listener.accept();
                if (channel == null)
                {
                    return;
                }
                client = ((InetSocketAddress)channel.getRemoteAddress()).getAddress();
            }
            catch (final IOException ex)
            {
                SCRAPE_ERRORS.log(System.nanoTime(), "HTTP accept failed (retried after {} ms): {}", SWEEP_INTERVAL_MS,
                    ex.toString());
                listener.keyFor(selector).interestOps(0);
                return;
            }
            counters.increment(HttpCounters.ACCEPTED);
            final ClientState state = perClient.get(client);
            if (state != null && state.connections >= limits.maxConnectionsPerClient())
            {
                counters.increment(HttpCounters.REJECTED_CLIENT_LIMIT);
                closeQuietly(channel);
                continue;
            }
            if (connections.size() >= limits.maxConnections() && !evictOne())
            {
                counters.increment(HttpCounters.REJECTED_TOTAL_LIMIT);
                closeQuietly(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final WebSecurity.Snapshot web = security.current();
                final Transport transport = web.tls() == null ? Transport.plain(channel) :
                    new TlsTransport(channel, web.tls());
                final Connection c = new Connection(channel, transport, client, limits.maxHeadBytes());
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
                c.state = HEAD;
                c.deadlineNs = System.nanoTime() + limits.headTimeoutMs() * 1_000_000L;
                connections.add(c);
                perClient.computeIfAbsent(client, k -> new ClientState()).connections++;
                counters.set(HttpCounters.OPEN, connections.size());
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
            }
        }
    }

    /**
     * Closes the oldest connection that is idle, still reading its head or waiting behind its
     * client's running scrape; false when every one is being answered.
     */
    private boolean evictOne()
    {
        for (final Connection c : connections)
        {
            if (c.state == HEAD || c.state == IDLE || c.state == PARKED)
            {
                counters.increment(HttpCounters.EVICTED);
                close(c);
                return true;
            }
        }
        return false;
    }

    private void onReady(final SelectionKey key, final Connection c)
    {
        try
        {
            if (c.state == WRITING && key.isWritable())
            {
                writePending(c);
            }
            else if ((c.state == HEAD || c.state == IDLE) && (key.isReadable() || key.isWritable()))
            {
                read(c);
            }
        }
        catch (final javax.net.ssl.SSLException ex)
        {
            counters.increment(c.transport.established() ? HttpCounters.ABANDONED_HEAD : HttpCounters.REJECTED_TLS_HANDSHAKE);
            close(c);
        }
        catch (final IOException ex)
        {
            if (c.state == WRITING || c.length > 0)
            {
                counters.increment(c.state == WRITING ? HttpCounters.ABANDONED_RESPONSE : HttpCounters.ABANDONED_HEAD);
            }
            close(c);
        }
        catch (final RuntimeException ex)
        {
            failed(c, ex);
        }
    }

    /** A bug, not a client's doing: logged (rate-limited) and the connection closed; the server carries on. */
    private void failed(final Connection c, final RuntimeException ex)
    {
        SCRAPE_ERRORS.log(System.nanoTime(), "HTTP connection from {} failed: {}", c.client, ex.toString());
        close(c);
    }

    private void read(final Connection c) throws IOException
    {
        if (readInto(c))
        {
            parseHead(c);
        }
    }

    /**
     * Reads what the transport has into the connection's head buffer (a TLS handshake progresses
     * here too) and waits for the socket to be writable while handshake bytes are unsent.
     *
     * @return true when bytes were added; false when none, or when the connection was closed.
     */
    private boolean readInto(final Connection c) throws IOException
    {
        final int n = c.transport.read(ByteBuffer.wrap(c.head, c.length, c.head.length - c.length));
        if (n < 0)
        {
            if (c.length > 0)
            {
                counters.increment(HttpCounters.ABANDONED_HEAD);
            }
            close(c);
            return false;
        }
        c.key.interestOps(SelectionKey.OP_READ | (c.transport.hasPendingOutput() ? SelectionKey.OP_WRITE : 0));
        if (n == 0)
        {
            return false;
        }
        if (c.state == IDLE)
        {
            c.state = HEAD;
            c.deadlineNs = System.nanoTime() + limits.headTimeoutMs() * 1_000_000L;
        }
        c.length += n;
        return true;
    }

    /** Answers the head at the start of the connection's buffer if it is complete. */
    private void parseHead(final Connection c)
    {
        final int end = HttpRequestHead.headEnd(c.head, c.scanned, c.length);
        c.scanned = c.length;
        if (end < 0)
        {
            if (c.length == c.head.length)
            {
                counters.increment(HttpCounters.REJECTED_HEAD_TOO_LARGE);
                respond(c, 431, "Request Header Fields Too Large", TEXT, "request head too large\n", false, true);
            }
            return;
        }
        final HttpRequestHead head = c.request;
        final int parsed = head.parse(c.head, end);
        System.arraycopy(c.head, end, c.head, 0, c.length - end);
        c.length -= end;
        c.scanned = 0;
        counters.increment(HttpCounters.REQUESTS);
        if (parsed == HttpRequestHead.BAD_REQUEST || parsed == HttpRequestHead.BAD_VERSION)
        {
            counters.increment(HttpCounters.REJECTED_BAD_REQUEST);
            final boolean version = parsed == HttpRequestHead.BAD_VERSION;
            respond(c, version ? 505 : 400, version ? "HTTP Version Not Supported" : "Bad Request", TEXT,
                version ? "HTTP/1.0 or HTTP/1.1 only\n" : "bad request\n", false, true);
            return;
        }
        route(c, head);
    }

    private void route(final Connection c, final HttpRequestHead head)
    {
        final boolean headOnly = "HEAD".equals(head.method());
        final boolean close = !head.keepAlive();
        final BasicAuth auth = security.current().auth();
        if (auth.enabled())
        {
            final int known = auth.cached(head.authorization());
            if (known == BasicAuth.DENIED)
            {
                unauthorized(c, headOnly, close);
                return;
            }
            if (known == BasicAuth.UNKNOWN)
            {
                c.key.interestOps(0);
                queue(c, new Scrape(c, head, auth, close));
                return;
            }
        }
        answer(c, head, headOnly, close);
    }

    private void unauthorized(final Connection c, final boolean headOnly, final boolean close)
    {
        counters.increment(HttpCounters.REJECTED_UNAUTHORIZED);
        respond(c, 401, "Unauthorized", TEXT, "unauthorized\n", headOnly, close, UNAUTHORIZED_HEADER);
    }

    /** Answers an authorised request: small answers here, a scrape on a scrape thread. */
    private void answer(final Connection c, final HttpRequestHead head, final boolean headOnly, final boolean close)
    {
        final String path = head.path();
        if (!metricsPath.equals(path) && !HEALTH_PATH.equals(path) && !"/".equals(path))
        {
            respond(c, 404, "Not Found", TEXT, "not found\n", headOnly, close);
        }
        else if (!headOnly && !"GET".equals(head.method()))
        {
            respond(c, 405, "Method Not Allowed", TEXT, "method not allowed\n", false, close, "Allow: " + ALLOWED_METHODS);
        }
        else if (HEALTH_PATH.equals(path))
        {
            final boolean ok = ready.getAsBoolean();
            respond(c, ok ? 200 : 503, ok ? "OK" : "Service Unavailable", TEXT, ok ? "ok\n" : "starting\n", headOnly, close);
        }
        else if ("/".equals(path))
        {
            respond(c, 200, "OK", "text/html; charset=utf-8", landingPage(), headOnly, close);
        }
        else
        {
            scrape(c, head, headOnly, close);
        }
    }

    private void scrape(final Connection c, final HttpRequestHead head, final boolean headOnly, final boolean close)
    {
        final AcceptEncoding.Coding coding = AcceptEncoding.negotiate(head.acceptEncoding());
        if (coding == AcceptEncoding.Coding.NONE)
        {
            respond(c, 406, "Not Acceptable", TEXT, "neither gzip nor identity is acceptable\n", headOnly, close);
            return;
        }
        final String encoding = coding == AcceptEncoding.Coding.GZIP ? "Content-Encoding: gzip" : null;
        if (headOnly)
        {
            respond(c, 200, "OK", ScrapeExposition.CONTENT_TYPE, "", true, close, "Vary: Accept-Encoding", encoding);
            return;
        }
        c.key.interestOps(0);
        queue(c, new Scrape(c, coding == AcceptEncoding.Coding.GZIP, head.http11(), close));
    }

    /** Starts {@code task} now or parks it behind its client's running one (one at a time per client). */
    private void queue(final Connection c, final Scrape task)
    {
        final ClientState client = perClient.get(c.client);
        if (client.scraping)
        {
            c.state = PARKED;
            c.deadlineNs = System.nanoTime() + limits.responseTimeoutMs() * 1_000_000L;
            client.waiting.add(task);
            return;
        }
        dispatch(client, task);
    }

    /** Hands {@code task} to a scrape thread, or answers 503 when the scrape queue is full. */
    private void dispatch(final ClientState client, final Scrape task)
    {
        try
        {
            task.connection.state = SCRAPING;
            scrapes.execute(task);
            client.scraping = true;
        }
        catch (final RejectedExecutionException ex)
        {
            final Connection c = task.connection;
            c.state = HEAD;
            c.key.interestOps(SelectionKey.OP_READ);
            counters.increment(HttpCounters.REJECTED_BUSY);
            respond(c, 503, "Service Unavailable", TEXT, "too many scrapes in progress\n", false, task.close,
                "Retry-After: 1");
        }
    }

    /**
     * A scrape thread handed {@code c} back: keep it for the next request or close it, and start the
     * client's next waiting scrape.
     */
    private void scrapeEnded(final Connection c)
    {
        final ClientState client = perClient.get(c.client);
        if (client != null)
        {
            client.scraping = false;
        }
        final int auth = c.authOutcome;
        c.authOutcome = BasicAuth.UNKNOWN;
        if (!c.channel.isOpen())
        {
            close(c);
        }
        else if (auth != BasicAuth.UNKNOWN)
        {
            c.state = HEAD;
            final boolean headOnly = "HEAD".equals(c.request.method());
            final boolean close = !c.request.keepAlive();
            if (auth == BasicAuth.ALLOWED)
            {
                answer(c, c.request, headOnly, close);
            }
            else
            {
                unauthorized(c, headOnly, close);
            }
        }
        else if (c.closeAfter)
        {
            close(c);
        }
        else
        {
            responseDone(c);
        }
        if (client != null)
        {
            Scrape next;
            while (!client.scraping && (next = client.waiting.poll()) != null)
            {
                if (next.connection.state == PARKED && connections.contains(next.connection))
                {
                    dispatch(client, next);
                }
            }
        }
    }

    /** Queues a small response and starts writing it; {@code headOnly} leaves the body out. */
    private void respond(
        final Connection c,
        final int status,
        final String reason,
        final String type,
        final String body,
        final boolean headOnly,
        final boolean close,
        final String... extraHeaders)
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final StringBuilder sb = responseHead(status, reason, type, close, extraHeaders);
        appendConfigured(sb);
        if (!headOnly || bytes.length > 0)
        {
            sb.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        sb.append("\r\n");
        final byte[] headBytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        final ByteBuffer out = ByteBuffer.allocate(headBytes.length + (headOnly ? 0 : bytes.length));
        out.put(headBytes);
        if (!headOnly)
        {
            out.put(bytes);
        }
        out.flip();
        c.pending = out;
        c.closeAfter = close;
        c.state = WRITING;
        c.deadlineNs = System.nanoTime() + limits.writeStallTimeoutMs() * 1_000_000L;
        try
        {
            writePending(c);
        }
        catch (final IOException ex)
        {
            counters.increment(HttpCounters.ABANDONED_RESPONSE);
            close(c);
        }
    }

    private void writePending(final Connection c) throws IOException
    {
        if (c.transport.write(c.pending) > 0)
        {
            c.deadlineNs = System.nanoTime() + limits.writeStallTimeoutMs() * 1_000_000L;
        }
        if (c.pending.hasRemaining() || c.transport.hasPendingOutput())
        {
            c.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        c.pending = null;
        if (c.closeAfter)
        {
            close(c);
            return;
        }
        responseDone(c);
    }

    /** The response is out: parse a pipelined request already read, else wait idle for the next. */
    private void responseDone(final Connection c)
    {
        c.key.interestOps(SelectionKey.OP_READ);
        if (c.length > 0 || c.transport.hasBufferedInput())
        {
            c.state = HEAD;
            c.deadlineNs = System.nanoTime() + limits.headTimeoutMs() * 1_000_000L;
            deferred.add(c);
        }
        else
        {
            c.state = IDLE;
            c.deadlineNs = System.nanoTime() + limits.idleTimeoutMs() * 1_000_000L;
        }
    }

    /** Closes connections past their deadline (scrape threads keep their own). */
    private void sweep(final long nowNs)
    {
        final List<Connection> expired = new ArrayList<>();
        for (final Connection c : connections)
        {
            if (c.state != SCRAPING && c.deadlineNs - nowNs < 0)
            {
                expired.add(c);
            }
        }
        for (final Connection c : expired)
        {
            counters.increment(c.state == HEAD ? HttpCounters.TIMED_OUT_HEAD :
                c.state == IDLE ? HttpCounters.TIMED_OUT_IDLE : HttpCounters.TIMED_OUT_RESPONSE);
            close(c);
        }
    }

    private void close(final Connection c)
    {
        if (connections.remove(c))
        {
            final ClientState client = perClient.get(c.client);
            if (client != null && --client.connections <= 0)
            {
                perClient.remove(c.client);
            }
            counters.set(HttpCounters.OPEN, connections.size());
        }
        c.key.cancel();
        c.transport.close();
    }

    /** Runs on a scrape thread: renders the exposition into the connection, then hands it back. */
    private void serveScrape(final Scrape task)
    {
        final Connection c = task.connection;
        if (task.auth != null)
        {
            try
            {
                c.authOutcome = task.auth.verify(task.authorization) ? BasicAuth.ALLOWED : BasicAuth.DENIED;
            }
            catch (final RuntimeException ex)
            {
                SCRAPE_ERRORS.log(System.nanoTime(), "basic auth check failed: {}", ex.toString());
                c.authOutcome = BasicAuth.DENIED;
            }
            returned.add(c);
            selector.wakeup();
            return;
        }
        boolean ok = false;
        try (ChannelOutputStream out = new ChannelOutputStream(c.transport, limits.writeStallTimeoutMs(),
            limits.responseTimeoutMs()))
        {
            ok = writeScrape(task, out);
        }
        catch (final ChannelOutputStream.TimeoutException ex)
        {
            counters.increment(HttpCounters.TIMED_OUT_RESPONSE);
        }
        catch (final IOException ex)
        {
            counters.increment(HttpCounters.ABANDONED_RESPONSE);
        }
        catch (final RuntimeException ex)
        {
            SCRAPE_ERRORS.log(System.nanoTime(), "scrape failed after the headers: {}", ex.toString());
        }
        finally
        {
            c.closeAfter = !ok || task.close;
            returned.add(c);
            selector.wakeup();
        }
    }

    /** @return true when the whole response went out and the connection can carry another request. */
    private boolean writeScrape(final Scrape task, final OutputStream out) throws IOException
    {
        final List<Collector.MetricFamilySamples> registryFamilies;
        try
        {
            registryFamilies = exposition.collectRegistry();
        }
        catch (final RuntimeException ex)
        {
            SCRAPE_ERRORS.log(System.nanoTime(), "scrape failed: {}", ex.toString());
            final byte[] body = "scrape failed\n".getBytes(StandardCharsets.UTF_8);
            out.write(appendConfigured(responseHead(500, "Internal Server Error", TEXT, task.close, new String[0]))
                .append("Content-Length: ").append(body.length).append("\r\n\r\n")
                .toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            return true;
        }
        final boolean chunked = task.http11;
        out.write(appendConfigured(responseHead(200, "OK", ScrapeExposition.CONTENT_TYPE, task.close || !chunked,
            new String[]{"Vary: Accept-Encoding", task.gzip ? "Content-Encoding: gzip" : null,
                chunked ? "Transfer-Encoding: chunked" : null}))
            .append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        final OutputStream framed = chunked ? new ChunkedOutputStream(out, CHUNK_BYTES) : out;
        final OutputStream body = task.gzip ? new FastGzipOutputStream(framed, CHUNK_BYTES) : framed;
        try (Writer writer = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), WRITER_BUFFER_CHARS))
        {
            exposition.write(writer, registryFamilies);
        }
        return chunked;
    }

    private static StringBuilder responseHead(
        final int status, final String reason, final String type, final boolean close, final String[] extraHeaders)
    {
        final StringBuilder sb = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ').append(reason)
            .append("\r\nContent-Type: ").append(type).append("\r\n");
        for (final String h : extraHeaders)
        {
            if (h != null)
            {
                sb.append(h).append("\r\n");
            }
        }
        if (close)
        {
            sb.append("Connection: close\r\n");
        }
        return sb;
    }

    /** Adds the web config's {@code http_server_config.headers}. */
    private StringBuilder appendConfigured(final StringBuilder sb)
    {
        for (final String h : security.current().headers())
        {
            sb.append(h).append("\r\n");
        }
        return sb;
    }

    private String landingPage()
    {
        final String path = escape(metricsPath);
        return "<!DOCTYPE html>\n<html><head><title>goflow-exporter</title></head><body>\n" +
            "<h1>goflow-exporter</h1>\n<p>Version " + escape(version) + "</p>\n<ul>\n" +
            "<li><a href=\"" + path + "\">" + path + "</a> Prometheus metrics</li>\n" +
            "<li><a href=\"/healthz\">/healthz</a> health check</li>\n</ul>\n</body></html>\n";
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

    private static void closeQuietly(final AutoCloseable c)
    {
        try
        {
            c.close();
        }
        catch (final Exception ignored)
        {
            // closing: nothing left to do with it
        }
    }

    private static ThreadFactory daemonThreads(final String prefix)
    {
        final AtomicInteger n = new AtomicInteger();
        return r ->
        {
            final Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One client connection. The selector thread owns every field except while {@link #state} is
     * {@link #SCRAPING}, when a scrape thread uses {@link #channel} and sets {@link #closeAfter}
     * before handing it back through {@link #returned}.
     */
    private static final class Connection
    {
        final SocketChannel channel;
        final Transport transport;
        final InetAddress client;
        /** Request bytes read and not yet answered: at most one head and what was pipelined after it. */
        final byte[] head;
        final HttpRequestHead request = new HttpRequestHead();
        SelectionKey key;
        int length;
        /** Bytes of {@link #head} already searched for the end of the head. */
        int scanned;
        int state;
        /** {@link System#nanoTime()} by which the current state must end. */
        long deadlineNs;
        ByteBuffer pending;
        volatile boolean closeAfter;
        /** Set by a scrape thread that checked this request's credentials ({@link BasicAuth#ALLOWED} or DENIED). */
        volatile int authOutcome;

        Connection(final SocketChannel channel, final Transport transport, final InetAddress client, final int maxHeadBytes)
        {
            this.channel = channel;
            this.transport = transport;
            this.client = client;
            this.head = new byte[maxHeadBytes];
        }
    }

    /**
     * gzip at {@link Deflater#BEST_SPEED}: at 100k series of eleven dimensions (369 MB of text) a
     * scrape took 6.1-7.1 s at the default level 6 and fits well inside a 10 s scrape timeout at
     * level 1 (see BENCHMARKS.md); the exposition's repetitive text compresses well either way.
     */
    private static final class FastGzipOutputStream extends GZIPOutputStream
    {
        FastGzipOutputStream(final OutputStream out, final int size) throws IOException
        {
            super(out, size);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /** What the selector thread tracks per client address. */
    private static final class ClientState
    {
        int connections;
        /** A scrape of this client is queued or running: its others wait in {@link #waiting}. */
        boolean scraping;
        /** Scrapes of this client parked until its current one ends, in arrival order (at most its connections). */
        final ArrayDeque<Scrape> waiting = new ArrayDeque<>(2);
    }

    /**
     * Work for a scrape thread: a scrape, or (with {@link #auth}) a bcrypt check of a request's
     * credentials, after which the selector answers the request. What it needs of the request, copied.
     */
    private final class Scrape implements Runnable
    {
        final Connection connection;
        final boolean gzip;
        final boolean http11;
        final boolean close;
        final BasicAuth auth;
        final String authorization;

        Scrape(final Connection connection, final boolean gzip, final boolean http11, final boolean close)
        {
            this.connection = connection;
            this.gzip = gzip;
            this.http11 = http11;
            this.close = close;
            this.auth = null;
            this.authorization = null;
        }

        Scrape(final Connection connection, final HttpRequestHead head, final BasicAuth auth, final boolean close)
        {
            this.connection = connection;
            this.gzip = false;
            this.http11 = head.http11();
            this.close = close;
            this.auth = auth;
            this.authorization = head.authorization();
        }

        @Override
        public void run()
        {
            serveScrape(this);
        }
    }
}
