package io.goflow.exporter.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reading of a composed YAML node tree that records every problem as a {@link ConfigError}
 * (with the node's line and key path) and returns a fallback value, so one pass finds every error.
 * Not thread-safe; one instance per load.
 */
final class YamlFields
{
    private final String source;
    private final List<ConfigError> errors = new ArrayList<>();

    YamlFields(final String source)
    {
        this.source = source;
    }

    String source()
    {
        return source;
    }

    List<ConfigError> errors()
    {
        return errors;
    }

    void error(final Node node, final String path, final String message)
    {
        final int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        errors.add(new ConfigError(source, line, path.isEmpty() ? "(root)" : path, message));
    }

    /** Keys and values of one mapping, by key name, in file order. */
    static final class Section
    {
        final String path;
        final Node node;
        final Map<String, NodeTuple> entries = new LinkedHashMap<>();
        /** Every key asked for by {@link #value}, in the order first asked (see {@link SectionBinder}). */
        final Set<String> asked = new LinkedHashSet<>();

        Section(final String path, final Node node)
        {
            this.path = path;
            this.node = node;
        }

        /** @return the value node of {@code key}, or null when absent or YAML null. */
        Node value(final String key)
        {
            asked.add(key);
            final NodeTuple t = entries.get(key);
            return t == null || isNull(t.getValueNode()) ? null : t.getValueNode();
        }

        String pathOf(final String key)
        {
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    /**
     * @return the section (empty when {@code node} is null or not a mapping, which is reported);
     * unknown keys are reported with a suggestion, duplicate keys as errors.
     */
    Section section(final Node node, final String path, final List<String> allowedKeys)
    {
        final Section section = new Section(path, node);
        if (node == null || isNull(node))
        {
            return section;
        }
        if (!(node instanceof MappingNode mapping))
        {
            error(node, path, "expected a mapping, got " + describe(node));
            return section;
        }
        for (final NodeTuple t : mapping.getValue())
        {
            final Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalarKey))
            {
                error(keyNode, path, "keys must be plain names, got " + describe(keyNode));
                continue;
            }
            final String key = scalarKey.getValue();
            final String keyPath = section.pathOf(key);
            if (!allowedKeys.contains(key))
            {
                error(keyNode, keyPath, Suggestions.unknown("key", key, allowedKeys));
            }
            else if (section.entries.containsKey(key))
            {
                error(keyNode, keyPath, "duplicate key (first at line " +
                    (section.entries.get(key).getKeyNode().getStartMark().getLine() + 1) + ")");
            }
            else
            {
                section.entries.put(key, t);
            }
        }
        return section;
    }

    /** Reads an integer key; absent or null gives {@code fallback}. */
    long integer(final Section s, final String key, final long fallback, final long min, final long max)
    {
        final Node n = s.value(key);
        return n == null ? fallback : integer(n, s.pathOf(key), fallback, min, max);
    }

    long integer(final Node n, final String path, final long fallback, final long min, final long max)
    {
        if (!(n instanceof ScalarNode scalar) || !Tag.INT.equals(n.getTag()))
        {
            error(n, path, "expected an integer, got " + describe(n));
            return fallback;
        }
        final BigInteger value = parseYamlInt(scalar.getValue());
        if (value == null)
        {
            error(n, path, "expected an integer, got " + describe(n));
            return fallback;
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0)
        {
            error(n, path, value + " is out of range " + min + ".." + max);
            return fallback;
        }
        return value.longValue();
    }

    boolean bool(final Section s, final String key, final boolean fallback)
    {
        final Node n = s.value(key);
        if (n == null)
        {
            return fallback;
        }
        if (!(n instanceof ScalarNode scalar) || !Tag.BOOL.equals(n.getTag()))
        {
            error(n, s.pathOf(key), "expected true or false, got " + describe(n));
            return fallback;
        }
        final String v = scalar.getValue().toLowerCase(java.util.Locale.ROOT);
        return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
    }

    String string(final Section s, final String key, final String fallback)
    {
        final Node n = s.value(key);
        return n == null ? fallback : string(n, s.pathOf(key), fallback);
    }

    /** Any scalar is accepted as its text (so {@code 01} stays {@code "01"}). */
    String string(final Node n, final String path, final String fallback)
    {
        if (!(n instanceof ScalarNode scalar) || isNull(n))
        {
            error(n, path, "expected a string, got " + describe(n));
            return fallback;
        }
        return scalar.getValue();
    }

    /** Reads a string key that must be one of {@code allowed}; absent, null or not allowed gives {@code fallback}. */
    String choice(
        final Section s,
        final String key,
        final String what,
        final List<String> allowed,
        final String fallback)
    {
        final Node n = s.value(key);
        if (n == null)
        {
            return fallback;
        }
        final String v = string(n, s.pathOf(key), null);
        if (v == null)
        {
            return fallback;
        }
        if (!allowed.contains(v))
        {
            error(n, s.pathOf(key), Suggestions.unknown(what, v, allowed));
            return fallback;
        }
        return v;
    }

    /** Reads an IPv4 or IPv6 literal (never a host name); not one gives null, reported. */
    String address(final Node n, final String path)
    {
        final String text = string(n, path, null);
        if (text == null)
        {
            return null;
        }
        if (IpLiterals.parse(text) == null)
        {
            error(n, path, "\"" + text + "\" is not an IPv4 or IPv6 address");
            return null;
        }
        return text;
    }

    long durationNs(final Section s, final String key, final long fallbackNs, final long minNs, final long maxNs)
    {
        final Node n = s.value(key);
        return n == null ? fallbackNs : durationNs(n, s.pathOf(key), fallbackNs, minNs, maxNs);
    }

    long durationNs(final Node n, final String path, final long fallbackNs, final long minNs, final long maxNs)
    {
        if (!(n instanceof ScalarNode scalar) || isNull(n))
        {
            error(n, path, "expected a duration such as \"90s\", got " + describe(n));
            return fallbackNs;
        }
        final long ns = Durations.parseNs(scalar.getValue());
        if (ns == Durations.INVALID)
        {
            error(n, path, "bad duration " + describe(n) +
                "; use a whole number and a unit ms, s, m, h or d, e.g. \"500ms\", \"90s\", \"1m\", \"1h\", \"30d\"");
            return fallbackNs;
        }
        if (ns < minNs || ns > maxNs)
        {
            error(n, path, "duration " + scalar.getValue() + " is out of range " +
                Durations.format(minNs) + ".." + Durations.format(maxNs));
            return fallbackNs;
        }
        return ns;
    }

    /** @return the items of a list (or, when {@code scalarAllowed}, a single scalar as one item). */
    List<Node> items(final Node n, final String path, final boolean scalarAllowed)
    {
        if (n == null)
        {
            return List.of();
        }
        if (n instanceof SequenceNode seq)
        {
            return seq.getValue();
        }
        if (scalarAllowed && n instanceof ScalarNode)
        {
            return List.of(n);
        }
        error(n, path, "expected a list, got " + describe(n));
        return List.of();
    }

    static boolean isNull(final Node n)
    {
        return n instanceof ScalarNode && Tag.NULL.equals(n.getTag());
    }

    static String describe(final Node n)
    {
        if (n instanceof MappingNode)
        {
            return "a mapping";
        }
        if (n instanceof SequenceNode)
        {
            return "a list";
        }
        if (n == null || isNull(n))
        {
            return "nothing";
        }
        final ScalarNode s = (ScalarNode)n;
        return Tag.STR.equals(n.getTag()) ? "\"" + s.getValue() + "\"" : s.getValue();
    }

    /** YAML 1.1 integer text (SnakeYAML's resolver): sign, underscores, 0x, 0o/0 octal, 0b. */
    private static BigInteger parseYamlInt(final String raw)
    {
        String t = raw.replace("_", "");
        int sign = 1;
        if (t.startsWith("-") || t.startsWith("+"))
        {
            sign = t.charAt(0) == '-' ? -1 : 1;
            t = t.substring(1);
        }
        try
        {
            final BigInteger v;
            if (t.startsWith("0x"))
            {
                v = new BigInteger(t.substring(2), 16);
            }
            else if (t.startsWith("0b"))
            {
                v = new BigInteger(t.substring(2), 2);
            }
            else if (t.startsWith("0o"))
            {
                v = new BigInteger(t.substring(2), 8);
            }
            else if (t.length() > 1 && t.startsWith("0"))
            {
                v = new BigInteger(t.substring(1), 8);
            }
            else
            {
                v = new BigInteger(t);
            }
            return sign < 0 ? v.negate() : v;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }
}
