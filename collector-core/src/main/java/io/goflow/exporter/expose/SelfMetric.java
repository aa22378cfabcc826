package io.goflow.exporter.expose;

import io.prometheus.client.Collector;

import java.util.List;

/**
 * One declared metric family: {@link PipelineCounter}, {@link EnrichmentMetric} and
 * {@link AggregationMetric} constants.
 */
interface SelfMetric
{
    /** @return the name without namespace/subsystem and without {@code _total}. */
    String baseName();

    Collector.Type type();

    /** @return the family's own label names, without {@code metrics.custom_labels}. */
    List<String> labelNames();

    String help();

    /** @return the sample name of a family called {@code familyName}: counters end in {@code _total}. */
    default String sampleName(final String familyName)
    {
        return type() == Collector.Type.COUNTER ? familyName + "_total" : familyName;
    }
}
