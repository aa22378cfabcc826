package io.goflow.exporter.enrich;

import io.goflow.exporter.config.MetricsSettings;
import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exposes the enrichment state at scrape time. Every series carries {@code metrics.custom_labels}
 * first; names go through {@link MetricsSettings#metricName} (shown here with the default
 * {@code flow} namespace).
 *
 * <p>The per-database series exist for enabled databases only ({@code geoip_enabled},
 * {@code asn_enabled}).
 *
 * <table>
 *   <caption>Series</caption>
 *   <tr><td>{@code flow_enrichment_database_loaded{database}}</td><td>1 when a database is in use</td></tr>
 *   <tr><td>{@code flow_enrichment_database_build_timestamp_seconds{database}}</td><td>metadata build epoch</td></tr>
 *   <tr><td>{@code flow_enrichment_reloads_total{database}}</td><td>databases opened after start</td></tr>
 *   <tr><td>{@code flow_enrichment_reload_errors_total{database}}</td><td>replacement files refused</td></tr>
 *   <tr><td>{@code flow_enrichment_cache_{hits,misses,evictions}_total}</td><td>summed over shards</td></tr>
 *   <tr><td>{@code flow_enrichment_lookup_errors_total}</td><td>failed database lookups</td></tr>
 *   <tr><td>{@code flow_asn_info{asn,org} 1}</td><td>organisation of each AS seen, to join with
 *       {@code group_left}; capped at {@code cache_size} ASNs</td></tr>
 *   <tr><td>{@code flow_enrichment_asn_info_refused_total}</td><td>ASNs not added, cap reached</td></tr>
 *   <tr><td>{@code flow_city_{flows,bytes,packets}_total{side,country,city,city_id,latitude,longitude}}</td>
 *       <td>scaled traffic per city for the Geomap panel, at most {@code max_city_series} cities</td></tr>
 *   <tr><td>{@code flow_enrichment_city_overflow_flows_total}</td><td>flow ends whose city had no series</td></tr>
 * </table>
 *
 * <p>Organisation join, e.g. top destination ASNs with their names:
 * {@code topk(10, sum by (dst_asn) (rate(flow_bytes_total[5m])) * on (dst_asn) group_left (org)
 * label_replace(flow_asn_info, "dst_asn", "$1", "asn", "(.*)"))}.
 * Geomap (bits/s by destination city):
 * {@code sum by (city, latitude, longitude) (rate(flow_city_bytes_total{side="dst"}[5m])) * 8}.
 */
final class EnrichmentCollector extends Collector
{
    private static final String[] SIDES = {"src", "dst"};

    private final EnrichmentService service;
    private final List<String> customNames;
    private final List<String> customValues;
    private final String loadedName;
    private final String buildName;
    private final String reloadsName;
    private final String reloadErrorsName;
    private final String hitsName;
    private final String missesName;
    private final String evictionsName;
    private final String lookupErrorsName;
    private final String asnInfoName;
    private final String asnRefusedName;
    private final String cityFlowsName;
    private final String cityBytesName;
    private final String cityPacketsName;
    private final String cityOverflowName;

    EnrichmentCollector(final EnrichmentService service, final MetricsSettings metrics)
    {
        this.service = service;
        this.customNames = new ArrayList<>(metrics.customLabels().keySet());
        this.customValues = new ArrayList<>();
        for (final String name : customNames)
        {
            customValues.add(metrics.customLabels().get(name));
        }
        loadedName = metrics.metricName("enrichment_database_loaded");
        buildName = metrics.metricName("enrichment_database_build_timestamp_seconds");
        reloadsName = metrics.metricName("enrichment_reloads");
        reloadErrorsName = metrics.metricName("enrichment_reload_errors");
        hitsName = metrics.metricName("enrichment_cache_hits");
        missesName = metrics.metricName("enrichment_cache_misses");
        evictionsName = metrics.metricName("enrichment_cache_evictions");
        lookupErrorsName = metrics.metricName("enrichment_lookup_errors");
        asnInfoName = metrics.metricName("asn_info");
        asnRefusedName = metrics.metricName("enrichment_asn_info_refused");
        cityFlowsName = metrics.metricName("city_flows");
        cityBytesName = metrics.metricName("city_bytes");
        cityPacketsName = metrics.metricName("city_packets");
        cityOverflowName = metrics.metricName("enrichment_city_overflow_flows");
    }

    @Override
    public List<MetricFamilySamples> collect()
    {
        final List<MetricFamilySamples> out = new ArrayList<>();

        final Family loaded = new Family(loadedName, Type.GAUGE, "1 when the database is loaded and in use, else 0.");
        final Family build = new Family(buildName, Type.GAUGE, "Build time of the loaded database (metadata), epoch seconds.");
        final Family reloads = new Family(reloadsName, Type.COUNTER, "Databases opened after start (replacements, late arrivals).");
        final Family errors = new Family(reloadErrorsName, Type.COUNTER, "Replacement database files that could not be opened.");
        for (final DatabaseSlot slot : service.enabledDatabases())
        {
            final String db = slot.kind().label();
            loaded.add(slot.loaded() ? 1 : 0, "database", db);
            if (slot.loaded())
            {
                build.add(slot.buildEpochSeconds(), "database", db);
            }
            reloads.add(slot.reloads(), "database", db);
            errors.add(slot.reloadErrors(), "database", db);
        }
        out.add(loaded.samples());
        out.add(build.samples());
        out.add(reloads.samples());
        out.add(errors.samples());

        long hits = 0;
        long misses = 0;
        long evictions = 0;
        long lookupErrors = 0;
        long cityOverflow = 0;
        final Map<Long, long[]> cityTotals = new HashMap<>();
        for (final ShardEnricher shard : service.shards())
        {
            hits += shard.cache().hits();
            misses += shard.cache().misses();
            evictions += shard.cache().evictions();
            lookupErrors += shard.lookupErrors();
            cityOverflow += shard.cityOverflowFlows();
            shard.cities().forEach((id, sf, sb, sp, df, db, dp) ->
            {
                final long[] t = cityTotals.computeIfAbsent(id, k -> new long[6]);
                t[0] += sf;
                t[1] += sb;
                t[2] += sp;
                t[3] += df;
                t[4] += db;
                t[5] += dp;
            });
        }
        out.add(single(hitsName, "Enrichment cache hits, all shards.", hits));
        out.add(single(missesName, "Enrichment cache misses (database lookups), all shards.", misses));
        out.add(single(evictionsName, "Enrichment cache entries evicted to make room, all shards.", evictions));
        out.add(single(lookupErrorsName, "Database lookups that failed; the address got no labels.", lookupErrors));

        final Family asnInfo = new Family(asnInfoName, Type.GAUGE,
            "Organisation of each AS number seen (value 1); join on asn with group_left.");
        service.asnRegistry().forEach((asn, org) -> asnInfo.add(1, "asn", Long.toString(asn), "org", org));
        out.add(asnInfo.samples());
        out.add(single(asnRefusedName, "AS organisations not exported because flow_asn_info is full.",
            service.asnRegistry().refused()));

        final Family cityFlows = new Family(cityFlowsName, Type.COUNTER, "Flows by city of one end, for Geomap.");
        final Family cityBytes = new Family(cityBytesName, Type.COUNTER,
            "Bytes (scaled by sampling) by city of one end, for Geomap.");
        final Family cityPackets = new Family(cityPacketsName, Type.COUNTER,
            "Packets (scaled by sampling) by city of one end, for Geomap.");
        cityTotals.forEach((id, t) ->
        {
            final CityInfo info = service.cityRegistry().get(id);
            if (info == null)
            {
                return;
            }
            for (int side = 0; side < 2; side++)
            {
                if (t[side * 3] == 0)
                {
                    continue;
                }
                final String[] labels = {
                    "side", SIDES[side], "country", info.country(), "city", info.name(),
                    "city_id", Long.toString(id),
                    "latitude", Double.toString(info.latitude()), "longitude", Double.toString(info.longitude())};
                cityFlows.add(t[side * 3], labels);
                cityBytes.add(t[side * 3 + 1], labels);
                cityPackets.add(t[side * 3 + 2], labels);
            }
        });
        out.add(cityFlows.samples());
        out.add(cityBytes.samples());
        out.add(cityPackets.samples());
        out.add(single(cityOverflowName, "Flow ends whose city got no Geomap series (max_city_series reached).",
            cityOverflow));
        return out;
    }

    private MetricFamilySamples single(final String name, final String help, final long value)
    {
        final Family f = new Family(name, Type.COUNTER, help);
        f.add(value);
        return f.samples();
    }

    /** One metric family being built; counters get the {@code _total} sample suffix. */
    private final class Family
    {
        private final String name;
        private final Type type;
        private final String help;
        private final List<MetricFamilySamples.Sample> samples = new ArrayList<>();

        Family(final String name, final Type type, final String help)
        {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        void add(final double value, final String... namesAndValues)
        {
            final List<String> names = new ArrayList<>(customNames);
            final List<String> values = new ArrayList<>(customValues);
            for (int i = 0; i < namesAndValues.length; i += 2)
            {
                names.add(namesAndValues[i]);
                values.add(namesAndValues[i + 1]);
            }
            final String sampleName = type == Type.COUNTER ? name + "_total" : name;
            samples.add(new MetricFamilySamples.Sample(sampleName, names, values, value));
        }

        MetricFamilySamples samples()
        {
            return new MetricFamilySamples(name, type, help, samples);
        }
    }
}
