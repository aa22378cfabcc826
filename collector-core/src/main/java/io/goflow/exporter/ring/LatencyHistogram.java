package io.goflow.exporter.ring;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Fixed-bucket histogram of durations in ns, for {@code flow_processing_duration_seconds}.
 *
 * <p>Single writer (the aggregation thread): {@link #record} does a linear scan over at most
 * {@link #BOUNDS_SECONDS}{@code .length} bounds, a plain read and an ordered write per field, no
 * lock and no allocation. Any thread reads through {@link LatencyStats}.
 */
public final class LatencyHistogram implements LatencyStats
{
    private final long[] boundsNs = new long[BOUNDS_SECONDS.length];
    /** Non-cumulative counts; the last slot is above every bound (+Inf). */
    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_SECONDS.length + 1);
    private final AtomicLongArray sumNs = new AtomicLongArray(1);

    public LatencyHistogram()
    {
        for (int i = 0; i < BOUNDS_SECONDS.length; i++)
        {
            boundsNs[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
        }
    }

    /** Records one duration; negative durations (clock steps) count as 0. Writer thread only. */
    public void record(final long durationNs)
    {
        final long d = Math.max(0, durationNs);
        int i = 0;
        while (i < boundsNs.length && d > boundsNs[i])
        {
            i++;
        }
        counts.lazySet(i, counts.get(i) + 1);
        sumNs.lazySet(0, sumNs.get(0) + d);
    }

    @Override
    public long bucketCount(final int i)
    {
        return counts.get(i);
    }

    @Override
    public long sumNs()
    {
        return sumNs.get(0);
    }
}
