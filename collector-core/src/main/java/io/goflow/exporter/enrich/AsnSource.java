package io.goflow.exporter.enrich;

/** {@code enrichment.asn_source}: where {@code FlowRecord.srcAsn/dstAsn} come from. */
public enum AsnSource
{
    /** Only the ASN database; flow-carried AS numbers are ignored. */
    DATABASE("database"),
    /** Only the AS numbers carried in the flow ({@code FlowRecord.srcAs/dstAs}). */
    FLOW("flow"),
    /** The database, and the flow's AS number where the database has none. */
    DATABASE_THEN_FLOW("database_then_flow");

    private final String configName;

    AsnSource(final String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }

    /**
     * @return the source named {@code name} in the config.
     * @throws IllegalArgumentException naming the key when {@code name} is not one of the three.
     */
    public static AsnSource fromConfigName(final String name)
    {
        for (final AsnSource s : values())
        {
            if (s.configName.equals(name))
            {
                return s;
            }
        }
        throw new IllegalArgumentException(
            "enrichment.asn_source: '" + name + "' is not one of database, flow, database_then_flow");
    }
}
