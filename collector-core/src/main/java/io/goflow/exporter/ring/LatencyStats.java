package io.goflow.exporter.ring;

/**
 * Read side of a {@link LatencyHistogram}: buckets bounded by {@link #BOUNDS_SECONDS}.
 * Any thread; a reader may see a count one event ahead of the sum.
 */
public interface LatencyStats
{
    /** Upper bounds, seconds: 10 µs to 1 s (the client defaults start at 5 ms). */
    double[] BOUNDS_SECONDS = {
        1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 0.05, 0.1, 0.25, 0.5, 1.0
    };

    /** @return the count in bucket {@code i} (not cumulative); {@code i == BOUNDS_SECONDS.length} is +Inf. */
    long bucketCount(int i);

    /** @return the sum of every recorded duration, ns. */
    long sumNs();
}
