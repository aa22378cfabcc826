package io.goflow.exporter.decoders.api;

/**
 * The wire protocol a {@link FlowRecord} was decoded from. {@link #label()} is the spelling used in
 * JSON output ({@code type}) and is goflow2's; {@link #metricLabel()} is the value of the
 * {@code protocol} label on self-metrics.
 */
public enum FlowType
{
    NETFLOW_V5("NETFLOW_V5", "netflow_v5"),
    NETFLOW_V9("NETFLOW_V9", "netflow_v9"),
    IPFIX("IPFIX", "ipfix"),
    SFLOW_5("SFLOW_5", "sflow");

    private static final FlowType[] VALUES = values();

    private final String label;
    private final String metricLabel;

    FlowType(final String label, final String metricLabel)
    {
        this.label = label;
        this.metricLabel = metricLabel;
    }

    public String label()
    {
        return label;
    }

    public String metricLabel()
    {
        return metricLabel;
    }

    public static FlowType fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
