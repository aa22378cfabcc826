package io.goflow.exporter.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyHistogramTest
{
    @Test
    void shouldPutBoundaryValueInItsOwnBucket()
    {
        final LatencyHistogram h = new LatencyHistogram();
        h.record(10_000);
        h.record(10_001);
        assertEquals(1, h.bucketCount(0), "le=1e-05 is inclusive");
        assertEquals(1, h.bucketCount(1));
    }

    @Test
    void shouldCountNegativeDurationAsZero()
    {
        final LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        assertEquals(1, h.bucketCount(0));
        assertEquals(0, h.sumNs());
    }

    @Test
    void shouldSpanTenMicrosecondsToOneSecond()
    {
        assertEquals(1e-5, LatencyHistogram.BOUNDS_SECONDS[0]);
        assertEquals(1.0, LatencyHistogram.BOUNDS_SECONDS[LatencyHistogram.BOUNDS_SECONDS.length - 1]);
    }
}
