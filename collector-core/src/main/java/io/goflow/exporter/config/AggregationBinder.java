package io.goflow.exporter.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.goflow.exporter.config.Durations.DAY_NS;
import static io.goflow.exporter.config.Durations.SECOND_NS;

/**
 * Binds {@code aggregation} to {@link AggregationSettings}: each entry of {@code views} with a
 * {@link ViewBinder}, the network and interface lists with a {@link NetworkListParser}.
 */
final class AggregationBinder extends SectionBinder<AggregationSettings>
{
    static final int MAX_SERIES_MAX = 10_000_000;
    static final int TOP_K_MAX = 1_000_000;
    static final long TIME_WINDOW_MIN_NS = SECOND_NS;
    static final long TIME_WINDOW_MAX_NS = 7 * DAY_NS;
    static final long SERIES_TTL_MAX_NS = 30 * DAY_NS;

    AggregationBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    AggregationSettings bind(final YamlFields.Section s)
    {
        final AggregationSettings d = AggregationSettings.defaults();
        List<Long> windows = d.timeWindowsNs();
        final Node windowsNode = s.value("time_windows");
        if (windowsNode != null)
        {
            final List<Long> parsed = new ArrayList<>();
            final List<Node> items = y.items(windowsNode, s.pathOf("time_windows"), false);
            for (int i = 0; i < items.size(); i++)
            {
                final String path = s.pathOf("time_windows") + "[" + i + "]";
                final long ns = y.durationNs(items.get(i), path, -1, TIME_WINDOW_MIN_NS, TIME_WINDOW_MAX_NS);
                if (ns < 0)
                {
                    continue;
                }
                if (parsed.contains(ns))
                {
                    y.error(items.get(i), path, "duplicate window " + Durations.format(ns));
                    continue;
                }
                parsed.add(ns);
            }
            if (items.isEmpty() && windowsNode instanceof SequenceNode)
            {
                y.error(windowsNode, s.pathOf("time_windows"), "must list at least one window");
            }
            if (!parsed.isEmpty())
            {
                windows = List.copyOf(parsed);
            }
        }
        final long longestNs = windows.stream().mapToLong(Long::longValue).max().orElse(0);

        final List<Dimension> dimensions = s.value("dimensions") == null ? d.dimensions() :
            dimensions(y, s.value("dimensions"), s.pathOf("dimensions"));

        final long bandwidthWindowNs =
            y.durationNs(s, "bandwidth_window", windows.get(0), TIME_WINDOW_MIN_NS, TIME_WINDOW_MAX_NS);
        if (s.value("bandwidth_window") != null && !windows.contains(bandwidthWindowNs))
        {
            y.error(s.value("bandwidth_window"), s.pathOf("bandwidth_window"),
                Durations.format(bandwidthWindowNs) + " is not one of time_windows (" + formatWindows(windows) + ")");
        }
        final int maxSeries = (int)y.integer(s, "max_series", d.maxSeries(), 1, MAX_SERIES_MAX);
        final long ttlNs = y.durationNs(s, "series_ttl", longestNs + AggregationSettings.SERIES_TTL_MARGIN_NS,
            TIME_WINDOW_MIN_NS, SERIES_TTL_MAX_NS);
        if (s.value("series_ttl") != null && ttlNs < longestNs)
        {
            y.error(s.value("series_ttl"), s.pathOf("series_ttl"), Durations.format(ttlNs) +
                " is shorter than the longest time window (" + Durations.format(longestNs) + ")");
        }
        final boolean spread = y.bool(s, "spread_long_flows", d.spreadLongFlows());
        final int topK = (int)y.integer(s, "top_k", d.topK(), 0, TOP_K_MAX);
        final List<ViewSettings> views = views(s, maxSeries);
        final NetworkListParser lists = new NetworkListParser(y);
        final List<NetworkSettings> networks = lists.networks(s.value("networks"), s.pathOf("networks"));
        final String networksFile = y.string(s, "networks_file", "");
        final long reloadNs = y.durationNs(s, "networks_reload_interval",
            AggregationSettings.NETWORKS_RELOAD_INTERVAL_DEFAULT_NS, SECOND_NS,
            EnrichmentBinder.RELOAD_INTERVAL_MAX_NS);
        final PrefixLengths prefixLengths = lists.prefixLengths(s.value("prefix_lengths"), s.pathOf("prefix_lengths"));
        final List<InterfaceSettings> interfaces = lists.interfaces(s.value("interfaces"), s.pathOf("interfaces"));
        if (networksFile.isEmpty())
        {
            checkAttributes(s, networks, dimensions, views);
        }
        return new AggregationSettings(windows, dimensions, bandwidthWindowNs, maxSeries, ttlNs, spread, topK, views,
            networks, networksFile, reloadNs, prefixLengths, interfaces);
    }

    /**
     * Without a networks file, a {@code src_net_<attribute>} dimension must name an attribute some
     * entry of {@code networks} has: otherwise it is a typo that would only ever show empty labels.
     */
    private void checkAttributes(
        final YamlFields.Section s, final List<NetworkSettings> networks, final List<Dimension> dimensions,
        final List<ViewSettings> views)
    {
        final Set<String> known = new LinkedHashSet<>();
        networks.forEach(n -> known.addAll(n.attributes().keySet()));
        final List<Dimension> all = new ArrayList<>(dimensions);
        views.forEach(v -> all.addAll(v.dimensions()));
        for (final Dimension d : all)
        {
            if (d.attribute() != null && !known.contains(d.attribute()))
            {
                final Node n = s.value("dimensions") != null ? s.value("dimensions") : s.node;
                y.error(n, s.pathOf("dimensions"), "dimension " + d.configName() + ": no entry of " +
                    s.pathOf("networks") + " has the attribute \"" + d.attribute() + "\"" +
                    (known.isEmpty() ? "" : " (attributes: " + String.join(", ", known) + ")"));
            }
        }
    }

    private static String formatWindows(final List<Long> windows)
    {
        return String.join(", ", windows.stream().map(Durations::format).toList());
    }

    /** Reads a list of dimension names; unknown and repeated names are reported and skipped. */
    static List<Dimension> dimensions(final YamlFields y, final Node node, final String listPath)
    {
        final List<Dimension> out = new ArrayList<>();
        final List<String> names = Arrays.stream(Dimension.values()).map(Dimension::configName).toList();
        final List<Node> items = y.items(node, listPath, false);
        for (int i = 0; i < items.size(); i++)
        {
            final String path = listPath + "[" + i + "]";
            final String name = y.string(items.get(i), path, null);
            if (name == null)
            {
                continue;
            }
            final Dimension dim = Dimension.fromConfigName(name);
            if (dim == null)
            {
                y.error(items.get(i), path, Suggestions.unknown("dimension", name, names));
            }
            else if (out.contains(dim))
            {
                y.error(items.get(i), path, "duplicate dimension \"" + name + "\"");
            }
            else
            {
                out.add(dim);
            }
        }
        return List.copyOf(out);
    }

    private List<ViewSettings> views(final YamlFields.Section s, final int defaultMaxSeries)
    {
        final List<ViewSettings> out = new ArrayList<>();
        final ViewBinder view = new ViewBinder(y, defaultMaxSeries);
        final List<Node> items = y.items(s.value("views"), s.pathOf("views"), false);
        for (int i = 0; i < items.size(); i++)
        {
            final YamlFields.Section v = y.section(items.get(i), s.pathOf("views") + "[" + i + "]", view.keys());
            if (!(items.get(i) instanceof MappingNode))
            {
                continue;
            }
            final ViewSettings settings = view.bind(v);
            if (settings != null)
            {
                out.add(settings);
            }
        }
        return List.copyOf(out);
    }
}
