package io.goflow.exporter.config;

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

import java.io.IOException;
import java.io.StringReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the network and interface lists: {@code aggregation.networks}, the
 * {@code aggregation.networks_file} (a YAML list of the same entries, or a mapping with a
 * {@code networks:} key holding it), {@code aggregation.prefix_lengths} and
 * {@code aggregation.interfaces}. Errors go to the {@link YamlFields} of the file being read, with
 * their line.
 */
public final class NetworkListParser
{
    /** Largest networks file read, bytes. */
    public static final long NETWORKS_FILE_MAX_BYTES = 256L << 20;
    /** Longest name or attribute value, characters. */
    public static final int LABEL_VALUE_MAX = 256;
    /** Largest interface speed accepted, bits per second (10 Tbit/s). */
    public static final long SPEED_MAX_BPS = 10_000_000_000_000L;
    /** Largest number of entries of {@code aggregation.interfaces}. */
    public static final int INTERFACES_MAX = 65_536;

    private static final List<String> INTERFACE_KEYS = List.of("exporter", "index", "name", "speed");

    private final YamlFields y;

    NetworkListParser(final YamlFields y)
    {
        this.y = y;
    }

    /**
     * Reads a networks file.
     *
     * @throws IOException     when it cannot be read.
     * @throws ConfigException with every error, each as {@code <file>:<line>: <path>: <message>}.
     */
    public static List<NetworkSettings> loadFile(final Path path) throws IOException, ConfigException
    {
        final YamlFields y = new YamlFields(path.toString());
        if (Files.size(path) > NETWORKS_FILE_MAX_BYTES)
        {
            throw new ConfigException(List.of(new ConfigError(path.toString(), 0, "(file)",
                "larger than " + NETWORKS_FILE_MAX_BYTES + " bytes")));
        }
        final String text;
        try
        {
            text = Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (final CharacterCodingException ex)
        {
            throw new ConfigException(List.of(new ConfigError(path.toString(), 0, "(yaml)", "not UTF-8 text")));
        }
        final Node root = compose(text, y);
        Node list = root;
        if (root instanceof MappingNode)
        {
            final YamlFields.Section s = y.section(root, "", List.of("networks"));
            list = s.value("networks");
        }
        final List<NetworkSettings> out = YamlFields.isNull(root) || root == null ? List.of() :
            new NetworkListParser(y).networks(list, root instanceof MappingNode ? "networks" : "");
        if (!y.errors().isEmpty())
        {
            throw new ConfigException(y.errors());
        }
        return out;
    }

    private static Node compose(final String text, final YamlFields y) throws ConfigException
    {
        try
        {
            final LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            options.setCodePointLimit((int)Math.min(Integer.MAX_VALUE, NETWORKS_FILE_MAX_BYTES));
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        }
        catch (final MarkedYAMLException ex)
        {
            final Mark mark = ex.getProblemMark() != null ? ex.getProblemMark() : ex.getContextMark();
            throw new ConfigException(List.of(new ConfigError(y.source(), mark == null ? 0 : mark.getLine() + 1,
                "(yaml)", "syntax error: " + (ex.getProblem() != null ? ex.getProblem() : ex.getMessage()))));
        }
        catch (final YAMLException ex)
        {
            throw new ConfigException(List.of(new ConfigError(y.source(), 0, "(yaml)", ex.getMessage())));
        }
    }

    /** @return the entries of a networks list; a duplicate prefix is an error. */
    List<NetworkSettings> networks(final Node node, final String listPath)
    {
        final List<NetworkSettings> out = new ArrayList<>();
        final Map<String, String> seen = new HashMap<>();
        final List<Node> items = y.items(node, listPath.isEmpty() ? "(root)" : listPath, false);
        for (int i = 0; i < items.size(); i++)
        {
            final String path = listPath + "[" + i + "]";
            final Node item = items.get(i);
            if (!(item instanceof MappingNode mapping))
            {
                y.error(item, path, "expected a mapping {prefix: CIDR, name: ...}, got " + YamlFields.describe(item));
                continue;
            }
            String prefix = null;
            Node prefixNode = null;
            String name = null;
            final Map<String, String> attributes = new LinkedHashMap<>();
            for (final NodeTuple t : mapping.getValue())
            {
                if (!(t.getKeyNode() instanceof ScalarNode keyNode))
                {
                    y.error(t.getKeyNode(), path, "keys must be plain names");
                    continue;
                }
                final String key = keyNode.getValue();
                final String keyPath = path + "." + key;
                final String value = labelValue(t.getValueNode(), keyPath);
                if (key.equals("prefix"))
                {
                    prefix = value;
                    prefixNode = t.getValueNode();
                }
                else if (key.equals("name"))
                {
                    name = value;
                }
                else if (!Dimension.ATTRIBUTE_NAME.matcher(key).matches())
                {
                    y.error(keyNode, keyPath, "attribute \"" + key + "\" is not a label-safe name; use " +
                        Dimension.ATTRIBUTE_NAME.pattern());
                }
                else if (attributes.containsKey(key))
                {
                    y.error(keyNode, keyPath, "duplicate attribute \"" + key + "\"");
                }
                else if (value != null)
                {
                    attributes.put(key, value);
                }
            }
            if (prefixNode == null)
            {
                y.error(item, path, "missing required key \"prefix\"");
                continue;
            }
            if (prefix == null)
            {
                continue;
            }
            final NetworkSettings network = parsePrefix(prefixNode, path + ".prefix", prefix,
                name == null || name.isEmpty() ? prefix : name, attributes);
            if (network == null)
            {
                continue;
            }
            final String key = network.hi() + "/" + network.lo() + "/" + network.length() + "/" + network.ipv4();
            final String previous = seen.putIfAbsent(key, path);
            if (previous != null)
            {
                y.error(prefixNode, path + ".prefix", "prefix " + prefix + " is already listed at " + previous);
                continue;
            }
            out.add(network);
        }
        return List.copyOf(out);
    }

    private String labelValue(final Node n, final String path)
    {
        if (!(n instanceof ScalarNode scalar) || YamlFields.isNull(n))
        {
            y.error(n, path, "expected a string, got " + YamlFields.describe(n));
            return null;
        }
        if (scalar.getValue().length() > LABEL_VALUE_MAX)
        {
            y.error(n, path, "longer than " + LABEL_VALUE_MAX + " characters");
            return null;
        }
        return scalar.getValue();
    }

    private NetworkSettings parsePrefix(
        final Node node, final String path, final String prefix, final String name, final Map<String, String> attributes)
    {
        final String problem = IpLiterals.checkCidr(prefix);
        if (problem != null)
        {
            y.error(node, path, "bad CIDR \"" + prefix + "\": " + problem);
            return null;
        }
        final int slash = prefix.indexOf('/');
        final InetAddress address = IpLiterals.parse(slash < 0 ? prefix : prefix.substring(0, slash));
        final byte[] b = address.getAddress();
        final boolean ipv4 = address instanceof Inet4Address;
        final int length = slash < 0 ? b.length * 8 : Integer.parseInt(prefix.substring(slash + 1));
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < b.length; i++)
        {
            if (i < 8)
            {
                hi |= (b[i] & 0xFFL) << (56 - 8 * i);
            }
            else
            {
                lo |= (b[i] & 0xFFL) << (56 - 8 * (i - 8));
            }
        }
        return new NetworkSettings(prefix, hi, lo, length, ipv4, name, Map.copyOf(attributes));
    }

    /** @return {@code prefix_lengths}: {@code flow}, or a mapping {@code {ipv4: N, ipv6: N}}. */
    PrefixLengths prefixLengths(final Node node, final String path)
    {
        final PrefixLengths d = PrefixLengths.defaults();
        if (node == null)
        {
            return d;
        }
        if (node instanceof ScalarNode scalar)
        {
            if (!"flow".equals(scalar.getValue()))
            {
                y.error(node, path, "expected \"flow\" or a mapping {ipv4: 0..32, ipv6: 0..128}, got " +
                    YamlFields.describe(node));
            }
            return new PrefixLengths(d.ipv4(), d.ipv6(), true);
        }
        final YamlFields.Section s = y.section(node, path, List.of("ipv4", "ipv6"));
        return new PrefixLengths(
            (int)y.integer(s, "ipv4", d.ipv4(), 0, 32), (int)y.integer(s, "ipv6", d.ipv6(), 0, 128), false);
    }

    /** @return {@code interfaces}; an (exporter, index) listed twice is an error. */
    List<InterfaceSettings> interfaces(final Node node, final String listPath)
    {
        final List<InterfaceSettings> out = new ArrayList<>();
        final Map<String, String> seen = new HashMap<>();
        final List<Node> items = y.items(node, listPath, false);
        if (items.size() > INTERFACES_MAX)
        {
            y.error(node, listPath, items.size() + " entries, more than " + INTERFACES_MAX);
            return List.of();
        }
        for (int i = 0; i < items.size(); i++)
        {
            final String path = listPath + "[" + i + "]";
            final YamlFields.Section s = y.section(items.get(i), path, INTERFACE_KEYS);
            if (!(items.get(i) instanceof MappingNode))
            {
                continue;
            }
            final Node exporterNode = s.value("exporter");
            final Node indexNode = s.value("index");
            if (exporterNode == null || indexNode == null)
            {
                y.error(items.get(i), path, "missing required key \"" + (exporterNode == null ? "exporter" : "index") + "\"");
                continue;
            }
            final String exporter = y.string(exporterNode, s.pathOf("exporter"), null);
            final InetAddress address = exporter == null ? null : IpLiterals.parse(exporter);
            if (exporter != null && address == null)
            {
                y.error(exporterNode, s.pathOf("exporter"), "\"" + exporter + "\" is not an IPv4 or IPv6 address");
            }
            final long index = y.integer(indexNode, s.pathOf("index"), -1, 1, 0xFFFF_FFFFL);
            final String name = s.value("name") == null ? "" : labelValue(s.value("name"), s.pathOf("name"));
            final long speed = s.value("speed") == null ? 0 : speedBps(s.value("speed"), s.pathOf("speed"));
            if (address == null || index < 0 || name == null || speed < 0)
            {
                continue;
            }
            final long[] mapped = IpLiterals.mapped(address);
            final long hi = mapped[0];
            final long lo = mapped[1];
            final String key = hi + "/" + lo + "/" + index;
            final String previous = seen.putIfAbsent(key, path);
            if (previous != null)
            {
                y.error(indexNode, s.pathOf("index"), "interface " + exporter + " index " + index +
                    " is already listed at " + previous);
                continue;
            }
            out.add(new InterfaceSettings(exporter, hi, lo, index, name, speed));
        }
        return List.copyOf(out);
    }

    /**
     * @return a speed in bits per second from a number ({@code 1000000000}) or a decimal number
     * with an SI suffix and an optional {@code bps} ({@code 10G}, {@code 2.5G}, {@code 100M},
     * {@code 400Gbps}); -1 after reporting an error.
     */
    long speedBps(final Node node, final String path)
    {
        if (!(node instanceof ScalarNode scalar))
        {
            y.error(node, path, "expected a speed such as \"10G\", got " + YamlFields.describe(node));
            return -1;
        }
        final long bps = parseSpeedBps(scalar.getValue());
        if (bps < 0 || bps > SPEED_MAX_BPS)
        {
            y.error(node, path, "bad speed \"" + scalar.getValue() + "\"; use bits per second, optionally with " +
                "k, M, G or T (\"10G\", \"2.5G\", \"100M\"), at most 10T");
            return -1;
        }
        return bps;
    }

    /** @return the speed in bits per second, or -1 when {@code text} is not one. */
    static long parseSpeedBps(final String text)
    {
        String t = text.trim();
        if (t.toLowerCase(Locale.ROOT).endsWith("bps"))
        {
            t = t.substring(0, t.length() - 3);
        }
        long multiplier = 1;
        if (!t.isEmpty())
        {
            switch (t.charAt(t.length() - 1))
            {
                case 'k', 'K' -> multiplier = 1_000L;
                case 'M' -> multiplier = 1_000_000L;
                case 'G' -> multiplier = 1_000_000_000L;
                case 'T' -> multiplier = 1_000_000_000_000L;
                default -> multiplier = 0;
            }
            if (multiplier != 0)
            {
                t = t.substring(0, t.length() - 1);
            }
            else
            {
                multiplier = 1;
            }
        }
        if (t.isEmpty() || !t.matches("[0-9]{1,14}(\\.[0-9]{1,6})?"))
        {
            return -1;
        }
        return new java.math.BigDecimal(t).multiply(java.math.BigDecimal.valueOf(multiplier)).longValue();
    }
}
