package io.goflow.exporter.expose;

import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.enrich.DatabaseStats;
import io.goflow.exporter.enrich.EnrichmentStats;
import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Exposes the enrichment state ({@link EnrichmentMetric}) at scrape time, read from the enrich
 * stage's {@link EnrichmentStats}. Every series carries {@code metrics.custom_labels} first; names
 * go through {@link MetricsSettings#metricName}.
 *
 * <p>Thread-safe: holds only immutable settings; {@link #collect()} reads the view and allocates
 * on the calling scrape thread.
 */
public final class EnrichmentCollector extends Collector
{
    private static final String[] SIDES = {"src", "dst"};

    private final EnrichmentStats stats;
    private final MetricsSettings metrics;
    private final List<String> customNames;
    private final List<String> customValues;

    public EnrichmentCollector(final EnrichmentStats stats, final MetricsSettings metrics)
    {
        this.stats = stats;
        this.metrics = metrics;
        this.customNames = new ArrayList<>(metrics.customLabels().keySet());
        this.customValues = new ArrayList<>();
        for (final String name : customNames)
        {
            customValues.add(metrics.customLabels().get(name));
        }
    }

    @Override
    public List<MetricFamilySamples> collect()
    {
        final List<MetricFamilySamples> out = new ArrayList<>();

        final MetricFamilyBuilder loaded = family(EnrichmentMetric.DATABASE_LOADED);
        final MetricFamilyBuilder build = family(EnrichmentMetric.DATABASE_BUILD_TIMESTAMP);
        final MetricFamilyBuilder reloads = family(EnrichmentMetric.RELOADS);
        final MetricFamilyBuilder errors = family(EnrichmentMetric.RELOAD_ERRORS);
        for (final DatabaseStats db : stats.databases())
        {
            final String label = db.kind().label();
            loaded.add(db.loaded() ? 1 : 0, label);
            if (db.loaded())
            {
                build.add(db.buildEpochSeconds(), label);
            }
            reloads.add(db.reloads(), label);
            errors.add(db.reloadErrors(), label);
        }
        out.add(loaded.samples());
        out.add(build.samples());
        out.add(reloads.samples());
        out.add(errors.samples());

        out.add(single(EnrichmentMetric.CACHE_HITS, stats.cacheHits()));
        out.add(single(EnrichmentMetric.CACHE_MISSES, stats.cacheMisses()));
        out.add(single(EnrichmentMetric.CACHE_EVICTIONS, stats.cacheEvictions()));
        out.add(single(EnrichmentMetric.LOOKUP_ERRORS, stats.lookupErrors()));

        final MetricFamilyBuilder asnInfo = family(EnrichmentMetric.ASN_INFO);
        stats.forEachAsn((asn, org) -> asnInfo.add(1, Long.toString(asn), org));
        out.add(asnInfo.samples());
        out.add(single(EnrichmentMetric.ASN_INFO_REFUSED, stats.asnInfoRefused()));

        final MetricFamilyBuilder cityFlows = family(EnrichmentMetric.CITY_FLOWS);
        final MetricFamilyBuilder cityBytes = family(EnrichmentMetric.CITY_BYTES);
        final MetricFamilyBuilder cityPackets = family(EnrichmentMetric.CITY_PACKETS);
        stats.forEachCity((id, country, name, latitude, longitude, side, flows, bytes, packets) ->
        {
            if (flows == 0)
            {
                return;
            }
            final String[] labels = {
                SIDES[side], country, name, Long.toString(id), Double.toString(latitude), Double.toString(longitude)};
            cityFlows.add(flows, labels);
            cityBytes.add(bytes, labels);
            cityPackets.add(packets, labels);
        });
        out.add(cityFlows.samples());
        out.add(cityBytes.samples());
        out.add(cityPackets.samples());
        out.add(single(EnrichmentMetric.CITY_OVERFLOW_FLOWS, stats.cityOverflowFlows()));
        return out;
    }

    private MetricFamilyBuilder family(final EnrichmentMetric metric)
    {
        return new MetricFamilyBuilder(metric, metrics, customNames, customValues, true);
    }

    private MetricFamilySamples single(final EnrichmentMetric metric, final long value)
    {
        final MetricFamilyBuilder f = family(metric);
        f.add(value);
        return f.samples();
    }
}
