package io.goflow.exporter.enrich;

import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static io.goflow.exporter.enrich.GeoTestData.Source.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Lookups against MaxMind's test databases; every expected value is read from the JSON source the
 * database was built from.
 */
class EnrichmentLookupTest
{
    private static final GeoTestData.Source CITY_JSON = new GeoTestData.Source(GeoTestData.CITY);
    private static final GeoTestData.Source ASN_JSON = new GeoTestData.Source(GeoTestData.ASN);

    private EnrichmentService service;

    @AfterEach
    void close()
    {
        if (service != null)
        {
            service.close();
        }
    }

    private FlowEnricher open(final String geoDb, final String asnSource)
    {
        final EnrichmentSettings settings = GeoTestData.settings(
            GeoTestData.mmdb(geoDb), GeoTestData.mmdb(GeoTestData.ASN), 1000, asnSource);
        service = EnrichmentService.open(settings, System::nanoTime, false, true);
        return service.newShardEnricher();
    }

    /** Addresses chosen from the City JSON: London, Linköping, Milton, Changchun, San Diego (v4 and v6). */
    @ParameterizedTest
    @ValueSource(strings = {"81.2.69.160", "89.160.20.128", "216.160.83.58", "175.16.199.7", "214.78.1.150",
        "2001:480::1"})
    void shouldGiveCountryAndCityFromTheCityJsonWhenAddressIsInACityNetwork(final String address)
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, "database");
        final FlowRecord r = GeoTestData.flow(address, "8.8.8.8");
        enricher.enrich(r);

        final Map<String, Object> expected = CITY_JSON.find(address);
        assertNotNull(expected, address);
        assertEquals(at(expected, "country.iso_code"), CountryCode.unpack(r.srcCountry));
        assertEquals(((Number)at(expected, "city.geoname_id")).longValue(), r.srcCityId);
        final CityInfo info = service.cityRegistry().get(r.srcCityId);
        assertEquals(at(expected, "city.names.en"), info.name());
        assertEquals(((Number)at(expected, "location.latitude")).doubleValue(), info.latitude());
        assertEquals(((Number)at(expected, "location.longitude")).doubleValue(), info.longitude());
        assertEquals(at(expected, "country.iso_code"), info.country());
    }

    /** IPv6 networks of the City JSON with a country but no city. */
    @ParameterizedTest
    @ValueSource(strings = {"2001:218::29:a0d0", "2a02:d040::1d:267b", "2a02:cf80::1", "2001:2e0:1::5"})
    void shouldGiveCountryWithoutCityWhenIpv6NetworkHasNoCity(final String address)
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, "database");
        final FlowRecord r = GeoTestData.flow("8.8.8.8", address);
        enricher.enrich(r);

        final Map<String, Object> expected = CITY_JSON.find(address);
        assertEquals(at(expected, "country.iso_code"), CountryCode.unpack(r.dstCountry));
        assertNull(at(expected, "city.geoname_id"));
        assertEquals(0, r.dstCityId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0.100", "12.81.92.21", "1.128.0.1", "2001:1700::37:30ec", "2001:2000::1b:80e6",
        "2600:6000::1"})
    void shouldGiveAsnAndOrganisationFromTheAsnJsonWhenAddressIsInAnAsnNetwork(final String address)
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, "database");
        final FlowRecord r = GeoTestData.flow(address, "8.8.8.8");
        enricher.enrich(r);

        final Map<String, Object> expected = ASN_JSON.find(address);
        assertNotNull(expected, address);
        final long asn = ((Number)at(expected, "autonomous_system_number")).longValue();
        assertEquals(asn, r.srcAsn);
        assertEquals(at(expected, "autonomous_system_organization"), service.asnRegistry().get(asn));
    }

    @Test
    void shouldGiveCountryOnlyWhenGeoDatabaseIsACountryDatabase()
    {
        final GeoTestData.Source countryJson = new GeoTestData.Source(GeoTestData.COUNTRY);
        final FlowEnricher enricher = open(GeoTestData.COUNTRY, "database");
        final FlowRecord r = GeoTestData.flow("81.2.69.160", "2a02:d040::1");
        enricher.enrich(r);

        assertEquals(at(countryJson.find("81.2.69.160"), "country.iso_code"), CountryCode.unpack(r.srcCountry));
        assertEquals(at(countryJson.find("2a02:d040::1"), "country.iso_code"), CountryCode.unpack(r.dstCountry));
        assertEquals(0, r.srcCityId);
        assertEquals(0, r.dstCityId);
    }

    /** Private, shared, loopback, link-local, multicast, documentation and reserved ranges. */
    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.1.1",
        "224.0.0.251", "255.255.255.255", "192.0.2.1", "198.51.100.7", "203.0.113.9", "0.0.0.0", "::1", "::",
        "fe80::1", "fd00::1", "ff02::1", "2001:db8::1", "3fff::1"})
    void shouldGiveNoLabelsWhenAddressIsSpecialPurpose(final String address)
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, "database_then_flow");
        final FlowRecord r = GeoTestData.flow(address, address);
        enricher.enrich(r);

        assertEquals(0, r.srcCountry);
        assertEquals(0, r.srcAsn);
        assertEquals(0, r.srcCityId);
        assertEquals(0, r.dstCountry);
    }

    /** Public addresses that fall in no network of either test database. */
    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "5.5.5.5", "3000::1"})
    void shouldGiveNoLabelsWhenAddressIsInNoNetwork(final String address)
    {
        assertNull(CITY_JSON.find(address));
        assertNull(ASN_JSON.find(address));
        final FlowEnricher enricher = open(GeoTestData.CITY, "database");
        final FlowRecord r = GeoTestData.flow(address, address);
        enricher.enrich(r);

        assertEquals(0, r.srcCountry);
        assertEquals(0, r.srcAsn);
        assertEquals(0, r.srcCityId);
    }

    @Test
    void shouldLookUpIpv4MappedAddressAsIpv4WhenRecordHoldsMappedForm()
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, "database");
        final FlowRecord r = new FlowRecord();
        r.srcIpv4((81 << 24) | (2 << 16) | (69 << 8) | 160);
        r.dstIpv6(0, 0x0000_FFFF_59A0_1480L);   // ::ffff:89.160.20.128 written out: 0x59=89 0xA0=160 0x14=20 0x80=128
        enricher.enrich(r);

        assertEquals(at(CITY_JSON.find("81.2.69.160"), "country.iso_code"), CountryCode.unpack(r.srcCountry));
        assertEquals(at(CITY_JSON.find("89.160.20.128"), "country.iso_code"), CountryCode.unpack(r.dstCountry));
        assertEquals(((Number)at(CITY_JSON.find("89.160.20.128"), "city.geoname_id")).longValue(), r.dstCityId);
    }

    @Test
    void shouldNotLabelMappedPrivateAddressWhenIpv4IsPrivate()
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, "database");
        final FlowRecord r = new FlowRecord();
        r.srcIpv4((10 << 24) | 1);
        r.dstIpv4((192 << 24) | (168 << 16) | 1);
        enricher.enrich(r);

        assertEquals(0, r.srcCountry);
        assertEquals(0, r.dstCountry);
    }

    @Test
    void shouldIgnoreFlowAsnWhenAsnSourceIsDatabase()
    {
        final FlowRecord r = enrichFromGoogleToUnknownCarryingFlowAs("database");

        assertEquals(googleAsnFromJson(), r.srcAsn);
        assertEquals(0, r.dstAsn);
    }

    @Test
    void shouldUseOnlyFlowAsnWhenAsnSourceIsFlow()
    {
        final FlowRecord r = enrichFromGoogleToUnknownCarryingFlowAs("flow");

        assertEquals(64_500, r.srcAsn);
        assertEquals(64_501, r.dstAsn);
    }

    @Test
    void shouldFallBackToFlowAsnWhenDatabaseHasNoneAndAsnSourceIsDatabaseThenFlow()
    {
        final FlowRecord r = enrichFromGoogleToUnknownCarryingFlowAs("database_then_flow");

        assertEquals(googleAsnFromJson(), r.srcAsn);
        assertEquals(64_501, r.dstAsn);
    }

    /** 1.0.0.100 is in an ASN network of the test database, 8.8.8.8 in none; the flow says 64500/64501. */
    private FlowRecord enrichFromGoogleToUnknownCarryingFlowAs(final String asnSource)
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, asnSource);
        final FlowRecord r = GeoTestData.flow("1.0.0.100", "8.8.8.8");
        r.srcAs = 64_500;
        r.dstAs = 64_501;
        enricher.enrich(r);
        return r;
    }

    private static long googleAsnFromJson()
    {
        return ((Number)at(ASN_JSON.find("1.0.0.100"), "autonomous_system_number")).longValue();
    }

    @Test
    void shouldLeaveNonFlowRecordsUntouchedWhenKindIsNotFlow()
    {
        final FlowEnricher enricher = open(GeoTestData.CITY, "database");
        final FlowRecord r = GeoTestData.flow("81.2.69.160", "1.0.0.100");
        r.kind = FlowRecord.Kind.OPTIONS;
        enricher.enrich(r);

        assertEquals(0, r.srcCountry);
        assertEquals(0, r.dstAsn);
    }
}
