package io.goflow.exporter.enrich;

/** The two databases, named as in the {@code database} label of the enrichment metrics. */
public enum DatabaseKind
{
    /** {@code enrichment.geoip_path}: a GeoLite2/GeoIP2 Country or City database. */
    GEOIP("geoip", "enrichment.geoip_path"),
    /** {@code enrichment.asn_path}: a GeoLite2/GeoIP2 ASN database. */
    ASN("asn", "enrichment.asn_path");

    private final String label;
    private final String configKey;

    DatabaseKind(final String label, final String configKey)
    {
        this.label = label;
        this.configKey = configKey;
    }

    /** @return the value of the {@code database} label. */
    public String label()
    {
        return label;
    }

    /** @return the name operators read in messages: GeoIP or ASN. */
    public String displayName()
    {
        return this == ASN ? "ASN" : "GeoIP";
    }

    /** @return the config key holding the database's path. */
    public String configKey()
    {
        return configKey;
    }

    /** @return true when {@code databaseType} (mmdb metadata) is a database of this kind. */
    boolean accepts(final String databaseType)
    {
        if (databaseType == null)
        {
            return false;
        }
        return this == ASN ? databaseType.contains("ASN") :
            databaseType.contains("City") || databaseType.contains("Country");
    }
}
