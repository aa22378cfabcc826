package io.goflow.exporter.config;

/** The groups of {@code metrics.enabled_labels}. */
public enum LabelGroup
{
    PORTS("ports"),
    INTERFACES("interfaces"),
    GEO("geo"),
    ASN("asn");

    private final String configName;

    LabelGroup(final String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }

    public static LabelGroup fromConfigName(final String name)
    {
        for (final LabelGroup g : values())
        {
            if (g.configName.equals(name))
            {
                return g;
            }
        }
        return null;
    }
}
