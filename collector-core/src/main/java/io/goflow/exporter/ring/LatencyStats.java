package io.goflow.exporter.ring;

/**
 * Read side of a {@link LatencyHistogram}: buckets bounded by {@link LatencyHistogram#BOUNDS_SECONDS}.
 * Any thread; a reader may see a count one event ahead of the sum.
 */
public interface LatencyStats
{
    /** @return the count in bucket {@code i} (not cumulative); {@code i == BOUNDS_SECONDS.length} is +Inf. */
    long bucketCount(int i);

    /** @return the sum of every recorded duration, ns. */
    long sumNs();
}
