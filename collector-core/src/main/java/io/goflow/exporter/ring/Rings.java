package io.goflow.exporter.ring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/** Ring sizing and wait strategy from {@code performance} settings. */
public final class Rings
{
    /** Smallest ring: a handful of slots so tests can fill it. */
    public static final int MIN_RING_SIZE = 2;
    /** Largest ring accepted: 2^24 slots (about 32 GiB of 2 KiB buffers; far beyond any box). */
    public static final int MAX_RING_SIZE = 1 << 24;

    private Rings()
    {
    }

    /**
     * The Disruptor requires a power-of-two size: {@code queue_size} is rounded up to the next
     * power of two (10,000 becomes 16,384), at least {@link #MIN_RING_SIZE}.
     */
    public static int ringSize(final int queueSize)
    {
        if (queueSize > MAX_RING_SIZE)
        {
            throw new IllegalArgumentException("performance.queue_size " + queueSize + " > " + MAX_RING_SIZE);
        }
        final int atLeast = Math.max(MIN_RING_SIZE, queueSize);
        final int pow2 = Integer.highestOneBit(atLeast);
        return pow2 == atLeast ? pow2 : pow2 << 1;
    }

    /**
     * @param name {@code blocking} (default: consumers sleep on a lock, least CPU; the aggregation
     *             handler backs off while it waits for the shards, see
     *             {@link BlockingBackoffWaitStrategy}),
     *             {@code yielding} (spin then yield; low latency, burns a core per consumer when
     *             idle) or {@code busy_spin} (dedicated cores only).
     */
    public static WaitStrategy waitStrategy(final String name)
    {
        switch (name == null || name.isEmpty() ? "blocking" : name)
        {
            case "blocking":
                return new BlockingBackoffWaitStrategy();
            case "yielding":
                return new YieldingWaitStrategy();
            case "busy_spin":
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException(
                    "performance.wait_strategy: unknown '" + name + "' (blocking, yielding, busy_spin)");
        }
    }
}
