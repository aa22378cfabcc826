package io.goflow.exporter.enrich;

import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.expose.EnrichmentCollector;
import io.prometheus.client.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.goflow.exporter.enrich.GeoTestData.Source.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: softflowd's NetFlow v9 export of traffic.pcap, decoded by the project's decoder and
 * enriched with the City and ASN test databases. Every address that appears gets exactly the
 * country, city and AS number that MaxMind's JSON sources give it (nothing for addresses in no
 * network), and traffic summed by label matches softflowd_v9.truth.json (Wireshark's decode)
 * grouped by the JSON's labels.
 */
class EnrichmentCaptureTest
{
    private static final GeoTestData.Source CITY_JSON = new GeoTestData.Source(GeoTestData.CITY);
    private static final GeoTestData.Source ASN_JSON = new GeoTestData.Source(GeoTestData.ASN);

    private EnrichmentService service;
    private FlowEnricher enricher;
    private final Map<String, String> labelsByAddress = new TreeMap<>();
    private final List<String> inconsistent = new ArrayList<>();
    private final Map<String, Long> bytesBySrcCountry = new TreeMap<>();
    private final Map<String, Long> bytesByDstAsn = new TreeMap<>();

    @BeforeEach
    void open()
    {
        service = EnrichmentService.open(
            GeoTestData.settings(GeoTestData.mmdb(GeoTestData.CITY), GeoTestData.mmdb(GeoTestData.ASN), 100_000,
                "database"), System::nanoTime, false, true);
        enricher = service.newShardEnricher();
    }

    @AfterEach
    void close()
    {
        service.close();
    }

    private void replay()
    {
        final FlowSink sink = record ->
        {
            enricher.enrich(record);
            remember(record.srcAddrHi, record.srcAddrLo, record.srcCountry, record.srcCityId, record.srcAsn);
            remember(record.dstAddrHi, record.dstAddrLo, record.dstCountry, record.dstCityId, record.dstAsn);
            bytesBySrcCountry.merge(CountryCode.unpack(record.srcCountry), record.scaledBytes(), Long::sum);
            bytesByDstAsn.merge(record.dstAsn == 0 ? "" : Long.toString(record.dstAsn), record.scaledBytes(), Long::sum);
        };
        final CaptureRun run = CaptureRun.run(
            GeoTestData.sharedDir().resolve("testdata/exports/softflowd_v9.pcap"), CaptureRun.DEFAULT_PORT_MAP,
            CaptureRun.newDecoder(), sink);
        assertEquals(6297, run.totals.flows, "softflowd_v9.truth.json totals.flows");
    }

    private void remember(final long hi, final long lo, final int country, final long cityId, final long asn)
    {
        final String address = AddressText.toString(hi, lo);
        final String labels = CountryCode.unpack(country) + "|" + cityId + "|" + asn;
        final String previous = labelsByAddress.putIfAbsent(address, labels);
        if (previous != null && !previous.equals(labels))
        {
            inconsistent.add(address + ": " + previous + " then " + labels);
        }
    }

    private static String expectedLabels(final String address)
    {
        final Map<String, Object> geo = CITY_JSON.find(address);
        final Map<String, Object> asn = ASN_JSON.find(address);
        final Object country = geo == null ? null : at(geo, "country.iso_code");
        final Object city = geo == null ? null : at(geo, "city.geoname_id");
        final Object number = asn == null ? null : at(asn, "autonomous_system_number");
        return (country == null ? "" : country) + "|" + (city == null ? 0 : city) + "|" + (number == null ? 0 : number);
    }

    @Test
    void shouldLabelEveryAddressLikeTheJsonSourcesWhenCaptureIsDecodedAndEnriched()
    {
        replay();

        assertEquals(List.of(), inconsistent);
        final List<String> mismatches = new ArrayList<>();
        int labelled = 0;
        for (final Map.Entry<String, String> e : labelsByAddress.entrySet())
        {
            final String expected = expectedLabels(e.getKey());
            if (!expected.equals(e.getValue()))
            {
                mismatches.add(e.getKey() + " expected " + expected + " got " + e.getValue());
            }
            if (!e.getValue().startsWith("|"))
            {
                labelled++;
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(labelled >= 40, labelled + " addresses with a country");
    }

    @Test
    void shouldSumBytesByLabelLikeTheTruthFileGroupedByJsonLabels() throws IOException
    {
        replay();

        final Map<String, Long> expectedBySrcCountry = new TreeMap<>();
        final Map<String, Long> expectedByDstAsn = new TreeMap<>();
        for (final Map.Entry<String, Map<String, Object>> e : truthBy5Tuple().entrySet())
        {
            final String[] parts = e.getKey().split("\\|");
            final long bytes = ((Number)e.getValue().get("bytes")).longValue();
            final Map<String, Object> srcGeo = CITY_JSON.find(parts[0]);
            final Object country = srcGeo == null ? null : at(srcGeo, "country.iso_code");
            expectedBySrcCountry.merge(country == null ? "" : country.toString(), bytes, Long::sum);
            final Map<String, Object> dstAsn = ASN_JSON.find(parts[1]);
            final Object asn = dstAsn == null ? null : at(dstAsn, "autonomous_system_number");
            expectedByDstAsn.merge(asn == null ? "" : asn.toString(), bytes, Long::sum);
        }

        assertEquals(expectedBySrcCountry, bytesBySrcCountry);
        assertEquals(expectedByDstAsn, bytesByDstAsn);
    }

    @Test
    void shouldExportCityBytesLikeTheTruthFileWhenDestinationIsInACityNetwork() throws IOException
    {
        replay();

        final Map<String, Long> expectedByDstCity = new TreeMap<>();
        for (final Map.Entry<String, Map<String, Object>> e : truthBy5Tuple().entrySet())
        {
            final Map<String, Object> dst = CITY_JSON.find(e.getKey().split("\\|")[1]);
            final Object city = dst == null ? null : at(dst, "city.names.en");
            if (city != null)
            {
                expectedByDstCity.merge(city.toString(), ((Number)e.getValue().get("bytes")).longValue(), Long::sum);
            }
        }
        final Map<String, Long> exported = new TreeMap<>();
        final Collector collector = new EnrichmentCollector(service, MetricsSettings.defaults());
        for (final Collector.MetricFamilySamples family : collector.collect())
        {
            for (final Collector.MetricFamilySamples.Sample s : family.samples)
            {
                if (s.name.equals("flow_city_bytes_total") && s.labelValues.get(0).equals("dst"))
                {
                    exported.merge(s.labelValues.get(s.labelNames.indexOf("city")), (long)s.value, Long::sum);
                }
            }
        }

        assertTrue(expectedByDstCity.size() >= 3, expectedByDstCity.toString());
        assertEquals(expectedByDstCity, exported);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> truthBy5Tuple() throws IOException
    {
        final LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        try (Reader in = Files.newBufferedReader(
            GeoTestData.sharedDir().resolve("testdata/exports/softflowd_v9.truth.json"), StandardCharsets.UTF_8))
        {
            final Map<String, Object> truth = (Map<String, Object>)new Yaml(options).load(in);
            return (Map<String, Map<String, Object>>)truth.get("by_5tuple");
        }
    }
}
