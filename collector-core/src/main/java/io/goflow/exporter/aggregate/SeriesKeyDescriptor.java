package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.PrefixLengths;
import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.enrich.network.LabelStrings;
import io.goflow.exporter.enrich.network.PrefixTrie;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-width packed key of one view: only the view's effective dimensions, each at a fixed
 * offset, big-endian, the whole key zero-padded to a multiple of 8 bytes so that it compares and
 * hashes as longs.
 *
 * <pre>
 * dimension              width  packed value                          label text ("" = unknown)
 * exporter               16     sampler address, IPv4-mapped           RFC 5952 / dotted quad; :: -> ""
 * src_addr, dst_addr     16     address, IPv4-mapped; absent = ::      RFC 5952 / dotted quad; :: -> ""
 * protocol               1      IP protocol number                     decimal ("6", "17"); 0 -> ""
 * src_port, dst_port     2      port, 0 for ICMP/ICMPv6                decimal; 0 -> ""
 * in_if, out_if          4      SNMP ifIndex (unsigned32)              decimal, "0" included
 * src_country, dst_count 2      ISO 3166 alpha-2, two ASCII bytes      "US"; 0 -> ""
 * src_asn, dst_asn       4      AS number (unsigned32)                 decimal ("15169"); 0 -> ""
 * src_net, dst_net       20     tag (4) | masked address (16):         tag name id + 1 -> the name;
 *                               tag = name id + 1, or                  PREFIX_TAG | len -> CIDR text
 *                               PREFIX_TAG | prefix length, or 0       ("198.51.100.0/24"); 0 -> ""
 * src_net_ATTR, dst_net_ 4      attribute value id + 1, 0 = none       the value; 0 -> ""
 * ip_version             1      4 or 6                                 decimal; 0 -> ""
 * dscp                   1      (ToS >> 2) + 1 for IP records          decimal ("0", "46"); 0 -> ""
 * tcp_flags              2      OR of the flow's flags + 1, TCP only   decimal ("27"); 0 -> ""
 * vlan                   2      source VLAN, else destination VLAN     decimal; 0 -> ""
 * direction              1      IE 61 value + 1                        "ingress", "egress"; 0 -> ""
 * next_hop               16     IP next hop, else BGP next hop         RFC 5952 / dotted quad; :: -> ""
 * forwarding_status      1      IE 89 (status << 6 | reason)           decimal ("64"); 0 -> ""
 * icmp_type, icmp_code   2      value + 1 for ICMP / ICMPv6 records    decimal ("8", "0"); 0 -> ""
 * sampler                8      sampler / selector id, sFlow source id decimal; 0 -> ""
 * in_if_name, out_if_nam 4      interface name id + 1                  the name; 0 -> ""
 * </pre>
 *
 * <p>Unknown is the empty label, never {@code "unknown"}: port 0, AS 0 (reserved, RFC 7607) and
 * protocol 0 (what {@link FlowRecord} uses for "not known") are not real values. Interface index 0
 * is the exception and is exported as {@code "0"}: routers report it for traffic that has no
 * interface on that side (dropped, to or from the router itself, sFlow "unknown"), and engineers
 * filter on {@code out_if="0"} to find it; a record without the field also gives "0". Where 0 is a real
 * value (DSCP 0, ICMP echo reply type 0, code 0), the key holds value + 1 so that 0 still means
 * unknown. ICMP (1) and ICMPv6 (58) carry type and code, not ports, in the exporters' port fields
 * (softflowd and others put {@code type << 8 | code} into the destination port), so their ports are
 * packed as 0, and {@code icmp_type}/{@code icmp_code} come from IE 32/139/176-179 when the record
 * had them, else from that destination port.
 *
 * <p>Interface indexes only mean something per router: a view that groups by {@code in_if} or
 * {@code out_if} while several exporters report should also group by {@code exporter}, else the
 * ifIndex 3 of every router lands in one series.
 *
 * <h2>Networks and names</h2>
 * {@code src_net}, the attribute dimensions and the interface names are packed from the
 * {@link RecordLabels} the engine resolved for the record, as {@link LabelStrings} ids, which never
 * change meaning, so a series counted before a networks reload keeps its label text. An address in
 * no named network gets its prefix at {@link PrefixLengths} (or the router's mask with
 * {@code prefix_lengths: flow}; an unknown mask, or a length of 0, gives the empty label).
 *
 * <h2>Dimensions and label groups</h2>
 * {@link #effectiveDimensions} drops every configured dimension whose {@link Dimension#group()} is
 * not in {@code metrics.enabled_labels}: such a dimension is aggregated away (records that differ
 * only there fall into the same series), it is not kept as an empty label.
 *
 * <h2>Threads</h2>
 * Immutable once built (the engine builds one per view at start), so shared without locking:
 * {@link #pack} runs on the aggregation thread and writes only the caller's key buffer;
 * {@link #appendLabelValue} runs on scrape threads over a key copied under the record's sequence
 * lock and resolves ids through {@link LabelStrings#get}, which is lock-free.
 */
public final class SeriesKeyDescriptor
{
    /** Label value of every dimension of the one overflow series of a view. */
    public static final String OVERFLOW_LABEL_VALUE = "__overflow__";
    /** Label value of every dimension of the remainder series of a top-K view. */
    public static final String OTHER_LABEL_VALUE = "__other__";

    /** Tag bit of a {@code src_net}/{@code dst_net} key holding a prefix rather than a name. */
    static final int PREFIX_TAG = 0x8000_0000;

    private static final int PROTO_ICMP = 1;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_ICMPV6 = 58;
    private static final long IPV4_MAPPED_HI_MASK = 0xFFFF_FFFF_0000_0000L;

    private final Dimension[] dimensions;
    private final Dimension.Kind[] kinds;
    private final int[] attributeIndexes;
    private final int[] offsets;
    private final int keyLength;
    private final LabelStrings strings;
    private final PrefixLengths prefixLengths;

    /**
     * A descriptor without networks or interface names: those dimensions pack as unknown.
     *
     * @param dimensions effective dimensions in label order, without duplicates; may be empty
     *                   (one series per view).
     */
    public SeriesKeyDescriptor(final List<Dimension> dimensions)
    {
        this(dimensions, new LabelStrings(1, 1), PrefixLengths.defaults(), List.of());
    }

    /**
     * @param strings       the interned names, attribute values and interface names.
     * @param prefixLengths fallback of {@code src_net}/{@code dst_net}.
     * @param attributes    attribute names in {@code NetworkTable} order.
     */
    public SeriesKeyDescriptor(
        final List<Dimension> dimensions, final LabelStrings strings, final PrefixLengths prefixLengths,
        final List<String> attributes)
    {
        this.dimensions = dimensions.toArray(new Dimension[0]);
        this.strings = strings;
        this.prefixLengths = prefixLengths;
        this.kinds = new Dimension.Kind[this.dimensions.length];
        this.attributeIndexes = new int[this.dimensions.length];
        for (int i = 0; i < this.dimensions.length; i++)
        {
            kinds[i] = this.dimensions[i].kind();
            attributeIndexes[i] = this.dimensions[i].attribute() == null ? -1 :
                attributes.indexOf(this.dimensions[i].attribute());
        }
        this.offsets = new int[this.dimensions.length];
        int offset = 0;
        for (int i = 0; i < this.dimensions.length; i++)
        {
            offsets[i] = offset;
            offset += width(this.dimensions[i]);
        }
        this.keyLength = Math.max(8, (offset + 7) & ~7);
    }

    /**
     * @return the configured dimensions, in order and without duplicates, whose label group is
     * enabled (dimensions without a group, such as addresses, protocol and exporter, always stay).
     */
    public static List<Dimension> effectiveDimensions(
        final List<Dimension> configured, final List<LabelGroup> enabledLabels)
    {
        final List<Dimension> result = new ArrayList<>(configured.size());
        for (final Dimension d : configured)
        {
            if (d != null && !result.contains(d) && (d.group() == null || enabledLabels.contains(d.group())))
            {
                result.add(d);
            }
        }
        return result;
    }

    /** @return bytes taken by one dimension in the packed key. */
    public static int width(final Dimension dimension)
    {
        switch (dimension.kind())
        {
            case EXPORTER:
            case SRC_ADDR:
            case DST_ADDR:
            case NEXT_HOP:
                return 16;
            case SRC_NET:
            case DST_NET:
                return 20;
            case PROTOCOL:
            case IP_VERSION:
            case DSCP:
            case DIRECTION:
            case FORWARDING_STATUS:
                return 1;
            case SRC_PORT:
            case DST_PORT:
            case SRC_COUNTRY:
            case DST_COUNTRY:
            case TCP_FLAGS:
            case VLAN:
            case ICMP_TYPE:
            case ICMP_CODE:
                return 2;
            case SAMPLER:
                return 8;
            default:
                return 4;
        }
    }

    /** @return key length in bytes, a multiple of 8. */
    public int keyLength()
    {
        return keyLength;
    }

    public int dimensionCount()
    {
        return dimensions.length;
    }

    public Dimension dimension(final int index)
    {
        return dimensions[index];
    }

    /** Packs the record's values, without networks or interface names, into {@code key} at {@code keyOffset}. */
    public void pack(final FlowRecord record, final MutableDirectBuffer key, final int keyOffset)
    {
        pack(record, NO_LABELS, key, keyOffset);
    }

    private static final RecordLabels NO_LABELS = new RecordLabels();

    /**
     * Packs the record's values for this view's dimensions into {@code key} at {@code keyOffset};
     * networks and interface names come from {@code labels}.
     */
    public void pack(final FlowRecord record, final RecordLabels labels, final MutableDirectBuffer key, final int keyOffset)
    {
        key.setMemory(keyOffset, keyLength, (byte)0);
        final boolean portless = record.proto == PROTO_ICMP || record.proto == PROTO_ICMPV6;
        for (int i = 0; i < dimensions.length; i++)
        {
            final int at = keyOffset + offsets[i];
            switch (kinds[i])
            {
                case EXPORTER:
                    putAddress(key, at, record.samplerAddrHi, record.samplerAddrLo);
                    break;
                case SRC_ADDR:
                    if (record.srcAddrPresent)
                    {
                        putAddress(key, at, record.srcAddrHi, record.srcAddrLo);
                    }
                    break;
                case DST_ADDR:
                    if (record.dstAddrPresent)
                    {
                        putAddress(key, at, record.dstAddrHi, record.dstAddrLo);
                    }
                    break;
                case PROTOCOL:
                    key.putByte(at, (byte)record.proto);
                    break;
                case SRC_PORT:
                    key.putShort(at, portless ? 0 : (short)record.srcPort, ByteOrder.BIG_ENDIAN);
                    break;
                case DST_PORT:
                    key.putShort(at, portless ? 0 : (short)record.dstPort, ByteOrder.BIG_ENDIAN);
                    break;
                case IN_IF:
                    key.putInt(at, (int)record.inIf, ByteOrder.BIG_ENDIAN);
                    break;
                case OUT_IF:
                    key.putInt(at, (int)record.outIf, ByteOrder.BIG_ENDIAN);
                    break;
                case SRC_COUNTRY:
                    key.putShort(at, (short)record.srcCountry, ByteOrder.BIG_ENDIAN);
                    break;
                case DST_COUNTRY:
                    key.putShort(at, (short)record.dstCountry, ByteOrder.BIG_ENDIAN);
                    break;
                case SRC_ASN:
                    key.putInt(at, (int)record.srcAsn, ByteOrder.BIG_ENDIAN);
                    break;
                case DST_ASN:
                    key.putInt(at, (int)record.dstAsn, ByteOrder.BIG_ENDIAN);
                    break;
                case SRC_NET:
                    putNetwork(key, at, labels, labels.srcEntry, record.srcAddrPresent, record.srcAddrHi,
                        record.srcAddrLo, record.srcMask);
                    break;
                case DST_NET:
                    putNetwork(key, at, labels, labels.dstEntry, record.dstAddrPresent, record.dstAddrHi,
                        record.dstAddrLo, record.dstMask);
                    break;
                case SRC_NET_ATTRIBUTE:
                    putAttribute(key, at, labels, labels.srcEntry, attributeIndexes[i]);
                    break;
                case DST_NET_ATTRIBUTE:
                    putAttribute(key, at, labels, labels.dstEntry, attributeIndexes[i]);
                    break;
                case IP_VERSION:
                    key.putByte(at, (byte)record.ipVersion);
                    break;
                case DSCP:
                    if (record.ipVersion != 0 || record.srcAddrPresent || record.dstAddrPresent)
                    {
                        key.putByte(at, (byte)((record.tos >>> 2) + 1));
                    }
                    break;
                case TCP_FLAGS:
                    if (record.proto == PROTO_TCP)
                    {
                        key.putShort(at, (short)((record.tcpFlags & 0xFFF) + 1), ByteOrder.BIG_ENDIAN);
                    }
                    break;
                case VLAN:
                    key.putShort(at, (short)(record.srcVlan != 0 ? record.srcVlan : record.dstVlan), ByteOrder.BIG_ENDIAN);
                    break;
                case DIRECTION:
                    if (record.direction == FlowRecord.DIRECTION_INGRESS || record.direction == FlowRecord.DIRECTION_EGRESS)
                    {
                        key.putByte(at, (byte)(record.direction + 1));
                    }
                    break;
                case NEXT_HOP:
                    if (record.nextHopPresent)
                    {
                        putAddress(key, at, record.nextHopHi, record.nextHopLo);
                    }
                    break;
                case FORWARDING_STATUS:
                    key.putByte(at, (byte)record.forwardingStatus);
                    break;
                case ICMP_TYPE:
                    if (portless)
                    {
                        key.putShort(at, (short)(((icmpTypeCode(record) >>> 8) & 0xFF) + 1), ByteOrder.BIG_ENDIAN);
                    }
                    break;
                case ICMP_CODE:
                    if (portless)
                    {
                        key.putShort(at, (short)((icmpTypeCode(record) & 0xFF) + 1), ByteOrder.BIG_ENDIAN);
                    }
                    break;
                case SAMPLER:
                    key.putLong(at, record.samplerId, ByteOrder.BIG_ENDIAN);
                    break;
                case IN_IF_NAME:
                    key.putInt(at, labels.inIfNameId + 1, ByteOrder.BIG_ENDIAN);
                    break;
                case OUT_IF_NAME:
                    key.putInt(at, labels.outIfNameId + 1, ByteOrder.BIG_ENDIAN);
                    break;
                default:
                    break;
            }
        }
    }

    /**
     * @return {@code type << 8 | code} of an ICMP record: the decoded IE 32/139/176-179 values
     * when there are any, else the destination port as NetFlow v5 and most v9 exporters fill it.
     */
    static int icmpTypeCode(final FlowRecord record)
    {
        if (record.icmpType != 0 || record.icmpCode != 0)
        {
            return (record.icmpType & 0xFF) << 8 | (record.icmpCode & 0xFF);
        }
        return record.dstPort & 0xFFFF;
    }

    private void putNetwork(
        final MutableDirectBuffer key, final int at, final RecordLabels labels, final int entry, final boolean present,
        final long hi, final long lo, final int routerMask)
    {
        if (entry >= 0)
        {
            key.putInt(at, labels.table.nameId(entry) + 1, ByteOrder.BIG_ENDIAN);
            return;
        }
        if (!present)
        {
            return;
        }
        final boolean ipv4 = FlowRecord.isIpv4Mapped(hi, lo);
        final int length = prefixLengths.fromFlow() ? Math.min(routerMask, ipv4 ? 32 : 128) :
            ipv4 ? prefixLengths.ipv4() : prefixLengths.ipv6();
        if (length <= 0)
        {
            return;
        }
        key.putInt(at, PREFIX_TAG | length, ByteOrder.BIG_ENDIAN);
        if (ipv4)
        {
            putAddress(key, at + 4, 0, lo & (IPV4_MAPPED_HI_MASK | (PrefixTrie.maskHi(length) >>> 32)));
        }
        else
        {
            putAddress(key, at + 4, hi & PrefixTrie.maskHi(length), lo & PrefixTrie.maskLo(length));
        }
    }

    private static void putAttribute(
        final MutableDirectBuffer key, final int at, final RecordLabels labels, final int entry, final int attribute)
    {
        if (entry >= 0 && attribute >= 0)
        {
            key.putInt(at, labels.table.attributeValueId(entry, attribute), ByteOrder.BIG_ENDIAN);
        }
    }

    /**
     * Appends the label text of dimension {@code index} of the key at {@code keyOffset}; appends
     * nothing for an unknown value.
     */
    public StringBuilder appendLabelValue(
        final StringBuilder sb, final int index, final DirectBuffer key, final int keyOffset)
    {
        final int at = keyOffset + offsets[index];
        switch (kinds[index])
        {
            case EXPORTER:
            case SRC_ADDR:
            case DST_ADDR:
            case NEXT_HOP:
            {
                final long hi = key.getLong(at, ByteOrder.BIG_ENDIAN);
                final long lo = key.getLong(at + 8, ByteOrder.BIG_ENDIAN);
                if (hi != 0 || lo != 0)
                {
                    AddressText.append(sb, hi, lo);
                }
                return sb;
            }
            case PROTOCOL:
            case IP_VERSION:
            case FORWARDING_STATUS:
                return appendNonZero(sb, key.getByte(at) & 0xFF);
            case DSCP:
                return appendPlusOne(sb, key.getByte(at) & 0xFF);
            case TCP_FLAGS:
            case ICMP_TYPE:
            case ICMP_CODE:
                return appendPlusOne(sb, key.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            case VLAN:
                return appendNonZero(sb, key.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            case DIRECTION:
            {
                final int direction = key.getByte(at) - 1;
                return direction == FlowRecord.DIRECTION_INGRESS ? sb.append("ingress") :
                    direction == FlowRecord.DIRECTION_EGRESS ? sb.append("egress") : sb;
            }
            case SAMPLER:
            {
                final long id = key.getLong(at, ByteOrder.BIG_ENDIAN);
                return id == 0 ? sb : sb.append(Long.toUnsignedString(id));
            }
            case SRC_NET:
            case DST_NET:
            {
                final int tag = key.getInt(at, ByteOrder.BIG_ENDIAN);
                if ((tag & PREFIX_TAG) != 0)
                {
                    AddressText.append(sb, key.getLong(at + 4, ByteOrder.BIG_ENDIAN), key.getLong(at + 12, ByteOrder.BIG_ENDIAN));
                    return sb.append('/').append(tag & 0xFF);
                }
                return appendString(sb, tag);
            }
            case SRC_NET_ATTRIBUTE:
            case DST_NET_ATTRIBUTE:
            case IN_IF_NAME:
            case OUT_IF_NAME:
                return appendString(sb, key.getInt(at, ByteOrder.BIG_ENDIAN));
            case SRC_PORT:
            case DST_PORT:
                return appendNonZero(sb, key.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            case IN_IF:
            case OUT_IF:
                return sb.append(key.getInt(at, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
            case SRC_COUNTRY:
            case DST_COUNTRY:
            {
                final int packed = key.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                if (packed != 0)
                {
                    sb.append((char)(packed >>> 8)).append((char)(packed & 0xFF));
                }
                return sb;
            }
            default:
                return appendNonZero(sb, key.getInt(at, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
        }
    }

    /** Appends the interned string of {@code idPlusOne - 1}; nothing for 0. */
    private StringBuilder appendString(final StringBuilder sb, final int idPlusOne)
    {
        if (idPlusOne > 0)
        {
            final String text = strings.get(idPlusOne - 1);
            if (text != null)
            {
                sb.append(text);
            }
        }
        return sb;
    }

    private static StringBuilder appendPlusOne(final StringBuilder sb, final int valuePlusOne)
    {
        return valuePlusOne == 0 ? sb : sb.append(valuePlusOne - 1);
    }

    private static StringBuilder appendNonZero(final StringBuilder sb, final long value)
    {
        return value == 0 ? sb : sb.append(value);
    }

    private static void putAddress(final MutableDirectBuffer key, final int at, final long hi, final long lo)
    {
        key.putLong(at, hi, ByteOrder.BIG_ENDIAN);
        key.putLong(at + 8, lo, ByteOrder.BIG_ENDIAN);
    }

    /** @return a 32-bit hash of the {@code keyLength} key bytes at {@code offset}. */
    static int hash(final DirectBuffer buffer, final int offset, final int keyLength)
    {
        long h = 0x9E37_79B9_7F4A_7C15L ^ keyLength;
        for (int i = 0; i < keyLength; i += 8)
        {
            h = Long.rotateLeft(h ^ (buffer.getLong(offset + i) * 0xC2B2_AE3D_27D4_EB4FL), 31) * 0x9E37_79B9_7F4A_7C15L;
        }
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 32;
        return (int)h;
    }
}
