package io.goflow.exporter.ring;

import com.lmax.disruptor.ExceptionHandler;
import io.goflow.exporter.log.RateLimitedLogger;
import org.agrona.concurrent.EpochNanoClock;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ring's one path for the unexpected: counts the exception, logs it rate-limited and returns,
 * so the handler goes on with the next event (the Disruptor's default handler would halt it).
 * Thread-safe: every handler thread reports here.
 */
public final class CountingExceptionHandler implements ExceptionHandler<DatagramEvent>
{
    private final AtomicLong exceptions = new AtomicLong();
    private final RateLimitedLogger log =
        new RateLimitedLogger(LogManager.getLogger(CountingExceptionHandler.class), Level.ERROR);
    private final EpochNanoClock clock;

    public CountingExceptionHandler(final EpochNanoClock clock)
    {
        this.clock = clock;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final DatagramEvent event)
    {
        exceptions.incrementAndGet();
        log.log(clock.nanoTime(), "Unexpected exception in ring handler at sequence {}, event skipped", sequence, ex);
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        exceptions.incrementAndGet();
        log.log(clock.nanoTime(), "Unexpected exception starting a ring handler", ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        exceptions.incrementAndGet();
        log.log(clock.nanoTime(), "Unexpected exception stopping a ring handler", ex);
    }

    /** @return exceptions seen since start. */
    public long exceptions()
    {
        return exceptions.get();
    }
}
