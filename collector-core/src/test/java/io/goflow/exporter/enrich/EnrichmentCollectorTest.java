package io.goflow.exporter.enrich;

import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.expose.EnrichmentCollector;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.goflow.exporter.enrich.GeoTestData.Source.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrichmentCollectorTest
{
    private static final GeoTestData.Source CITY_JSON = new GeoTestData.Source(GeoTestData.CITY);
    private static final GeoTestData.Source ASN_JSON = new GeoTestData.Source(GeoTestData.ASN);
    private static final MetricsSettings METRICS = new MetricsSettings(
        "flow", "", List.of(LabelGroup.values()), Map.of("collector_id", "flow-01"), false);

    @TempDir
    Path dir;

    private EnrichmentService service;

    @AfterEach
    void close()
    {
        if (service != null)
        {
            service.close();
        }
    }

    private FlowEnricher open(final Path geo, final int cacheSize, final int maxCitySeries)
    {
        final EnrichmentSettings d = GeoTestData.settings(geo, GeoTestData.mmdb(GeoTestData.ASN), cacheSize, "database");
        service = EnrichmentService.open(new EnrichmentSettings(
            true, d.geoipPath(), true, d.asnPath(), cacheSize, d.asnSource(), d.maxAgeNs(), false,
            d.reloadIntervalNs(), maxCitySeries), System::nanoTime, false, true);
        return service.newShardEnricher();
    }

    private Double value(final String name, final String... labels)
    {
        final List<String> names = new ArrayList<>(List.of("collector_id"));
        final List<String> values = new ArrayList<>(List.of("flow-01"));
        for (int i = 0; i < labels.length; i += 2)
        {
            names.add(labels[i]);
            values.add(labels[i + 1]);
        }
        for (final Collector.MetricFamilySamples family : new EnrichmentCollector(service, METRICS).collect())
        {
            for (final Collector.MetricFamilySamples.Sample s : family.samples)
            {
                if (s.name.equals(name) && s.labelNames.equals(names) && s.labelValues.equals(values))
                {
                    return s.value;
                }
            }
        }
        return null;
    }

    private static FlowRecord sampledFlow(final String src, final String dst)
    {
        final FlowRecord r = GeoTestData.flow(src, dst);
        r.bytes = 1500;
        r.packets = 3;
        r.samplingRate = 10;
        return r;
    }

    @Test
    void shouldCountMissesThenHitsWhenSameFlowIsEnrichedTwice()
    {
        final FlowEnricher enricher = open(GeoTestData.mmdb(GeoTestData.CITY), 1000, 100);
        enricher.enrich(GeoTestData.flow("81.2.69.160", "1.0.0.100"));
        enricher.enrich(GeoTestData.flow("81.2.69.160", "1.0.0.100"));

        assertEquals(2.0, value("flow_enrichment_cache_misses_total"));
        assertEquals(2.0, value("flow_enrichment_cache_hits_total"));
        assertEquals(0.0, value("flow_enrichment_cache_evictions_total"));
    }

    @Test
    void shouldSumCacheCountersOverShardsWhenSeveralShardsEnrich()
    {
        final FlowEnricher first = open(GeoTestData.mmdb(GeoTestData.CITY), 1000, 100);
        final FlowEnricher second = service.newShardEnricher();
        first.enrich(GeoTestData.flow("81.2.69.160", "1.0.0.100"));
        second.enrich(GeoTestData.flow("81.2.69.160", "1.0.0.100"));

        assertEquals(4.0, value("flow_enrichment_cache_misses_total"));
    }

    @Test
    void shouldCountEvictionsWhenMoreAddressesThanCacheEntries()
    {
        final FlowEnricher enricher = open(GeoTestData.mmdb(GeoTestData.CITY), 2, 100);
        for (int i = 1; i <= 50; i++)
        {
            enricher.enrich(GeoTestData.flow("81.2.69." + (160 + i % 30), "1.0.0." + i));
        }

        final double misses = value("flow_enrichment_cache_misses_total");
        assertEquals(100.0, misses + value("flow_enrichment_cache_hits_total"));
        assertEquals(misses - 2, value("flow_enrichment_cache_evictions_total"), "every miss inserts; 2 entries stay");
    }

    @Test
    void shouldShowDatabasesLoadedWithBuildTimeWhenBothOpen()
    {
        open(GeoTestData.mmdb(GeoTestData.CITY), 1000, 100);

        assertEquals(1.0, value("flow_enrichment_database_loaded", "database", "geoip"));
        assertEquals(1.0, value("flow_enrichment_database_loaded", "database", "asn"));
        assertEquals(1_770_245_369.0, value("flow_enrichment_database_build_timestamp_seconds", "database", "asn"));
        assertEquals(0.0, value("flow_enrichment_reloads_total", "database", "geoip"));
    }

    @Test
    void shouldShowDatabaseNotLoadedWhenFileIsMissing()
    {
        open(dir.resolve("missing.mmdb"), 1000, 100);

        assertEquals(0.0, value("flow_enrichment_database_loaded", "database", "geoip"));
        assertNull(value("flow_enrichment_database_build_timestamp_seconds", "database", "geoip"));
    }

    @Test
    void shouldOmitDatabaseSeriesWhenDatabaseIsDisabled()
    {
        final EnrichmentSettings d = GeoTestData.settings(
            GeoTestData.mmdb(GeoTestData.CITY), GeoTestData.mmdb(GeoTestData.ASN), 1000, "database");
        service = EnrichmentService.open(new EnrichmentSettings(
            false, d.geoipPath(), true, d.asnPath(), 1000, d.asnSource(), d.maxAgeNs(), false,
            d.reloadIntervalNs(), 100), System::nanoTime, false, true);
        final FlowRecord r = GeoTestData.flow("81.2.69.160", "1.0.0.100");
        service.newShardEnricher().enrich(r);

        assertNull(value("flow_enrichment_database_loaded", "database", "geoip"));
        assertEquals(1.0, value("flow_enrichment_database_loaded", "database", "asn"));
        assertEquals(0, r.srcCountry);
        assertEquals(15169, r.dstAsn, "1.0.0.0/24 is AS15169 in GeoLite2-ASN-Test.json");
    }

    @Test
    void shouldExportAsnOrganisationAsInfoMetricWhenAsnWasSeen()
    {
        final FlowEnricher enricher = open(GeoTestData.mmdb(GeoTestData.CITY), 1000, 100);
        enricher.enrich(GeoTestData.flow("12.81.92.21", "2001:1700::1"));

        for (final String address : new String[] {"12.81.92.21", "2001:1700::1"})
        {
            final Map<String, Object> asn = ASN_JSON.find(address);
            assertEquals(1.0, value("flow_asn_info",
                "asn", at(asn, "autonomous_system_number").toString(),
                "org", (String)at(asn, "autonomous_system_organization")));
        }
    }

    @Test
    void shouldCapAsnInfoAndCountRefusalsWhenMoreAsnsThanCacheSize()
    {
        final FlowEnricher enricher = open(GeoTestData.mmdb(GeoTestData.CITY), 1, 100);
        enricher.enrich(GeoTestData.flow("12.81.92.21", "2001:1700::1"));

        assertEquals(1, service.asnRegistry().size());
        assertEquals(1.0, value("flow_enrichment_asn_info_refused_total"));
    }

    @Test
    void shouldExportScaledTrafficByCityWithJsonCoordinatesWhenCityDatabaseIsLoaded()
    {
        final FlowEnricher enricher = open(GeoTestData.mmdb(GeoTestData.CITY), 1000, 100);
        enricher.enrich(sampledFlow("89.160.20.128", "81.2.69.160"));
        enricher.enrich(sampledFlow("89.160.20.130", "81.2.69.160"));

        final Map<String, Object> london = CITY_JSON.find("81.2.69.160");
        final String[] labels = {
            "side", "dst", "country", (String)at(london, "country.iso_code"),
            "city", (String)at(london, "city.names.en"), "city_id", at(london, "city.geoname_id").toString(),
            "latitude", Double.toString(((Number)at(london, "location.latitude")).doubleValue()),
            "longitude", Double.toString(((Number)at(london, "location.longitude")).doubleValue())};
        assertEquals(2.0, value("flow_city_flows_total", labels));
        assertEquals(2 * 1500 * 10.0, value("flow_city_bytes_total", labels));
        assertEquals(2 * 3 * 10.0, value("flow_city_packets_total", labels));
    }

    @Test
    void shouldCountOverflowInsteadOfAddingSeriesWhenMaxCitySeriesIsReached()
    {
        final FlowEnricher enricher = open(GeoTestData.mmdb(GeoTestData.CITY), 1000, 1);
        enricher.enrich(sampledFlow("89.160.20.128", "81.2.69.160"));
        enricher.enrich(sampledFlow("89.160.20.128", "81.2.69.160"));

        assertEquals(1, service.cityRegistry().size());
        assertEquals(2.0, value("flow_enrichment_city_overflow_flows_total"));
    }

    @Test
    void shouldProduceValidTextExpositionWhenAllFamiliesHaveSamples() throws IOException
    {
        final FlowEnricher enricher = open(GeoTestData.mmdb(GeoTestData.CITY), 1000, 100);
        enricher.enrich(sampledFlow("89.160.20.128", "81.2.69.160"));
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(new EnrichmentCollector(service, METRICS));
        final StringWriter out = new StringWriter();
        TextFormat.write004(out, registry.metricFamilySamples());

        final String text = out.toString();
        assertTrue(text.contains("# TYPE flow_city_bytes_total counter"), text);
        assertTrue(text.contains("flow_enrichment_cache_hits_total{collector_id=\"flow-01\",} 0.0"), text);
    }
}
