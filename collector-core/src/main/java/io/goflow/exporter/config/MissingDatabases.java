package io.goflow.exporter.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Start-up step that reconciles {@code enrichment} with the database files actually present: an
 * enabled lookup whose file is absent or unreadable is switched off with one warning, unless
 * {@code enrichment.required} is true, in which case start-up fails.
 */
public final class MissingDatabases
{
    /**
     * @param settings the settings to run with (GeoIP/ASN possibly switched off).
     * @param warnings one line per switched-off lookup, for the caller to log at WARN.
     */
    public record Resolution(Settings settings, List<String> warnings)
    {
    }

    private MissingDatabases()
    {
    }

    /** Checks the real file system: a database must be a readable regular file. */
    public static Resolution resolve(final Settings settings) throws IOException
    {
        return resolve(settings, p -> Files.isRegularFile(p) && Files.isReadable(p));
    }

    /**
     * @param readable tells whether a database file can be opened.
     * @throws IOException when {@code enrichment.required} is true and an enabled database is not
     *                     readable; the message names the key and the file.
     */
    public static Resolution resolve(final Settings settings, final Predicate<Path> readable) throws IOException
    {
        final EnrichmentSettings e = settings.enrichment();
        final List<String> warnings = new ArrayList<>();
        final List<String> fatal = new ArrayList<>();
        boolean geoip = e.geoipEnabled();
        boolean asn = e.asnEnabled();
        if (geoip && !readable.test(Path.of(e.geoipPath())))
        {
            geoip = false;
            report(e.required(), "enrichment.geoip_path", e.geoipPath(), "GeoIP", warnings, fatal);
        }
        if (asn && !readable.test(Path.of(e.asnPath())))
        {
            asn = false;
            report(e.required(), "enrichment.asn_path", e.asnPath(), "ASN", warnings, fatal);
        }
        if (!fatal.isEmpty())
        {
            throw new IOException(String.join("; ", fatal));
        }
        if (geoip == e.geoipEnabled() && asn == e.asnEnabled())
        {
            return new Resolution(settings, List.of());
        }
        final EnrichmentSettings adjusted = new EnrichmentSettings(
            geoip, e.geoipPath(), asn, e.asnPath(), e.cacheSize(), e.asnSource(), e.maxAgeNs(), e.required(),
            e.reloadIntervalNs(), e.maxCitySeries());
        final Settings out = new Settings(settings.server(), settings.performance(), settings.aggregation(), adjusted,
            settings.metrics(), settings.logging(), settings.decoder());
        return new Resolution(out, List.copyOf(warnings));
    }

    private static void report(
        final boolean required,
        final String key,
        final String path,
        final String what,
        final List<String> warnings,
        final List<String> fatal)
    {
        if (required)
        {
            fatal.add(key + ": database " + path + " is missing or unreadable and enrichment.required is true");
        }
        else
        {
            warnings.add(key + ": database " + path + " is missing or unreadable; " + what +
                " enrichment is switched off (set enrichment.required: true to make this fatal)");
        }
    }
}
