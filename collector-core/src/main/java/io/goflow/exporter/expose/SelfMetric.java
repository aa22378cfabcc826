package io.goflow.exporter.expose;

import io.prometheus.client.Collector;

import java.util.List;

/**
 * One declared metric family: {@link PipelineCounter}, {@link EnrichmentMetric} and
 * {@link AggregationMetric} constants, each holding its {@link Spec}.
 */
public interface SelfMetric
{
    /**
     * What a family is.
     *
     * @param name       without namespace/subsystem and without {@code _total}.
     * @param type       counter or gauge.
     * @param labelNames the family's own label names, without {@code metrics.custom_labels}.
     * @param help       the {@code # HELP} text.
     */
    record Spec(String name, Collector.Type type, List<String> labelNames, String help)
    {
    }

    Spec spec();

    /** @return the name without namespace/subsystem and without {@code _total}. */
    default String baseName()
    {
        return spec().name();
    }

    default Collector.Type type()
    {
        return spec().type();
    }

    /** @return the family's own label names, without {@code metrics.custom_labels}. */
    default List<String> labelNames()
    {
        return spec().labelNames();
    }

    default String help()
    {
        return spec().help();
    }

    /** @return the sample name of a family called {@code familyName}: counters end in {@code _total}. */
    default String sampleName(final String familyName)
    {
        return type() == Collector.Type.COUNTER ? familyName + "_total" : familyName;
    }
}
