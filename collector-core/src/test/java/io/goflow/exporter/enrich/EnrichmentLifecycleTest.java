package io.goflow.exporter.enrich;

import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.goflow.exporter.enrich.GeoTestData.Source.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Database lifecycle with files in a temp dir: replacement by rename and in place, garbage,
 * missing and required databases, age. The watcher is driven by calling
 * {@link EnrichmentService#pollDatabases()}; a replacement is opened on the second poll that sees
 * it unchanged.
 */
class EnrichmentLifecycleTest
{
    /** build_epoch of the four test databases, read from their metadata maps with a separate script. */
    private static final long TEST_DB_BUILD_EPOCH_SECONDS = 1_770_245_369L;
    private static final String LONDON = "81.2.69.160";

    private static final GeoTestData.Source CITY_JSON = new GeoTestData.Source(GeoTestData.CITY);
    private static final GeoTestData.Source COUNTRY_JSON = new GeoTestData.Source(GeoTestData.COUNTRY);

    @TempDir
    Path dir;

    private EnrichmentService service;
    private long nowNs = TimeUnit.SECONDS.toNanos(TEST_DB_BUILD_EPOCH_SECONDS) + TimeUnit.DAYS.toNanos(1);

    @AfterEach
    void close()
    {
        if (service != null)
        {
            service.close();
        }
    }

    private FlowEnricher open(final Path geo, final Path asn, final boolean required)
    {
        final EnrichmentSettings d = GeoTestData.settings(geo, asn, 1000, "database");
        final EnrichmentSettings settings = new EnrichmentSettings(
            true, d.geoipPath(), true, d.asnPath(), d.cacheSize(), d.asnSource(), d.maxAgeNs(), required,
            d.reloadIntervalNs(), d.maxCitySeries());
        service = EnrichmentService.open(settings, () -> nowNs, false, true);
        return service.newShardEnricher();
    }

    private Path copy(final String db, final String name) throws IOException
    {
        final Path target = dir.resolve(name);
        Files.copy(GeoTestData.mmdb(db), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static FlowRecord london(final FlowEnricher enricher)
    {
        final FlowRecord r = GeoTestData.flow(LONDON, "1.0.0.100");
        enricher.enrich(r);
        return r;
    }

    private static long londonCityIdFromJson()
    {
        return ((Number)at(CITY_JSON.find(LONDON), "city.geoname_id")).longValue();
    }

    @Test
    void shouldServeNewDatabaseWithoutRestartWhenFileIsReplacedByAtomicRename() throws IOException
    {
        final Path geo = copy(GeoTestData.COUNTRY, "geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);
        assertEquals(at(COUNTRY_JSON.find(LONDON), "country.iso_code"), CountryCode.unpack(london(enricher).srcCountry));
        assertEquals(0, london(enricher).srcCityId);

        Files.move(copy(GeoTestData.CITY, "geo.mmdb.tmp"), geo, StandardCopyOption.ATOMIC_MOVE);
        service.pollDatabases();
        service.pollDatabases();

        assertEquals(londonCityIdFromJson(), london(enricher).srcCityId);
        assertEquals(1, service.geo().reloads());
        assertEquals(0, service.geo().reloadErrors());
    }

    @Test
    void shouldServeNewDatabaseWhenFileIsRewrittenInPlace() throws IOException
    {
        final Path geo = copy(GeoTestData.COUNTRY, "geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);
        assertEquals(0, london(enricher).srcCityId);
        final Object inodeBefore = Files.readAttributes(geo, BasicFileAttributes.class).fileKey();

        Files.write(geo, Files.readAllBytes(GeoTestData.mmdb(GeoTestData.CITY)));
        assertEquals(inodeBefore, Files.readAttributes(geo, BasicFileAttributes.class).fileKey());
        service.pollDatabases();
        service.pollDatabases();

        assertEquals(londonCityIdFromJson(), london(enricher).srcCityId);
        assertEquals(1, service.geo().reloads());
    }

    @Test
    void shouldSwitchRunningShardToNewDatabaseWithoutErrorsWhenSwappedUnderIt() throws Exception
    {
        final Path geo = copy(GeoTestData.COUNTRY, "geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);
        final long londonId = londonCityIdFromJson();
        final String srcCountry = (String)at(COUNTRY_JSON.find(LONDON), "country.iso_code");
        final String dstCountry = (String)at(COUNTRY_JSON.find("2a02:d040::1"), "country.iso_code");
        final AtomicBoolean sawNewCity = new AtomicBoolean();
        final AtomicBoolean sawWrongCountry = new AtomicBoolean();
        final Thread shard = new Thread(() ->
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            final FlowRecord r = GeoTestData.flow(LONDON, "2a02:d040::1");
            while (System.nanoTime() - deadlineNs < 0)
            {
                enricher.enrich(r);
                if (!srcCountry.equals(CountryCode.unpack(r.srcCountry)) ||
                    !dstCountry.equals(CountryCode.unpack(r.dstCountry)))
                {
                    sawWrongCountry.set(true);
                }
                if (r.srcCityId == londonId)
                {
                    sawNewCity.set(true);
                    return;
                }
            }
        }, "test-shard");
        shard.start();

        Files.move(copy(GeoTestData.CITY, "geo.mmdb.tmp"), geo, StandardCopyOption.ATOMIC_MOVE);
        service.pollDatabases();
        service.pollDatabases();
        shard.join();

        assertTrue(sawNewCity.get(), "shard never saw the new database");
        assertFalse(sawWrongCountry.get(), "both databases' JSON give these ends the same countries");
        assertEquals(0, ((ShardEnricher)enricher).lookupErrors());
    }

    @Test
    void shouldNotOpenReplacementWhenOnlyOnePollHasSeenIt() throws IOException
    {
        final Path geo = copy(GeoTestData.COUNTRY, "geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);

        Files.move(copy(GeoTestData.CITY, "geo.mmdb.tmp"), geo, StandardCopyOption.ATOMIC_MOVE);
        service.pollDatabases();

        assertEquals(0, london(enricher).srcCityId);
        assertEquals(0, service.geo().reloads());
    }

    @Test
    void shouldKeepServingOldDataAndCountOneErrorWhenReplacementIsGarbage() throws IOException
    {
        final Path geo = copy(GeoTestData.CITY, "geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);
        final byte[] garbage = new byte[20_000];
        new Random(42).nextBytes(garbage);

        final Path tmp = dir.resolve("geo.mmdb.tmp");
        Files.write(tmp, garbage);
        Files.move(tmp, geo, StandardCopyOption.ATOMIC_MOVE);
        for (int i = 0; i < 5; i++)
        {
            service.pollDatabases();
        }

        assertEquals(londonCityIdFromJson(), london(enricher).srcCityId);
        assertEquals(1, service.geo().reloadErrors());
        assertEquals(0, service.geo().reloads());
        assertTrue(service.geo().loaded());
    }

    @Test
    void shouldKeepAsnDataAndCountErrorOnAsnWhenAsnReplacementIsGarbage() throws IOException
    {
        final Path asn = copy(GeoTestData.ASN, "asn.mmdb");
        final FlowEnricher enricher = open(copy(GeoTestData.CITY, "geo.mmdb"), asn, false);
        final Path tmp = dir.resolve("asn.mmdb.tmp");
        Files.write(tmp, "not a database".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.move(tmp, asn, StandardCopyOption.ATOMIC_MOVE);
        service.pollDatabases();
        service.pollDatabases();

        assertEquals(1, service.asn().reloadErrors());
        assertEquals(0, service.geo().reloadErrors());
        assertEquals(15169, london(enricher).dstAsn, "1.0.0.0/24 is AS15169 in GeoLite2-ASN-Test.json");
    }

    @Test
    void shouldRefuseReplacementWhenItIsADatabaseOfTheWrongKind() throws IOException
    {
        final Path geo = copy(GeoTestData.CITY, "geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);

        Files.move(copy(GeoTestData.ASN, "geo.mmdb.tmp"), geo, StandardCopyOption.ATOMIC_MOVE);
        service.pollDatabases();
        service.pollDatabases();

        assertEquals(1, service.geo().reloadErrors());
        assertEquals(londonCityIdFromJson(), london(enricher).srcCityId);
    }

    @Test
    void shouldLoadGoodFileWhenItFollowsAGarbageOne() throws IOException
    {
        final Path geo = copy(GeoTestData.COUNTRY, "geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);
        final Path tmp = dir.resolve("geo.mmdb.tmp");
        Files.write(tmp, new byte[] {1, 2, 3});
        Files.move(tmp, geo, StandardCopyOption.ATOMIC_MOVE);
        service.pollDatabases();
        service.pollDatabases();

        Files.move(copy(GeoTestData.CITY, "geo.mmdb.tmp"), geo, StandardCopyOption.ATOMIC_MOVE);
        service.pollDatabases();
        service.pollDatabases();

        assertEquals(1, service.geo().reloadErrors());
        assertEquals(1, service.geo().reloads());
        assertEquals(londonCityIdFromJson(), london(enricher).srcCityId);
    }

    @Test
    void shouldRunWithoutGeoIpWhenDatabaseIsMissingAtStart() throws IOException
    {
        final FlowEnricher enricher = open(dir.resolve("absent.mmdb"), copy(GeoTestData.ASN, "asn.mmdb"), false);
        final FlowRecord r = london(enricher);

        assertFalse(service.geo().loaded());
        assertTrue(service.asn().loaded());
        assertEquals(0, r.srcCountry);
        assertEquals(15169, r.dstAsn, "1.0.0.0/24 is AS15169 in GeoLite2-ASN-Test.json");
    }

    @Test
    void shouldNotCountReloadErrorForTheBadFileAlreadyReportedAtStart() throws IOException
    {
        final Path geo = dir.resolve("geo.mmdb");
        Files.write(geo, new byte[] {9, 9, 9});
        open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);
        service.pollDatabases();
        service.pollDatabases();

        assertFalse(service.geo().loaded());
        assertEquals(0, service.geo().reloadErrors());
    }

    @Test
    void shouldLoadDatabaseWhenItAppearsAfterStart() throws IOException
    {
        final Path geo = dir.resolve("geo.mmdb");
        final FlowEnricher enricher = open(geo, copy(GeoTestData.ASN, "asn.mmdb"), false);
        assertEquals(0, london(enricher).srcCountry);

        copy(GeoTestData.CITY, "geo.mmdb");
        service.pollDatabases();
        service.pollDatabases();

        assertTrue(service.geo().loaded());
        assertEquals(londonCityIdFromJson(), london(enricher).srcCityId);
    }

    @Test
    void shouldFailWithPathWhenDatabaseIsMissingAndRequired()
    {
        final Path absent = dir.resolve("absent.mmdb");
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> open(absent, GeoTestData.mmdb(GeoTestData.ASN), true));

        assertTrue(ex.getMessage().contains(absent.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("enrichment.geoip_path"), ex.getMessage());
    }

    @Test
    void shouldFailWhenAsnDatabaseIsGarbageAndRequired() throws IOException
    {
        final Path asn = dir.resolve("asn.mmdb");
        Files.write(asn, new byte[] {0, 1, 2, 3, 4});

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> open(GeoTestData.mmdb(GeoTestData.CITY), asn, true));
        assertTrue(ex.getMessage().contains("enrichment.asn_path"), ex.getMessage());
    }

    @Test
    void shouldReportBuildTimeFromDatabaseMetadataWhenLoaded() throws IOException
    {
        open(copy(GeoTestData.CITY, "geo.mmdb"), copy(GeoTestData.ASN, "asn.mmdb"), false);

        assertEquals(TEST_DB_BUILD_EPOCH_SECONDS, service.geo().buildEpochSeconds());
        assertEquals(TEST_DB_BUILD_EPOCH_SECONDS, service.asn().buildEpochSeconds());
    }

    @Test
    void shouldFlagDatabaseAsOldOnlyWhenOlderThanMaxAge() throws IOException
    {
        open(copy(GeoTestData.CITY, "geo.mmdb"), copy(GeoTestData.ASN, "asn.mmdb"), false);
        final long buildNs = TimeUnit.SECONDS.toNanos(TEST_DB_BUILD_EPOCH_SECONDS);

        assertFalse(service.geo().olderThanMaxAge(buildNs + TimeUnit.DAYS.toNanos(29)));
        assertTrue(service.geo().olderThanMaxAge(buildNs + TimeUnit.DAYS.toNanos(31)));
    }
}
