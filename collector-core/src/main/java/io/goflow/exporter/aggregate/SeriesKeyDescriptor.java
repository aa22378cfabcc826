package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.decoders.AddressText;
import io.goflow.exporter.decoders.FlowRecord;
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
 * dimension              width  packed value                      label text ("" = unknown)
 * exporter               16     sampler address, IPv4-mapped       RFC 5952 / dotted quad; :: -> ""
 * src_addr, dst_addr     16     address, IPv4-mapped; absent = ::  RFC 5952 / dotted quad; :: -> ""
 * protocol               1      IP protocol number                 decimal ("6", "17"); 0 -> ""
 * src_port, dst_port     2      port, 0 for ICMP/ICMPv6            decimal; 0 -> ""
 * in_if, out_if          4      SNMP ifIndex (unsigned32)          decimal; 0 -> ""
 * src_country, dst_count 2      ISO 3166 alpha-2, two ASCII bytes  "US"; 0 -> ""
 * src_asn, dst_asn       4      AS number (unsigned32)             decimal ("15169"); 0 -> ""
 * </pre>
 *
 * <p>Unknown is always the empty label, never {@code "0"} or {@code "unknown"}: port 0, ifIndex 0
 * (NetFlow v9 / IPFIX use 0 for "not known", RFC 7012 IE 10), AS 0 (reserved, RFC 7607) and
 * protocol 0 (what {@link FlowRecord} uses for "not known") are not real values. ICMP (1) and
 * ICMPv6 (58) carry type and code, not ports, in the exporters' port fields (softflowd and others
 * put {@code type << 8 | code} into the destination port), so their ports are packed as 0.
 *
 * <p>Interface indexes only mean something per router: a view that groups by {@code in_if} or
 * {@code out_if} while several exporters report should also group by {@code exporter}, else the
 * ifIndex 3 of every router lands in one series.
 *
 * <h2>Dimensions and label groups</h2>
 * {@link #effectiveDimensions} drops every configured dimension whose {@link Dimension#group()} is
 * not in {@code metrics.enabled_labels}: such a dimension is aggregated away (records that differ
 * only there fall into the same series), it is not kept as an empty label.
 */
public final class SeriesKeyDescriptor
{
    /** Label value of every dimension of the one overflow series of a view. */
    public static final String OVERFLOW_LABEL_VALUE = "__overflow__";

    private static final int PROTO_ICMP = 1;
    private static final int PROTO_ICMPV6 = 58;

    private final Dimension[] dimensions;
    private final int[] offsets;
    private final int keyLength;

    /**
     * @param dimensions effective dimensions in label order, without duplicates; may be empty
     *                   (one series per view).
     */
    public SeriesKeyDescriptor(final List<Dimension> dimensions)
    {
        this.dimensions = dimensions.toArray(new Dimension[0]);
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
        switch (dimension)
        {
            case EXPORTER:
            case SRC_ADDR:
            case DST_ADDR:
                return 16;
            case PROTOCOL:
                return 1;
            case SRC_PORT:
            case DST_PORT:
            case SRC_COUNTRY:
            case DST_COUNTRY:
                return 2;
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

    /** Packs the record's values for this view's dimensions into {@code key} at {@code keyOffset}. */
    public void pack(final FlowRecord record, final MutableDirectBuffer key, final int keyOffset)
    {
        key.setMemory(keyOffset, keyLength, (byte)0);
        final boolean portless = record.proto == PROTO_ICMP || record.proto == PROTO_ICMPV6;
        for (int i = 0; i < dimensions.length; i++)
        {
            final int at = keyOffset + offsets[i];
            switch (dimensions[i])
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
                default:
                    break;
            }
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
        switch (dimensions[index])
        {
            case EXPORTER:
            case SRC_ADDR:
            case DST_ADDR:
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
                return appendNonZero(sb, key.getByte(at) & 0xFF);
            case SRC_PORT:
            case DST_PORT:
                return appendNonZero(sb, key.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF);
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
