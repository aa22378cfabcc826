package io.goflow.exporter.config;

/**
 * A grouping dimension: config name, label name and the {@code metrics.enabled_labels} group that
 * switches it (null when it is never switched off by a group).
 */
public enum Dimension
{
    EXPORTER("exporter", null),
    SRC_ADDR("src_addr", null),
    DST_ADDR("dst_addr", null),
    PROTOCOL("protocol", null),
    SRC_PORT("src_port", LabelGroup.PORTS),
    DST_PORT("dst_port", LabelGroup.PORTS),
    IN_IF("in_if", LabelGroup.INTERFACES),
    OUT_IF("out_if", LabelGroup.INTERFACES),
    SRC_COUNTRY("src_country", LabelGroup.GEO),
    DST_COUNTRY("dst_country", LabelGroup.GEO),
    SRC_ASN("src_asn", LabelGroup.ASN),
    DST_ASN("dst_asn", LabelGroup.ASN);

    private final String configName;
    private final LabelGroup group;

    Dimension(final String configName, final LabelGroup group)
    {
        this.configName = configName;
        this.group = group;
    }

    /** Name in {@code aggregation.dimensions}; also the Prometheus label name. */
    public String configName()
    {
        return configName;
    }

    public String labelName()
    {
        return configName;
    }

    /** @return the label group that must be enabled for this dimension, or null for always-on. */
    public LabelGroup group()
    {
        return group;
    }

    public static Dimension fromConfigName(final String name)
    {
        for (final Dimension d : values())
        {
            if (d.configName.equals(name))
            {
                return d;
            }
        }
        return null;
    }
}
