package io.goflow.exporter.acceptance;

import org.apache.logging.log4j.layout.template.json.util.JsonReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code NAME.truth.json} from {@code ../shared/testdata} (made by Wireshark, see the shared
 * README), read with the JSON reader Log4j's template layout already ships.
 */
final class Truth
{
    private final String name;
    private final Map<String, Object> root;

    private Truth(final String name, final Map<String, Object> root)
    {
        this.name = name;
        this.root = root;
    }

    @SuppressWarnings("unchecked")
    static Truth of(final Path capture)
    {
        final String file = capture.getFileName().toString().replaceFirst("\\.pcap$", ".truth.json");
        final Path path = capture.resolveSibling(file);
        try
        {
            return new Truth(file.replace(".truth.json", ""), (Map<String, Object>)JsonReader.read(Files.readString(path)));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    String name()
    {
        return name;
    }

    /** @return true when Wireshark could not decode everything: assert robustness, not totals. */
    boolean hasDecodeErrors()
    {
        return number("undecoded_data_flowsets") > 0 || number("malformed_frames") > 0 || !map("expert_errors").isEmpty();
    }

    long total(final String key)
    {
        return ((Number)map("totals").get(key)).longValue();
    }

    boolean isSflow()
    {
        return map("export_packets").containsKey("sflow_v5");
    }

    /** @return the sFlow section's value (e.g. {@code ip_bytes_scaled}): L3 bytes from the sampled headers. */
    long sflow(final String key)
    {
        return ((Number)map("sflow").get(key)).longValue();
    }

    /** @return the sFlow agent addresses of the truth's {@code exporters} keys ({@code "SRC agent=ADDR/SUB"}). */
    Set<String> sflowAgents()
    {
        final Set<String> out = new HashSet<>();
        for (final String key : map("exporters").keySet())
        {
            final int i = key.indexOf("agent=");
            if (i >= 0)
            {
                final int slash = key.indexOf('/', i);
                out.add(key.substring(i + 6, slash < 0 ? key.length() : slash));
            }
        }
        return out;
    }

    /** @return total (raw) datagrams of the capture. */
    long datagrams()
    {
        return number("udp_datagrams");
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> by5Tuple()
    {
        return (Map<String, Map<String, Object>>)root.get("by_5tuple");
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> section(final String key)
    {
        final Object o = root.get(key);
        return o == null ? Map.of() : (Map<String, Map<String, Object>>)o;
    }

    static long value(final Map<String, Object> entry, final String key)
    {
        final Object o = entry.get(key);
        return o == null ? 0 : ((Number)o).longValue();
    }

    long number(final String key)
    {
        final Object o = root.get(key);
        return o instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(final String key)
    {
        final Object o = root.get(key);
        return o instanceof Map ? (Map<String, Object>)o : Map.of();
    }

    /**
     * @param counter {@code flows}, {@code bytes_scaled} or {@code packets_scaled} (or raw).
     * @return per 5-tuple key {@code src|dst|proto|sport|dport}; ICMP (1, 58) keys have both
     *         ports set to 0, because exporters put type/code in different fields.
     */
    Map<String, Long> per5Tuple(final String counter)
    {
        final Map<String, Long> out = new HashMap<>();
        for (final Map.Entry<String, Map<String, Object>> e : by5Tuple().entrySet())
        {
            out.merge(normalize5Tuple(e.getKey()), value(e.getValue(), counter), Long::sum);
        }
        return out;
    }

    /** Ports of ICMP/ICMPv6 keys zeroed; empty ports read as 0. */
    static String normalize5Tuple(final String key)
    {
        final String[] f = key.split("\\|", -1);
        if (f.length != 5)
        {
            return key;
        }
        final boolean icmp = "1".equals(f[2]) || "58".equals(f[2]);
        final String sport = icmp || f[3].isEmpty() ? "0" : f[3];
        final String dport = icmp || f[4].isEmpty() ? "0" : f[4];
        return String.join("|", List.of(f[0], f[1], f[2], sport, dport));
    }
}
