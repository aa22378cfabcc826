package io.goflow.exporter.config;

import java.util.List;

import static io.goflow.exporter.config.Durations.DAY_NS;
import static io.goflow.exporter.config.Durations.SECOND_NS;

/** Binds {@code enrichment} to {@link EnrichmentSettings}. */
final class EnrichmentBinder extends SectionBinder<EnrichmentSettings>
{
    static final int CACHE_SIZE_MAX = 10_000_000;
    static final int MAX_CITY_SERIES_MAX = 1_000_000;
    static final long MAX_AGE_MAX_NS = 3650 * DAY_NS;
    /** Longest interval between checks of a file for replacement (databases, networks file). */
    static final long RELOAD_INTERVAL_MAX_NS = DAY_NS;
    static final List<String> ASN_SOURCES = List.of("database", "flow", "database_then_flow");

    EnrichmentBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    EnrichmentSettings bind(final YamlFields.Section s)
    {
        final EnrichmentSettings d = EnrichmentSettings.defaults();
        return new EnrichmentSettings(
            y.bool(s, "geoip_enabled", d.geoipEnabled()),
            y.string(s, "geoip_path", d.geoipPath()),
            y.bool(s, "asn_enabled", d.asnEnabled()),
            y.string(s, "asn_path", d.asnPath()),
            (int)y.integer(s, "cache_size", d.cacheSize(), 0, CACHE_SIZE_MAX),
            y.choice(s, "asn_source", "ASN source", ASN_SOURCES, d.asnSource()),
            y.durationNs(s, "max_age", d.maxAgeNs(), SECOND_NS, MAX_AGE_MAX_NS),
            y.bool(s, "required", d.required()),
            y.durationNs(s, "reload_interval", d.reloadIntervalNs(), SECOND_NS, RELOAD_INTERVAL_MAX_NS),
            (int)y.integer(s, "max_city_series", d.maxCitySeries(), 0, MAX_CITY_SERIES_MAX));
    }
}
