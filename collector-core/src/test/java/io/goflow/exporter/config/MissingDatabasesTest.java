package io.goflow.exporter.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MissingDatabasesTest
{
    private static Settings withEnrichment(final boolean required) throws ConfigException
    {
        return ConfigLoader.loadString("enrichment:\n  geoip_path: /nonexistent/geo.mmdb\n  asn_path: " +
            "/nonexistent/asn.mmdb\n  required: " + required + "\n", "t");
    }

    @Test
    void shouldSwitchOffBothLookupsWithOneWarningEachWhenFilesAreAbsent() throws Exception
    {
        final MissingDatabases.Resolution r = MissingDatabases.resolve(withEnrichment(false));
        assertFalse(r.settings().enrichment().geoipEnabled());
        assertFalse(r.settings().enrichment().asnEnabled());
        assertEquals(List.of(
            "enrichment.geoip_path: database /nonexistent/geo.mmdb is missing or unreadable; GeoIP enrichment is" +
                " switched off (set enrichment.required: true to make this fatal)",
            "enrichment.asn_path: database /nonexistent/asn.mmdb is missing or unreadable; ASN enrichment is" +
                " switched off (set enrichment.required: true to make this fatal)"), r.warnings());
    }

    @Test
    void shouldKeepLookupWhoseFileIsReadable() throws Exception
    {
        final MissingDatabases.Resolution r = MissingDatabases.resolve(
            withEnrichment(false), p -> p.equals(Path.of("/nonexistent/asn.mmdb")));
        assertFalse(r.settings().enrichment().geoipEnabled());
        assertTrue(r.settings().enrichment().asnEnabled());
        assertEquals(1, r.warnings().size());
    }

    @Test
    void shouldReturnSameSettingsWhenEveryDatabaseIsPresent() throws Exception
    {
        final Settings s = withEnrichment(false);
        final MissingDatabases.Resolution r = MissingDatabases.resolve(s, p -> true);
        assertSame(s, r.settings());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void shouldNotWarnWhenLookupsAreDisabled() throws Exception
    {
        final Settings s = ConfigLoader.loadString("enrichment:\n  geoip_enabled: false\n  asn_enabled: false\n", "t");
        assertEquals(List.of(), MissingDatabases.resolve(s, p -> false).warnings());
    }

    @Test
    void shouldFailNamingKeyAndFileWhenRequiredDatabaseIsAbsent() throws Exception
    {
        final Settings s = withEnrichment(true);
        final IOException ex = assertThrows(IOException.class, () -> MissingDatabases.resolve(s, p -> false));
        assertEquals("enrichment.geoip_path: database /nonexistent/geo.mmdb is missing or unreadable and" +
            " enrichment.required is true; enrichment.asn_path: database /nonexistent/asn.mmdb is missing or" +
            " unreadable and enrichment.required is true", ex.getMessage());
    }
}
