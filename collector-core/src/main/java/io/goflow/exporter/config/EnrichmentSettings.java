package io.goflow.exporter.config;

/**
 * {@code enrichment}.
 *
 * @param geoipEnabled      {@code geoip_enabled}. Default true (switched off, with one warning,
 *                          when the file is absent and {@code required} is false).
 * @param geoipPath         {@code geoip_path}: Country or City mmdb.
 * @param asnEnabled        {@code asn_enabled}. Default true (same rule as GeoIP).
 * @param asnPath           {@code asn_path}: ASN mmdb.
 * @param cacheSize         {@code cache_size}: address cache entries. Default 100000.
 * @param asnSource         {@code asn_source}: {@code database}, {@code flow} or
 *                          {@code database_then_flow}. Default {@code database_then_flow}.
 * @param maxAgeNs          {@code max_age}: warn when a database is older. Default 30 days.
 * @param required          {@code required}: a missing or unreadable database is fatal. Default false.
 * @param reloadIntervalNs  {@code reload_interval}: how often the files are checked for
 *                          replacement. Default 10 s.
 * @param maxCitySeries     {@code max_city_series}: capacity of the city/coordinates view for the
 *                          Geomap. Default 10000.
 */
public record EnrichmentSettings(
    boolean geoipEnabled,
    String geoipPath,
    boolean asnEnabled,
    String asnPath,
    int cacheSize,
    String asnSource,
    long maxAgeNs,
    boolean required,
    long reloadIntervalNs,
    int maxCitySeries)
{
    public static final String GEOIP_PATH_DEFAULT = "/opt/geoip/GeoLite2-Country.mmdb";
    public static final String ASN_PATH_DEFAULT = "/opt/geoip/GeoLite2-ASN.mmdb";
    public static final int CACHE_SIZE_DEFAULT = 100_000;
    public static final String ASN_SOURCE_DEFAULT = "database_then_flow";
    public static final long MAX_AGE_NS_DEFAULT = 30L * 24 * 3600 * 1_000_000_000L;
    public static final long RELOAD_INTERVAL_NS_DEFAULT = 10L * 1_000_000_000L;
    public static final int MAX_CITY_SERIES_DEFAULT = 10_000;

    public static EnrichmentSettings defaults()
    {
        return new EnrichmentSettings(
            true, GEOIP_PATH_DEFAULT, true, ASN_PATH_DEFAULT, CACHE_SIZE_DEFAULT, ASN_SOURCE_DEFAULT,
            MAX_AGE_NS_DEFAULT, false, RELOAD_INTERVAL_NS_DEFAULT, MAX_CITY_SERIES_DEFAULT);
    }
}
