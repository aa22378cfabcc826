package io.goflow.exporter.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds {@code metrics} to {@link MetricsSettings}. */
final class MetricsBinder extends SectionBinder<MetricsSettings>
{
    /**
     * Label names the collector itself puts on metrics; a {@code custom_labels} name may not
     * reuse one of them (nor {@code job}/{@code instance}, which Prometheus owns).
     */
    static final Set<String> RESERVED_LABELS;

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

    MetricsBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    MetricsSettings bind(final YamlFields.Section s)
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
        return new MetricsSettings(namespace, subsystem, groups, Collections.unmodifiableMap(custom),
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
