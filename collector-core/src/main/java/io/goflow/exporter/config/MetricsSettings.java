package io.goflow.exporter.config;

import java.util.List;
import java.util.Map;

/**
 * {@code metrics}.
 *
 * @param namespace     prefix of every metric name. Default {@code flow}.
 * @param subsystem     second prefix, omitted when empty. Default empty.
 * @param enabledLabels label groups kept on flow metrics. Default all four.
 * @param customLabels  static labels put on every series. Default none.
 * @param jvmMetrics    {@code jvm_metrics}: export the hotspot JVM collectors. Default true.
 * @param windowRates   {@code window_rates}: export the per-window rate gauges
 *                      ({@code window_{bytes,packets,flows}_per_second}, 3 samples per window per
 *                      series). Default true.
 */
public record MetricsSettings(
    String namespace,
    String subsystem,
    List<LabelGroup> enabledLabels,
    Map<String, String> customLabels,
    boolean jvmMetrics,
    boolean windowRates)
{
    public static final String NAMESPACE_DEFAULT = "flow";

    /** With the per-window rate gauges exported. */
    public MetricsSettings(
        final String namespace,
        final String subsystem,
        final List<LabelGroup> enabledLabels,
        final Map<String, String> customLabels,
        final boolean jvmMetrics)
    {
        this(namespace, subsystem, enabledLabels, customLabels, jvmMetrics, true);
    }

    public static MetricsSettings defaults()
    {
        return new MetricsSettings(
            NAMESPACE_DEFAULT, "", List.of(LabelGroup.values()), Map.of(), true, true);
    }

    /** @return {@code namespace_subsystem_name}, skipping empty parts. */
    public String metricName(final String name)
    {
        final StringBuilder sb = new StringBuilder();
        if (!namespace.isEmpty())
        {
            sb.append(namespace).append('_');
        }
        if (!subsystem.isEmpty())
        {
            sb.append(subsystem).append('_');
        }
        return sb.append(name).toString();
    }
}
