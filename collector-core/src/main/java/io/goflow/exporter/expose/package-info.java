/**
 * The Prometheus exposition: the streaming {@link io.goflow.exporter.expose.FlowSeriesTextWriter}
 * is the one rendering of the views' flow series, {@link io.goflow.exporter.expose.AggregationStateCollector}
 * the aggregation's tables and interfaces ({@link io.goflow.exporter.expose.AggregationMetric}), {@link io.goflow.exporter.expose.PipelineMetricsCollector} every stage's counters
 * ({@link io.goflow.exporter.expose.PipelineCounter} declares them),
 * {@link io.goflow.exporter.expose.EnrichmentCollector} the enrichment state
 * ({@link io.goflow.exporter.expose.EnrichmentMetric}), and
 * {@link io.goflow.exporter.expose.ScrapeExposition} writes one scrape in one text style
 * ({@link io.goflow.exporter.expose.ExpositionText}).
 *
 * <p>Threads: scrape threads only. Everything here reads what the stages publish (tables under
 * their sequence locks, atomic counters) through each stage's read-only view
 * ({@code ListenerStats}, {@code ShardStats}, {@code AggregationStats}, {@code RingStats},
 * {@code EnrichmentStats}, {@code AggregationReader}), never a handler, and writes nothing back, so
 * it imports from the stages and no stage imports from it.
 */
package io.goflow.exporter.expose;
