package io.goflow.exporter.decoders.sampling;

/**
 * Where the sampling rate applied to a flow record came from: the {@code source} label of
 * {@code flow_exporter_sampling_rate}. The order is the precedence decoders apply.
 */
public enum SamplingSource
{
    /** {@code decoder.sampling_overrides} for the exporter address. */
    CONFIG("config"),
    /** Rate fields in the data record itself (IE 34, 50, 305/306, 309/310, 311). */
    RECORD("record"),
    /** An options data record of the same exporter stream (by sampler / selector id, or for the stream). */
    OPTIONS("options"),
    /** The datagram or sample header: NetFlow v5 sampling interval, sFlow flow sample sampling_rate. */
    HEADER("header"),
    /** {@code decoder.default_sampling_rate}: the exporter announced nothing. */
    DEFAULT("default"),
    /** The exporter announced nothing and no default is configured: records count unscaled (rate 1). */
    NONE("none");

    private static final SamplingSource[] VALUES = values();

    private final String label;

    SamplingSource(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    public static SamplingSource fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    public static int count()
    {
        return VALUES.length;
    }
}
