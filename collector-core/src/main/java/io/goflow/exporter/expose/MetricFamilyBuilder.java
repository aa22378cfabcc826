package io.goflow.exporter.expose;

import io.goflow.exporter.config.MetricsSettings;
import io.prometheus.client.Collector.MetricFamilySamples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Samples of one counter or gauge family of a {@link SelfMetric}, being built on a scrape thread.
 * The name gets {@code metrics.namespace} and {@code metrics.subsystem}, counter samples the
 * {@code _total} suffix, and every sample the custom labels, before or after the family's own.
 */
final class MetricFamilyBuilder
{
    private final SelfMetric metric;
    private final String name;
    private final String sampleName;
    private final List<String> labelNames;
    private final List<String> customValues;
    private final boolean customFirst;
    private final List<MetricFamilySamples.Sample> samples = new ArrayList<>();

    /**
     * @param customNames  names of {@code metrics.custom_labels}, in export order.
     * @param customValues their values, same order.
     * @param customFirst  custom labels before the family's own labels (else after).
     */
    MetricFamilyBuilder(
        final SelfMetric metric,
        final MetricsSettings metrics,
        final List<String> customNames,
        final List<String> customValues,
        final boolean customFirst)
    {
        this.metric = metric;
        this.name = metrics.metricName(metric.baseName());
        this.sampleName = metric.sampleName(name);
        this.customValues = customValues;
        this.customFirst = customFirst;
        final List<String> names = new ArrayList<>(customNames.size() + metric.labelNames().size());
        names.addAll(customFirst ? customNames : metric.labelNames());
        names.addAll(customFirst ? metric.labelNames() : customNames);
        this.labelNames = List.copyOf(names);
    }

    /** @param labelValues one value per {@link SelfMetric#labelNames()}, in order. */
    void add(final double value, final String... labelValues)
    {
        final List<String> values = new ArrayList<>(labelValues.length + customValues.size());
        if (customFirst)
        {
            values.addAll(customValues);
        }
        Collections.addAll(values, labelValues);
        if (!customFirst)
        {
            values.addAll(customValues);
        }
        samples.add(new MetricFamilySamples.Sample(sampleName, labelNames, values, value));
    }

    MetricFamilySamples samples()
    {
        return new MetricFamilySamples(name, metric.type(), metric.help(), samples);
    }
}
