package io.goflow.exporter.config;

import java.util.List;

/**
 * {@code aggregation}.
 *
 * @param timeWindowsNs      {@code time_windows}: sliding windows, ns. Default 1m, 5m, 15m, 1h.
 * @param dimensions         {@code dimensions}: grouping dimensions of the main view
 *                           ({@link Dimension} config names). Default: the spec's eleven.
 * @param bandwidthWindowNs  {@code bandwidth_window}: the window behind {@code flow_bandwidth_bps}.
 *                           Default: the first of {@code time_windows}.
 * @param maxSeries          {@code max_series}: table capacity of the main view. Default 100000.
 * @param seriesTtlNs        {@code series_ttl}: idle series are evicted after this. Default: the
 *                           longest window plus 5 minutes.
 * @param spreadLongFlows    {@code spread_long_flows}: spread a flow's bytes over its start-end
 *                           interval (capped at the longest window) instead of counting at
 *                           receive time. Default false.
 * @param topK               {@code top_k}: export only the K series with most bytes in the
 *                           bandwidth window; 0 = all. Default 0.
 * @param views              {@code views}: extra named views.
 */
public record AggregationSettings(
    List<Long> timeWindowsNs,
    List<Dimension> dimensions,
    long bandwidthWindowNs,
    int maxSeries,
    long seriesTtlNs,
    boolean spreadLongFlows,
    int topK,
    List<ViewSettings> views)
{
    public static final long MINUTE_NS = 60L * 1_000_000_000L;
    public static final List<Long> TIME_WINDOWS_DEFAULT = List.of(MINUTE_NS, 5 * MINUTE_NS, 15 * MINUTE_NS, 60 * MINUTE_NS);
    public static final int MAX_SERIES_DEFAULT = 100_000;
    public static final long SERIES_TTL_MARGIN_NS = 5 * MINUTE_NS;

    public static AggregationSettings defaults()
    {
        return new AggregationSettings(
            TIME_WINDOWS_DEFAULT,
            List.of(
                Dimension.SRC_ADDR, Dimension.DST_ADDR, Dimension.PROTOCOL, Dimension.SRC_PORT, Dimension.DST_PORT,
                Dimension.IN_IF, Dimension.OUT_IF, Dimension.SRC_COUNTRY, Dimension.DST_COUNTRY,
                Dimension.SRC_ASN, Dimension.DST_ASN),
            TIME_WINDOWS_DEFAULT.get(0),
            MAX_SERIES_DEFAULT,
            TIME_WINDOWS_DEFAULT.get(TIME_WINDOWS_DEFAULT.size() - 1) + SERIES_TTL_MARGIN_NS,
            false,
            0,
            List.of());
    }
}
