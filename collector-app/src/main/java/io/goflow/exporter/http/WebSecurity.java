package io.goflow.exporter.http;

import io.goflow.exporter.expose.HttpCounters;
import io.goflow.exporter.log.RateLimitedLogger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The web config in force ({@link WebConfig}: TLS, basic auth, headers) and its hot reload. Like
 * the exporter toolkit, which re-reads the file per connection, a changed file is picked up
 * without a restart: {@link #refresh} (selector thread, every sweep) looks at most every
 * {@link #CHECK_INTERVAL_NS} at the modification time and size of the file and of the
 * certificate, key and CA files it names, and rebuilds everything when one changed. A reload that
 * fails (unreadable file, bad key, a change between plain HTTP and TLS, which needs a restart)
 * keeps the previous configuration, is counted and logged (rate-limited).
 *
 * <p>{@link #current()} is read by the selector and scrape threads; {@link #refresh} runs on the
 * selector thread only.
 */
public final class WebSecurity
{
    private static final RateLimitedLogger RELOAD_ERRORS =
        new RateLimitedLogger(LogManager.getLogger(WebSecurity.class), Level.ERROR);
    static final long CHECK_INTERVAL_NS = 1_000_000_000L;

    /** What applies to a connection: taken once at accept (TLS) and once per request (auth, headers). */
    record Snapshot(ServerTls tls, BasicAuth auth, List<String> headers)
    {
    }

    private final Path file;
    private final HttpCounters counters;
    private final boolean tls;
    private volatile Snapshot current;
    private List<String> stamps;
    private long lastCheckNs;

    private WebSecurity(final Path file, final HttpCounters counters, final Snapshot current, final List<String> stamps)
    {
        this.file = file;
        this.counters = counters;
        this.current = current;
        this.tls = current.tls() != null;
        this.stamps = stamps;
        this.lastCheckNs = System.nanoTime();
    }

    /** Plain HTTP, no authentication, nothing to reload. */
    public static WebSecurity none(final HttpCounters counters)
    {
        return new WebSecurity(null, counters, new Snapshot(null, new BasicAuth(Map.of()), List.of()), List.of());
    }

    /**
     * @param file the web config file; null or "" for {@link #none}.
     * @throws IOException naming the file (or the file it names) and what is wrong.
     */
    public static WebSecurity load(final String file, final HttpCounters counters) throws IOException
    {
        if (file == null || file.isEmpty())
        {
            return none(counters);
        }
        final Path path = Path.of(file);
        final List<String> stamps = stamps(path);
        return new WebSecurity(path, counters, snapshot(path), stamps);
    }

    /** Reads and checks a web config file and every file it names; for {@code --check-config}. */
    public static void check(final String file) throws IOException
    {
        if (file != null && !file.isEmpty())
        {
            snapshot(Path.of(file));
        }
    }

    /** @return whether connections speak TLS (fixed at start). */
    boolean tls()
    {
        return tls;
    }

    Snapshot current()
    {
        return current;
    }

    /** @return what is in force, for the start-up log: "TLS with client certificates, basic auth for 2 users". */
    public String describe()
    {
        final Snapshot s = current;
        final String transport = s.tls() == null ? "plain HTTP" : "TLS" + s.tls().clientPolicy();
        return transport + (s.auth().enabled() ? ", basic auth for " + s.auth().users() + " user(s)" : ", no authentication");
    }

    /** Reloads when a file changed, at most every {@link #CHECK_INTERVAL_NS}. Selector thread only. */
    void refresh(final long nowNs)
    {
        if (file == null || nowNs - lastCheckNs < CHECK_INTERVAL_NS)
        {
            return;
        }
        lastCheckNs = nowNs;
        final List<String> now = stamps(file);
        if (now.equals(stamps))
        {
            return;
        }
        stamps = now;
        try
        {
            final Snapshot next = snapshot(file);
            if ((next.tls() != null) != tls)
            {
                throw new IOException("web config " + file + ": switching between HTTP and HTTPS " +
                    "(tls_server_config added or removed) needs a restart");
            }
            current = next;
            counters.increment(HttpCounters.WEB_CONFIG_RELOADED);
            counters.set(HttpCounters.WEB_CONFIG_LAST_RELOAD_OK, 1);
            LogManager.getLogger(WebSecurity.class).info("web config {} reloaded", file);
        }
        catch (final IOException | RuntimeException ex)
        {
            counters.increment(HttpCounters.WEB_CONFIG_RELOAD_FAILED);
            counters.set(HttpCounters.WEB_CONFIG_LAST_RELOAD_OK, 0);
            RELOAD_ERRORS.log(nowNs, "web config reload failed, the previous one stays in force: {}", ex.getMessage());
        }
    }

    private static Snapshot snapshot(final Path file) throws IOException
    {
        final WebConfig config = WebConfig.load(file);
        final List<String> headers = new ArrayList<>();
        config.headers().forEach((name, value) -> headers.add(name + ": " + value));
        return new Snapshot(config.tls() == null ? null : ServerTls.load(config.tls()), new BasicAuth(config.users()),
            List.copyOf(headers));
    }

    /** Modification time and size of the file and of the files it names now ("-" for one missing). */
    private static List<String> stamps(final Path file)
    {
        final List<Path> files = new ArrayList<>(List.of(file));
        try
        {
            final WebConfig config = WebConfig.load(file);
            if (config.tls() != null)
            {
                files.addAll(config.tls().files());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // the file itself is stamped; the reload reports what is wrong with it
        }
        final List<String> out = new ArrayList<>();
        for (final Path p : files)
        {
            try
            {
                out.add(p + " " + Files.getLastModifiedTime(p).toMillis() + " " + Files.size(p));
            }
            catch (final IOException ex)
            {
                out.add(p + " -");
            }
        }
        return out;
    }
}
