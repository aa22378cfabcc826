package io.goflow.exporter.config;

import java.util.List;

/**
 * One entry of {@code aggregation.views}: an extra view exported under its own metric names
 * ({@code <namespace>_<subsystem>_<name>_bytes_total}, ...), so summing a metric never counts a
 * record twice.
 *
 * @param name       metric-name-safe view name ({@code [a-z][a-z0-9_]*}).
 * @param dimensions grouping dimensions.
 * @param maxSeries  table capacity; default the main view's.
 * @param topK       scrape-time top-K; 0 = all.
 */
public record ViewSettings(String name, List<Dimension> dimensions, int maxSeries, int topK)
{
}
