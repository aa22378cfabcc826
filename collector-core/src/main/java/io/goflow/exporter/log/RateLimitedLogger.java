package io.goflow.exporter.log;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs one message per key at most once per interval and reports how many were suppressed in
 * between ("... (suppressed 1234 similar in the last 10 s)"). For errors that can repeat per
 * packet: count them in a metric first, then call {@link #log} which is cheap when suppressed
 * (one volatile read and one atomic increment, no formatting, no allocation).
 *
 * <p>Thread-safe: any thread may call {@link #log}.
 */
public final class RateLimitedLogger
{
    /** Default interval between two logged occurrences, ns. */
    public static final long DEFAULT_INTERVAL_NS = 10_000_000_000L;

    private final Logger logger;
    private final Level level;
    private final long intervalNs;
    private final AtomicLong nextLogNs = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLogger(final Logger logger, final Level level, final long intervalNs)
    {
        this.logger = logger;
        this.level = level;
        this.intervalNs = intervalNs;
    }

    public RateLimitedLogger(final Logger logger, final Level level)
    {
        this(logger, level, DEFAULT_INTERVAL_NS);
    }

    /**
     * Logs {@code message} (a Log4j2 parameterised message) unless one was logged less than the
     * interval ago, in which case the occurrence is only counted.
     *
     * @return true when the message was logged.
     */
    public boolean log(final long nowNs, final String message, final Object p0, final Object p1)
    {
        final long next = nextLogNs.get();
        if (next != Long.MIN_VALUE && nowNs - next < 0)
        {
            suppressed.incrementAndGet();
            return false;
        }
        if (!nextLogNs.compareAndSet(next, nowNs + intervalNs))
        {
            suppressed.incrementAndGet();
            return false;
        }
        final long count = suppressed.getAndSet(0);
        if (count > 0)
        {
            logger.log(level, message + " (suppressed {} similar in the previous interval)", p0, p1, count);
        }
        else
        {
            logger.log(level, message, p0, p1);
        }
        return true;
    }

    /** @see #log(long, String, Object, Object) */
    public boolean log(final long nowNs, final String message, final Object p0)
    {
        return log(nowNs, message, p0, null);
    }

    /** @return occurrences suppressed since the last logged one. */
    public long suppressedCount()
    {
        return suppressed.get();
    }
}
