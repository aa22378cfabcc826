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
 * @param networks           {@code networks}: named networks behind {@code src_net}/{@code dst_net}
 *                           and their attributes. Default none.
 * @param networksFile       {@code networks_file}: a YAML file holding more networks, reloaded when
 *                           it changes; "" for none. Its entries win over {@code networks} for an
 *                           equal prefix.
 * @param networksReloadIntervalNs {@code networks_reload_interval}: how often the file's size and
 *                           modification time are checked. Default 10s.
 * @param prefixLengths      {@code prefix_lengths}: the {@code src_net}/{@code dst_net} label of an
 *                           address in no named network. Default {@code {ipv4: 24, ipv6: 48}}.
 * @param interfaces         {@code interfaces}: interface names and speeds given by hand.
 */
public record AggregationSettings(
    List<Long> timeWindowsNs,
    List<Dimension> dimensions,
    long bandwidthWindowNs,
    int maxSeries,
    long seriesTtlNs,
    boolean spreadLongFlows,
    int topK,
    List<ViewSettings> views,
    List<NetworkSettings> networks,
    String networksFile,
    long networksReloadIntervalNs,
    PrefixLengths prefixLengths,
    List<InterfaceSettings> interfaces)
{
    public static final long NETWORKS_RELOAD_INTERVAL_DEFAULT_NS = 10_000_000_000L;

    /** Settings without networks or interfaces, with the default {@code prefix_lengths}. */
    public AggregationSettings(
        final List<Long> timeWindowsNs,
        final List<Dimension> dimensions,
        final long bandwidthWindowNs,
        final int maxSeries,
        final long seriesTtlNs,
        final boolean spreadLongFlows,
        final int topK,
        final List<ViewSettings> views)
    {
        this(timeWindowsNs, dimensions, bandwidthWindowNs, maxSeries, seriesTtlNs, spreadLongFlows, topK, views,
            List.of(), "", NETWORKS_RELOAD_INTERVAL_DEFAULT_NS, PrefixLengths.defaults(), List.of());
    }

    /** @return these settings with other networks, networks file and prefix lengths. */
    public AggregationSettings withNetworks(
        final List<NetworkSettings> networks, final String networksFile, final long reloadIntervalNs,
        final PrefixLengths prefixLengths)
    {
        return new AggregationSettings(timeWindowsNs, dimensions, bandwidthWindowNs, maxSeries, seriesTtlNs,
            spreadLongFlows, topK, views, networks, networksFile, reloadIntervalNs, prefixLengths, interfaces);
    }

    /** @return these settings with another static interface list. */
    public AggregationSettings withInterfaces(final List<InterfaceSettings> interfaces)
    {
        return new AggregationSettings(timeWindowsNs, dimensions, bandwidthWindowNs, maxSeries, seriesTtlNs,
            spreadLongFlows, topK, views, networks, networksFile, networksReloadIntervalNs, prefixLengths,
            interfaces);
    }

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
