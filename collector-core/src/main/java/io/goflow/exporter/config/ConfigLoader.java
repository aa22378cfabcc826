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
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private static final List<String> TOP_KEYS =
        List.of("server", "performance", "aggregation", "enrichment", "metrics", "logging", "decoder");
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
        final AggregationSettings aggregation = new AggregationBinder(y).bind(top.value("aggregation"), "aggregation");
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
