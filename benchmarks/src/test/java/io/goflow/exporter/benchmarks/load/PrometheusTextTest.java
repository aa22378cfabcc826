package io.goflow.exporter.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrometheusTextTest
{
    private static final String BEFORE = String.join("\n",
        "# TYPE flow_processing_duration_seconds histogram",
        "flow_processing_duration_seconds_bucket{le=\"0.001\",} 10.0",
        "flow_processing_duration_seconds_bucket{le=\"0.002\",} 10.0",
        "flow_processing_duration_seconds_bucket{le=\"+Inf\",} 10.0",
        "flow_dropped_packets_total{reason=\"queue_full\",} 5.0",
        "flow_dropped_packets_total{reason=\"malformed\",} 1.0",
        "");
    private static final String AFTER = String.join("\n",
        "flow_processing_duration_seconds_bucket{le=\"0.001\",} 60.0",
        "flow_processing_duration_seconds_bucket{le=\"0.002\",} 110.0",
        "flow_processing_duration_seconds_bucket{le=\"+Inf\",} 110.0",
        "");

    @Test
    void shouldInterpolateInsideBucketLikeHistogramQuantileWhenQuantileFallsInSecondBucket()
    {
        // increase: 50 in (0, 1ms], 50 in (1ms, 2ms]; rank 0.75 * 100 = 75 -> 1ms + 1ms * (75 - 50) / 50
        final double q = PrometheusText.quantile(0.75,
            PrometheusText.parse(BEFORE).buckets("flow_processing_duration_seconds"),
            PrometheusText.parse(AFTER).buckets("flow_processing_duration_seconds"));

        assertEquals(0.0015, q, 1e-12);
    }

    @Test
    void shouldSumOnlyMatchingLabelsWhenFiltering()
    {
        final PrometheusText text = PrometheusText.parse(BEFORE);

        assertEquals(5.0, text.sum("flow_dropped_packets_total", "reason=\"queue_full\""));
        assertEquals(6.0, text.sum("flow_dropped_packets_total"));
    }

    @Test
    void shouldReturnNanWhenNothingWasObserved()
    {
        final double q = PrometheusText.quantile(0.5,
            PrometheusText.parse(BEFORE).buckets("flow_processing_duration_seconds"),
            PrometheusText.parse(BEFORE).buckets("flow_processing_duration_seconds"));

        assertEquals(Double.NaN, q);
    }
}
