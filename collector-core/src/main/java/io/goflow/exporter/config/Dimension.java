package io.goflow.exporter.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A grouping dimension: its {@link Kind}, config name (also the Prometheus label name) and the
 * {@code metrics.enabled_labels} group that switches it (null when no group switches it off).
 *
 * <p>The fixed dimensions are constants ({@link #SRC_ADDR}, ...). Network attributes are open-ended:
 * {@code src_net_<attribute>} and {@code dst_net_<attribute>} are made by {@link #fromConfigName}
 * for any attribute name of the networks list ({@code role}, {@code site}, {@code tenant}, ...), so
 * dimensions compare by config name.
 */
public final class Dimension
{
    /** What a dimension reads from a record; attribute dimensions also carry the attribute name. */
    public enum Kind
    {
        EXPORTER, SRC_ADDR, DST_ADDR, PROTOCOL, SRC_PORT, DST_PORT, IN_IF, OUT_IF, SRC_COUNTRY, DST_COUNTRY,
        SRC_ASN, DST_ASN, SRC_NET, DST_NET, SRC_NET_ATTRIBUTE, DST_NET_ATTRIBUTE, IP_VERSION, DSCP, TCP_FLAGS,
        VLAN, DIRECTION, NEXT_HOP, FORWARDING_STATUS, ICMP_TYPE, ICMP_CODE, SAMPLER, IN_IF_NAME, OUT_IF_NAME
    }

    /** Prefix of the source network attribute dimensions, {@code src_net_<attribute>}. */
    public static final String SRC_NET_ATTRIBUTE_PREFIX = "src_net_";
    public static final String DST_NET_ATTRIBUTE_PREFIX = "dst_net_";
    /** Attribute names usable in {@code src_net_<attribute>}: metric-label safe, lower case. */
    public static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public static final Dimension EXPORTER = new Dimension(Kind.EXPORTER, "exporter", null, null);
    public static final Dimension SRC_ADDR = new Dimension(Kind.SRC_ADDR, "src_addr", null, null);
    public static final Dimension DST_ADDR = new Dimension(Kind.DST_ADDR, "dst_addr", null, null);
    public static final Dimension PROTOCOL = new Dimension(Kind.PROTOCOL, "protocol", null, null);
    public static final Dimension SRC_PORT = new Dimension(Kind.SRC_PORT, "src_port", LabelGroup.PORTS, null);
    public static final Dimension DST_PORT = new Dimension(Kind.DST_PORT, "dst_port", LabelGroup.PORTS, null);
    public static final Dimension IN_IF = new Dimension(Kind.IN_IF, "in_if", LabelGroup.INTERFACES, null);
    public static final Dimension OUT_IF = new Dimension(Kind.OUT_IF, "out_if", LabelGroup.INTERFACES, null);
    public static final Dimension SRC_COUNTRY = new Dimension(Kind.SRC_COUNTRY, "src_country", LabelGroup.GEO, null);
    public static final Dimension DST_COUNTRY = new Dimension(Kind.DST_COUNTRY, "dst_country", LabelGroup.GEO, null);
    public static final Dimension SRC_ASN = new Dimension(Kind.SRC_ASN, "src_asn", LabelGroup.ASN, null);
    public static final Dimension DST_ASN = new Dimension(Kind.DST_ASN, "dst_asn", LabelGroup.ASN, null);
    public static final Dimension SRC_NET = new Dimension(Kind.SRC_NET, "src_net", null, null);
    public static final Dimension DST_NET = new Dimension(Kind.DST_NET, "dst_net", null, null);
    public static final Dimension IP_VERSION = new Dimension(Kind.IP_VERSION, "ip_version", null, null);
    public static final Dimension DSCP = new Dimension(Kind.DSCP, "dscp", null, null);
    public static final Dimension TCP_FLAGS = new Dimension(Kind.TCP_FLAGS, "tcp_flags", null, null);
    public static final Dimension VLAN = new Dimension(Kind.VLAN, "vlan", null, null);
    public static final Dimension DIRECTION = new Dimension(Kind.DIRECTION, "direction", null, null);
    public static final Dimension NEXT_HOP = new Dimension(Kind.NEXT_HOP, "next_hop", null, null);
    public static final Dimension FORWARDING_STATUS =
        new Dimension(Kind.FORWARDING_STATUS, "forwarding_status", null, null);
    public static final Dimension ICMP_TYPE = new Dimension(Kind.ICMP_TYPE, "icmp_type", null, null);
    public static final Dimension ICMP_CODE = new Dimension(Kind.ICMP_CODE, "icmp_code", null, null);
    public static final Dimension SAMPLER = new Dimension(Kind.SAMPLER, "sampler", null, null);
    public static final Dimension IN_IF_NAME = new Dimension(Kind.IN_IF_NAME, "in_if_name", LabelGroup.INTERFACES, null);
    public static final Dimension OUT_IF_NAME =
        new Dimension(Kind.OUT_IF_NAME, "out_if_name", LabelGroup.INTERFACES, null);

    private static final List<Dimension> FIXED = List.of(
        EXPORTER, SRC_ADDR, DST_ADDR, PROTOCOL, SRC_PORT, DST_PORT, IN_IF, OUT_IF, SRC_COUNTRY, DST_COUNTRY,
        SRC_ASN, DST_ASN, SRC_NET, DST_NET, IP_VERSION, DSCP, TCP_FLAGS, VLAN, DIRECTION, NEXT_HOP,
        FORWARDING_STATUS, ICMP_TYPE, ICMP_CODE, SAMPLER, IN_IF_NAME, OUT_IF_NAME);

    private final Kind kind;
    private final String configName;
    private final LabelGroup group;
    private final String attribute;

    private Dimension(final Kind kind, final String configName, final LabelGroup group, final String attribute)
    {
        this.kind = kind;
        this.configName = configName;
        this.group = group;
        this.attribute = attribute;
    }

    /** @return the fixed dimensions (every one but the attribute dimensions), in documentation order. */
    public static Dimension[] values()
    {
        return FIXED.toArray(new Dimension[0]);
    }

    public Kind kind()
    {
        return kind;
    }

    /** @return the network attribute of a {@code src_net_<attribute>} dimension, else null. */
    public String attribute()
    {
        return attribute;
    }

    /** Name in {@code aggregation.dimensions}; also the Prometheus label name. */
    public String configName()
    {
        return configName;
    }

    public String labelName()
    {
        return configName;
    }

    /** @return the label group that must be enabled for this dimension, or null for always-on. */
    public LabelGroup group()
    {
        return group;
    }

    /** @return true for {@code src_net}, {@code dst_net} and the network attribute dimensions. */
    public boolean isNetwork()
    {
        return kind == Kind.SRC_NET || kind == Kind.DST_NET ||
            kind == Kind.SRC_NET_ATTRIBUTE || kind == Kind.DST_NET_ATTRIBUTE;
    }

    /**
     * @return the dimension named {@code name}: a fixed one, or {@code src_net_<attribute>} /
     * {@code dst_net_<attribute>} for an attribute name matching {@link #ATTRIBUTE_NAME}; else null.
     */
    public static Dimension fromConfigName(final String name)
    {
        for (final Dimension d : FIXED)
        {
            if (d.configName.equals(name))
            {
                return d;
            }
        }
        if (name.startsWith(SRC_NET_ATTRIBUTE_PREFIX) || name.startsWith(DST_NET_ATTRIBUTE_PREFIX))
        {
            final boolean src = name.startsWith(SRC_NET_ATTRIBUTE_PREFIX);
            final String attribute = name.substring(SRC_NET_ATTRIBUTE_PREFIX.length());
            if (ATTRIBUTE_NAME.matcher(attribute).matches())
            {
                return new Dimension(src ? Kind.SRC_NET_ATTRIBUTE : Kind.DST_NET_ATTRIBUTE, name, null, attribute);
            }
        }
        return null;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Dimension d && d.configName.equals(configName);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(configName);
    }

    @Override
    public String toString()
    {
        return configName;
    }
}
