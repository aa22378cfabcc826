package io.goflow.exporter.config;

import io.goflow.exporter.decoders.api.DecoderSettings;

/**
 * The one immutable settings object the collector runs from. Built by {@code ConfigLoader} from
 * YAML (every key optional, defaults documented on each section record) and validated once,
 * before any thread starts or socket opens.
 */
public record Settings(
    ServerSettings server,
    PerformanceSettings performance,
    AggregationSettings aggregation,
    EnrichmentSettings enrichment,
    MetricsSettings metrics,
    LoggingSettings logging,
    DecoderSettings decoder)
{
    /** @return the embedded defaults: the spec's example values. */
    public static Settings defaults()
    {
        return new Settings(
            ServerSettings.defaults(),
            PerformanceSettings.defaults(),
            AggregationSettings.defaults(),
            EnrichmentSettings.defaults(),
            MetricsSettings.defaults(),
            LoggingSettings.defaults(),
            DecoderSettings.defaults());
    }
}
