package io.goflow.exporter.ring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * The default ({@code blocking}) wait strategy: consumers sleep on a monitor until the producers'
 * cursor reaches the sequence they need, as the Disruptor's {@code BlockingWaitStrategy} does, but
 * a consumer gated on other consumers (the aggregation handler behind the decode shards) backs off
 * while it waits for them instead of busy-spinning.
 *
 * <p>Why: {@code BlockingWaitStrategy} spins with {@code Thread.onSpinWait()} on the dependent
 * sequences once the cursor has moved. On a two-core box the aggregation thread then burns the
 * core the decode shards need: a JFR profile at 600k records/s showed 58% of the collector's samples
 * in that spin ({@code BlockingWaitStrategy.waitFor} and {@code FixedSequenceGroup.get}).
 *
 * <p>Backoff on dependents: {@link #SPIN_TRIES} spins, then {@link #YIELD_TRIES} yields, then
 * {@code parkNanos(}{@link #PARK_NS}{@code )} per check. The added latency is at most about one
 * park (tens of microseconds on Linux), far below the 2 ms target from receive to aggregated.
 */
public final class BlockingBackoffWaitStrategy implements WaitStrategy
{
    /** Busy spins on the dependent sequences before yielding. */
    public static final int SPIN_TRIES = 100;
    /** {@link Thread#yield()} calls after the spins before parking. */
    public static final int YIELD_TRIES = 50;
    /** Park per check once spinning and yielding gave nothing, ns. */
    public static final long PARK_NS = 20_000;

    private final Object mutex = new Object();

    @Override
    public long waitFor(
        final long sequence, final Sequence cursorSequence, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException, InterruptedException
    {
        if (cursorSequence.get() < sequence)
        {
            synchronized (mutex)
            {
                while (cursorSequence.get() < sequence)
                {
                    barrier.checkAlert();
                    mutex.wait();
                }
            }
        }

        long available;
        int tries = 0;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (tries < SPIN_TRIES)
            {
                Thread.onSpinWait();
            }
            else if (tries < SPIN_TRIES + YIELD_TRIES)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(PARK_NS);
            }
            tries++;
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        synchronized (mutex)
        {
            mutex.notifyAll();
        }
    }
}
