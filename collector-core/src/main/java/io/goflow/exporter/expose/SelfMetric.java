package io.goflow.exporter.expose;

import io.prometheus.client.Collector;

import java.util.List;

/** One declared metric family: {@link PipelineCounter} and {@link EnrichmentMetric} constants. */
interface SelfMetric
{
    /** @return the name without namespace/subsystem and without {@code _total}. */
    String baseName();

    Collector.Type type();

    /** @return the family's own label names, without {@code metrics.custom_labels}. */
    List<String> labelNames();

    String help();
}
