package io.goflow.exporter.config;

import io.goflow.exporter.decoders.AddressText;
import io.goflow.exporter.decoders.DecoderSettings;
import io.goflow.exporter.decoders.FlowRecord;
import io.goflow.exporter.decoders.ListenerProtocol;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.goflow.exporter.config.Durations.DAY_NS;
import static io.goflow.exporter.config.Durations.SECOND_NS;

/**
 * Loads the YAML configuration into one immutable {@link Settings} and validates it completely
 * before anything starts. Every key is optional (defaults on the section records). The file is
 * composed to SnakeYAML nodes, never constructed to objects, so each error carries the line of the
 * key or value it is about; all errors are collected and thrown together as a
 * {@link ConfigException}, each rendered as {@code <file>:<line>: <key.path>: <message>}.
 *
 * <p>Ranges enforced are listed in {@code docs/configuration.md}; they are the constants below.
 */
public final class ConfigLoader
{
    public static final int MAX_SERIES_MAX = 10_000_000;
    public static final int TOP_K_MAX = 1_000_000;

    public static final long TIME_WINDOW_MIN_NS = SECOND_NS;
    public static final long TIME_WINDOW_MAX_NS = 7 * DAY_NS;
    public static final long SERIES_TTL_MAX_NS = 30 * DAY_NS;


    /**
     * Label names the collector itself puts on metrics; a {@code custom_labels} name may not
     * reuse one of them (nor {@code job}/{@code instance}, which Prometheus owns).
     */
    public static final Set<String> RESERVED_LABELS;

    static
    {
        final Set<String> reserved = new LinkedHashSet<>();
        for (final Dimension d : Dimension.values())
        {
            reserved.add(d.labelName());
        }
        reserved.addAll(List.of(
            "window", "view", "flow_type", "reason", "listener", "address", "port", "database", "if_index", "side",
            "asn", "org", "country", "city", "city_id", "src_city", "dst_city", "latitude", "longitude", "le", "if_name",
            "quantile", "job", "instance"));
        RESERVED_LABELS = Set.copyOf(reserved);
    }

    private static final Pattern METRIC_NAME_PART = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern VIEW_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private static final List<String> TOP_KEYS =
        List.of("server", "performance", "aggregation", "enrichment", "metrics", "logging", "decoder");
    private static final List<String> AGGREGATION_KEYS = List.of(
        "time_windows", "dimensions", "bandwidth_window", "max_series", "series_ttl", "spread_long_flows", "top_k",
        "views", "networks", "networks_file", "networks_reload_interval", "prefix_lengths", "interfaces");
    private static final List<String> VIEW_KEYS = List.of("name", "dimensions", "max_series", "top_k");
    private static final List<String> METRICS_KEYS =
        List.of("namespace", "subsystem", "enabled_labels", "custom_labels", "jvm_metrics", "window_rates");

    private final YamlFields y;

    private ConfigLoader(final String sourceName)
    {
        this.y = new YamlFields(sourceName);
    }

    /**
     * Reads and validates a configuration file.
     *
     * @throws IOException     when the file cannot be read (a runtime failure, not a config error).
     * @throws ConfigException with every validation error found.
     */
    public static Settings load(final Path path) throws IOException, ConfigException
    {
        final String text;
        try
        {
            text = Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (final CharacterCodingException ex)
        {
            throw new ConfigException(List.of(new ConfigError(path.toString(), 0, "(yaml)", "not UTF-8 text")));
        }
        return loadString(text, path.toString());
    }

    /**
     * Validates YAML text; {@code sourceName} prefixes every error. Empty text gives the defaults.
     *
     * @throws ConfigException with every validation error found.
     */
    public static Settings loadString(final String yaml, final String sourceName) throws ConfigException
    {
        return new ConfigLoader(sourceName).parse(yaml);
    }

    /** @return true when {@code yaml} holds no document (nothing but blanks and comments). */
    public static boolean isEmptyDocument(final String yaml)
    {
        try
        {
            return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml)) == null;
        }
        catch (final YAMLException ex)
        {
            return false;
        }
    }

    private Settings parse(final String yaml) throws ConfigException
    {
        final Node root;
        try
        {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);
            options.setMaxAliasesForCollections(50);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        }
        catch (final MarkedYAMLException ex)
        {
            final Mark mark = ex.getProblemMark() != null ? ex.getProblemMark() : ex.getContextMark();
            final String problem = ex.getProblem() != null ? ex.getProblem() : ex.getMessage();
            throw new ConfigException(List.of(new ConfigError(
                y.source(), mark == null ? 0 : mark.getLine() + 1, "(yaml)", "syntax error: " + problem)));
        }
        catch (final YAMLException ex)
        {
            throw new ConfigException(List.of(new ConfigError(y.source(), 0, "(yaml)", ex.getMessage())));
        }

        final YamlFields.Section top = y.section(root, "", TOP_KEYS);
        final ServerSettings server = new ServerBinder(y).bind(top.value("server"), "server");
        final PerformanceSettings performance = new PerformanceBinder(y).bind(top.value("performance"), "performance");
        final AggregationSettings aggregation =
            aggregation(y.section(top.value("aggregation"), "aggregation", AGGREGATION_KEYS));
        final EnrichmentSettings enrichment = new EnrichmentBinder(y).bind(top.value("enrichment"), "enrichment");
        final MetricsSettings metrics = metrics(y.section(top.value("metrics"), "metrics", METRICS_KEYS));
        final LoggingSettings logging = new LoggingBinder(y).bind(top.value("logging"), "logging");
        final DecoderSettings decoder = new DecoderBinder(y).bind(top.value("decoder"), "decoder");

        if (!y.errors().isEmpty())
        {
            final List<ConfigError> sorted = new ArrayList<>(y.errors());
            sorted.sort(java.util.Comparator.comparingInt(ConfigError::line));
            throw new ConfigException(sorted);
        }
        return new Settings(server, performance, aggregation, enrichment, metrics, logging, decoder);
    }

    private AggregationSettings aggregation(final YamlFields.Section s)
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
            dimensions(s.value("dimensions"), s.pathOf("dimensions"));

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
            AggregationSettings.NETWORKS_RELOAD_INTERVAL_DEFAULT_NS, SECOND_NS, EnrichmentBinder.RELOAD_INTERVAL_MAX_NS);
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

    private List<Dimension> dimensions(final Node node, final String listPath)
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
        final Map<String, String> names = new HashMap<>();
        final List<Node> items = y.items(s.value("views"), s.pathOf("views"), false);
        for (int i = 0; i < items.size(); i++)
        {
            final String path = s.pathOf("views") + "[" + i + "]";
            final YamlFields.Section v = y.section(items.get(i), path, VIEW_KEYS);
            if (!(items.get(i) instanceof MappingNode))
            {
                continue;
            }
            final Node nameNode = v.value("name");
            String name = null;
            if (nameNode == null)
            {
                y.error(items.get(i), path, "missing required key \"name\"");
            }
            else
            {
                name = y.string(nameNode, v.pathOf("name"), null);
                if (name != null && !VIEW_NAME.matcher(name).matches())
                {
                    y.error(nameNode, v.pathOf("name"),
                        "\"" + name + "\" is not metric-name safe; use [a-z][a-z0-9_]*");
                    name = null;
                }
                else if ("main".equals(name))
                {
                    y.error(nameNode, v.pathOf("name"),
                        "\"main\" is the name of the main view (label view=\"main\"); choose another name");
                    name = null;
                }
                else if (name != null && names.putIfAbsent(name, path) != null)
                {
                    y.error(nameNode, v.pathOf("name"),
                        "view \"" + name + "\" is already defined by " + names.get(name));
                    name = null;
                }
            }
            final Node dimsNode = v.value("dimensions");
            List<Dimension> dims = List.of();
            if (dimsNode == null)
            {
                y.error(items.get(i), path, "missing required key \"dimensions\"");
            }
            else
            {
                dims = dimensions(dimsNode, v.pathOf("dimensions"));
            }
            final int maxSeries = (int)y.integer(v, "max_series", defaultMaxSeries, 1, MAX_SERIES_MAX);
            final int topK = (int)y.integer(v, "top_k", 0, 0, TOP_K_MAX);
            if (name != null)
            {
                out.add(new ViewSettings(name, dims, maxSeries, topK));
            }
        }
        return List.copyOf(out);
    }

    private MetricsSettings metrics(final YamlFields.Section s)
    {
        final MetricsSettings d = MetricsSettings.defaults();
        final String namespace = metricNamePart(s, "namespace", d.namespace());
        final String subsystem = metricNamePart(s, "subsystem", d.subsystem());

        List<LabelGroup> groups = d.enabledLabels();
        if (s.value("enabled_labels") != null)
        {
            final List<LabelGroup> parsed = new ArrayList<>();
            final List<String> names = Arrays.stream(LabelGroup.values()).map(LabelGroup::configName).toList();
            final List<Node> items = y.items(s.value("enabled_labels"), s.pathOf("enabled_labels"), false);
            for (int i = 0; i < items.size(); i++)
            {
                final String path = s.pathOf("enabled_labels") + "[" + i + "]";
                final String name = y.string(items.get(i), path, null);
                if (name == null)
                {
                    continue;
                }
                final LabelGroup g = LabelGroup.fromConfigName(name);
                if (g == null)
                {
                    y.error(items.get(i), path, Suggestions.unknown("label group", name, names));
                }
                else if (parsed.contains(g))
                {
                    y.error(items.get(i), path, "duplicate label group \"" + name + "\"");
                }
                else
                {
                    parsed.add(g);
                }
            }
            groups = List.copyOf(parsed);
        }

        final Map<String, String> custom = new LinkedHashMap<>();
        final YamlFields.Section labels = customLabelsSection(s);
        for (final Map.Entry<String, NodeTuple> e : labels.entries.entrySet())
        {
            final String name = e.getKey();
            final Node keyNode = e.getValue().getKeyNode();
            final String path = labels.pathOf(name);
            if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__"))
            {
                y.error(keyNode, path, "\"" + name + "\" is not a valid label name; use [a-zA-Z_][a-zA-Z0-9_]*" +
                    " not starting with __");
                continue;
            }
            if (RESERVED_LABELS.contains(name))
            {
                y.error(keyNode, path, "label \"" + name + "\" clashes with a label the collector sets");
                continue;
            }
            final Node valueNode = e.getValue().getValueNode();
            final String value = YamlFields.isNull(valueNode) ? "" : y.string(valueNode, path, null);
            if (value != null)
            {
                custom.put(name, value);
            }
        }
        return new MetricsSettings(namespace, subsystem, groups, java.util.Collections.unmodifiableMap(custom),
            y.bool(s, "jvm_metrics", d.jvmMetrics()), y.bool(s, "window_rates", d.windowRates()));
    }

    /** custom_labels accepts any key name, so it is read without a key list. */
    private YamlFields.Section customLabelsSection(final YamlFields.Section s)
    {
        final Node node = s.value("custom_labels");
        final YamlFields.Section out = new YamlFields.Section(s.pathOf("custom_labels"), node);
        if (node == null)
        {
            return out;
        }
        if (!(node instanceof MappingNode mapping))
        {
            y.error(node, out.path, "expected a mapping, got " + YamlFields.describe(node));
            return out;
        }
        final List<String> names = new ArrayList<>();
        for (final NodeTuple t : mapping.getValue())
        {
            if (t.getKeyNode() instanceof ScalarNode k)
            {
                names.add(k.getValue());
            }
        }
        return y.section(node, out.path, names);
    }

    private String metricNamePart(final YamlFields.Section s, final String key, final String fallback)
    {
        final String v = y.string(s, key, fallback);
        if (!v.isEmpty() && !METRIC_NAME_PART.matcher(v).matches())
        {
            y.error(s.value(key), s.pathOf(key), "\"" + v + "\" is not metric-name safe; use [a-zA-Z_][a-zA-Z0-9_]*");
            return fallback;
        }
        return v;
    }
}
