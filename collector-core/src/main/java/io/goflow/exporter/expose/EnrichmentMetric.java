package io.goflow.exporter.expose;

import io.prometheus.client.Collector;

import java.util.List;

/**
 * Every enrichment metric, declared once: name (before namespace/subsystem), type, label names
 * (after {@code metrics.custom_labels}, which come first on these series) and help.
 * {@link EnrichmentCollector} reads the values from {@code enrich.EnrichmentStats} at scrape time.
 *
 * <p>The per-database series exist for enabled databases only ({@code geoip_enabled},
 * {@code asn_enabled}). {@link #ASN_INFO} holds at most {@code cache_size} ASNs, the city series
 * at most {@code max_city_series} cities.
 *
 * <p>Organisation join, e.g. top destination ASNs with their names:
 * {@code topk(10, sum by (dst_asn) (rate(flow_bytes_total[5m])) * on (dst_asn) group_left (org)
 * label_replace(flow_asn_info, "dst_asn", "$1", "asn", "(.*)"))}.
 * Geomap (bits/s by destination city):
 * {@code sum by (city, latitude, longitude) (rate(flow_city_bytes_total{side="dst"}[5m])) * 8}.
 */
public enum EnrichmentMetric implements SelfMetric
{
    DATABASE_LOADED("enrichment_database_loaded", Collector.Type.GAUGE, List.of("database"),
        "1 when the database is loaded and in use, else 0."),
    DATABASE_BUILD_TIMESTAMP("enrichment_database_build_timestamp_seconds", Collector.Type.GAUGE,
        List.of("database"), "Build time of the loaded database (metadata), epoch seconds."),
    RELOADS("enrichment_reloads", Collector.Type.COUNTER, List.of("database"),
        "Databases opened after start (replacements, late arrivals)."),
    RELOAD_ERRORS("enrichment_reload_errors", Collector.Type.COUNTER, List.of("database"),
        "Replacement database files that could not be opened."),
    CACHE_HITS("enrichment_cache_hits", Collector.Type.COUNTER, List.of(),
        "Enrichment cache hits, all shards."),
    CACHE_MISSES("enrichment_cache_misses", Collector.Type.COUNTER, List.of(),
        "Enrichment cache misses (database lookups), all shards."),
    CACHE_EVICTIONS("enrichment_cache_evictions", Collector.Type.COUNTER, List.of(),
        "Enrichment cache entries evicted to make room, all shards."),
    LOOKUP_ERRORS("enrichment_lookup_errors", Collector.Type.COUNTER, List.of(),
        "Database lookups that failed; the address got no labels."),
    ASN_INFO("asn_info", Collector.Type.GAUGE, List.of("asn", "org"),
        "Organisation of each AS number seen (value 1); join on asn with group_left."),
    ASN_INFO_REFUSED("enrichment_asn_info_refused", Collector.Type.COUNTER, List.of(),
        "AS organisations not exported because flow_asn_info is full."),
    CITY_FLOWS("city_flows", Collector.Type.COUNTER,
        List.of("side", "country", "city", "city_id", "latitude", "longitude"),
        "Flows by city of one end, for Geomap."),
    CITY_BYTES("city_bytes", Collector.Type.COUNTER,
        List.of("side", "country", "city", "city_id", "latitude", "longitude"),
        "Bytes (scaled by sampling) by city of one end, for Geomap."),
    CITY_PACKETS("city_packets", Collector.Type.COUNTER,
        List.of("side", "country", "city", "city_id", "latitude", "longitude"),
        "Packets (scaled by sampling) by city of one end, for Geomap."),
    CITY_OVERFLOW_FLOWS("enrichment_city_overflow_flows", Collector.Type.COUNTER, List.of(),
        "Flow ends whose city got no Geomap series (max_city_series reached).");

    private final Spec spec;

    EnrichmentMetric(final String name, final Collector.Type type, final List<String> labelNames, final String help)
    {
        this.spec = new Spec(name, type, labelNames, help);
    }

    @Override
    public Spec spec()
    {
        return spec;
    }
}
