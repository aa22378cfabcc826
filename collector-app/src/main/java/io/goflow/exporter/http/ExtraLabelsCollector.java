package io.goflow.exporter.http;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Re-exposes every metric of an inner registry with static labels appended, so that collectors we
 * do not own (the hotspot JVM collectors) also carry {@code metrics.custom_labels}.
 */
public final class ExtraLabelsCollector extends Collector
{
    private final CollectorRegistry inner;
    private final List<String> names;
    private final List<String> values;

    public ExtraLabelsCollector(final CollectorRegistry inner, final Map<String, String> labels)
    {
        this.inner = inner;
        this.names = List.copyOf(labels.keySet());
        this.values = names.stream().map(labels::get).toList();
    }

    @Override
    public List<MetricFamilySamples> collect()
    {
        final List<MetricFamilySamples> out = new ArrayList<>();
        for (final MetricFamilySamples family : Collections.list(inner.metricFamilySamples()))
        {
            if (names.isEmpty())
            {
                out.add(family);
                continue;
            }
            final List<MetricFamilySamples.Sample> samples = new ArrayList<>(family.samples.size());
            for (final MetricFamilySamples.Sample s : family.samples)
            {
                final List<String> labelNames = new ArrayList<>(s.labelNames);
                final List<String> labelValues = new ArrayList<>(s.labelValues);
                labelNames.addAll(names);
                labelValues.addAll(values);
                samples.add(new MetricFamilySamples.Sample(
                    s.name, labelNames, labelValues, s.value, s.exemplar, s.timestampMs));
            }
            out.add(new MetricFamilySamples(family.name, family.unit, family.type, family.help, samples));
        }
        return out;
    }
}
