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
    public static final int PORT_MIN = 1;
    public static final int PORT_MAX = 65535;
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
    private static final List<String> SERVER_KEYS = List.of(
        "netflow_port", "sflow_port", "ipfix_port", "listen_addr", "interface", "listeners", "metrics_port",
        "metrics_path", "metrics_addr", "web_config_file");
    private static final List<String> LISTENER_KEYS =
        List.of("protocol", "address", "port", "interface", "allowed_exporters");
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
        final ServerSettings server = server(y.section(top.value("server"), "server", SERVER_KEYS));
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

    private ServerSettings server(final YamlFields.Section s)
    {
        final ServerSettings d = ServerSettings.defaults();
        final int netflowPort = port(s, "netflow_port", d.netflowPort());
        final int sflowPort = port(s, "sflow_port", d.sflowPort());
        final int ipfixPort = port(s, "ipfix_port", d.ipfixPort());

        final List<String> listenAddrs = new ArrayList<>();
        final Node listenNode = s.value("listen_addr");
        final List<Node> addrItems = y.items(listenNode, s.pathOf("listen_addr"), true);
        for (int i = 0; i < addrItems.size(); i++)
        {
            final String path = listenNode instanceof ScalarNode ?
                s.pathOf("listen_addr") : s.pathOf("listen_addr") + "[" + i + "]";
            final String a = address(addrItems.get(i), path);
            if (a != null)
            {
                listenAddrs.add(a);
            }
        }
        if (listenNode instanceof SequenceNode && addrItems.isEmpty())
        {
            y.error(listenNode, s.pathOf("listen_addr"), "must name at least one address");
        }
        final List<String> effectiveAddrs = listenAddrs.isEmpty() ? d.listenAddrs() : List.copyOf(listenAddrs);

        final String interfaceName = y.string(s, "interface", d.interfaceName());
        final int metricsPort = port(s, "metrics_port", d.metricsPort());
        final String metricsPath = y.string(s, "metrics_path", d.metricsPath());
        if (s.value("metrics_path") != null)
        {
            checkMetricsPath(s.value("metrics_path"), s.pathOf("metrics_path"), metricsPath);
        }
        String metricsAddr = d.metricsAddr();
        if (s.value("metrics_addr") != null)
        {
            final String a = address(s.value("metrics_addr"), s.pathOf("metrics_addr"));
            metricsAddr = a == null ? metricsAddr : a;
        }

        final List<ListenerSettings> listeners = listeners(s, effectiveAddrs);
        if (s.value("listeners") == null)
        {
            checkDerivedPorts(s, netflowPort, sflowPort, ipfixPort);
        }
        final String webConfigFile = y.string(s, "web_config_file", d.webConfigFile());
        return new ServerSettings(netflowPort, sflowPort, ipfixPort, effectiveAddrs, interfaceName,
            listeners, metricsPort, metricsPath, metricsAddr, webConfigFile);
    }

    private void checkMetricsPath(final Node node, final String path, final String value)
    {
        if (!value.startsWith("/") || value.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#'))
        {
            y.error(node, path, "\"" + value + "\" must start with \"/\" and hold no spaces, '?' or '#'");
        }
        else if (value.equals("/") || value.equals("/healthz"))
        {
            y.error(node, path, "\"" + value + "\" is reserved (landing page and health check)");
        }
    }

    private void checkDerivedPorts(final YamlFields.Section s, final int netflow, final int sflow, final int ipfix)
    {
        final Map<Integer, String> used = new HashMap<>();
        final String[] keys = {"netflow_port", "sflow_port", "ipfix_port"};
        final int[] ports = {netflow, sflow, ipfix};
        for (int i = 0; i < keys.length; i++)
        {
            final String previous = used.putIfAbsent(ports[i], keys[i]);
            if (previous != null)
            {
                final Node n = s.value(keys[i]) != null ? s.value(keys[i]) : s.node;
                y.error(n, s.pathOf(keys[i]), "port " + ports[i] + " is already used by " + s.pathOf(previous));
            }
        }
    }

    private List<ListenerSettings> listeners(final YamlFields.Section s, final List<String> listenAddrs)
    {
        final List<ListenerSettings> out = new ArrayList<>();
        final Map<String, String> used = new HashMap<>();
        final List<Node> items = y.items(s.value("listeners"), s.pathOf("listeners"), false);
        for (int i = 0; i < items.size(); i++)
        {
            final String path = s.pathOf("listeners") + "[" + i + "]";
            final YamlFields.Section l = y.section(items.get(i), path, LISTENER_KEYS);
            if (!(items.get(i) instanceof MappingNode))
            {
                continue;
            }
            ListenerProtocol protocol = null;
            final Node protocolNode = l.value("protocol");
            if (protocolNode == null)
            {
                y.error(items.get(i), path, "missing required key \"protocol\"");
            }
            else
            {
                final String p = y.string(protocolNode, l.pathOf("protocol"), null);
                if (p != null)
                {
                    protocol = ListenerProtocol.fromConfigName(p);
                    if (protocol == null)
                    {
                        y.error(protocolNode, l.pathOf("protocol"), Suggestions.unknown("protocol", p,
                            Arrays.stream(ListenerProtocol.values()).map(ListenerProtocol::configName).toList()));
                    }
                }
            }
            int port = -1;
            final Node portNode = l.value("port");
            if (portNode == null)
            {
                y.error(items.get(i), path, "missing required key \"port\"");
            }
            else
            {
                port = (int)y.integer(portNode, l.pathOf("port"), -1, PORT_MIN, PORT_MAX);
            }
            final List<String> addresses = new ArrayList<>();
            if (l.value("address") != null)
            {
                final String a = address(l.value("address"), l.pathOf("address"));
                if (a != null)
                {
                    addresses.add(a);
                }
            }
            else
            {
                addresses.addAll(listenAddrs);
            }
            final String interfaceName = y.string(l, "interface", "");
            final List<String> allowed = new ArrayList<>();
            final List<Node> allowedItems = y.items(l.value("allowed_exporters"), l.pathOf("allowed_exporters"), false);
            for (int j = 0; j < allowedItems.size(); j++)
            {
                final String itemPath = l.pathOf("allowed_exporters") + "[" + j + "]";
                final String cidr = y.string(allowedItems.get(j), itemPath, null);
                if (cidr == null)
                {
                    continue;
                }
                final String problem = IpLiterals.checkCidr(cidr);
                if (problem != null)
                {
                    y.error(allowedItems.get(j), itemPath, "bad CIDR \"" + cidr + "\": " + problem);
                }
                else
                {
                    allowed.add(cidr);
                }
            }
            if (protocol == null || port < 0)
            {
                continue;
            }
            for (final String address : addresses)
            {
                final String bind = interfaceName.isEmpty() ? IpLiterals.canonical(address) : "interface " + interfaceName;
                final String previous = used.putIfAbsent(bind + "#" + port, path);
                if (previous != null && !previous.equals(path))
                {
                    y.error(portNode, l.pathOf("port"),
                        "port " + port + " on " + bind + " is already used by " + previous);
                }
                out.add(new ListenerSettings(protocol, address, port, interfaceName, List.copyOf(allowed)));
                if (!interfaceName.isEmpty())
                {
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    private int port(final YamlFields.Section s, final String key, final int fallback)
    {
        return (int)y.integer(s, key, fallback, PORT_MIN, PORT_MAX);
    }

    private String address(final Node n, final String path)
    {
        final String text = y.string(n, path, null);
        if (text == null)
        {
            return null;
        }
        if (IpLiterals.parse(text) == null)
        {
            y.error(n, path, "\"" + text + "\" is not an IPv4 or IPv6 address");
            return null;
        }
        return text;
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
