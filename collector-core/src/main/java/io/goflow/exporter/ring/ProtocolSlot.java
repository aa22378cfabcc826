package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.api.FlowType;

import java.nio.ByteBuffer;

/**
 * Cheap look at a datagram's first bytes, done by the reader before publishing: which protocol it
 * claims to be (the {@code protocol} label of the receive counters) and which decode shard owns it.
 *
 * <p>Slots {@code 0..FlowType.values().length - 1} are {@link FlowType} ordinals; {@link #UNKNOWN}
 * is a datagram whose version field matches no protocol. Detection reads only the version field,
 * as every decoder does:
 * <pre>
 *  NetFlow v5 / v9, IPFIX (RFC 3954 s5.1, RFC 7011 s3.1): version, 16 bits, at offset 0
 *  sFlow v5 (sFlow v5 spec, datagram header):             version, 32 bits, at offset 0
 * </pre>
 */
public final class ProtocolSlot
{
    /** Slot of a datagram whose version field is not one we decode. */
    public static final int UNKNOWN = FlowType.values().length;
    /** Number of slots, {@link #UNKNOWN} included. */
    public static final int COUNT = UNKNOWN + 1;

    /** v9 header: version, count, sysUptime, unix secs, sequence, then source ID (RFC 3954 s5.1). */
    static final int NETFLOW9_SOURCE_ID_OFFSET = 2 + 2 + 4 + 4 + 4;
    /** IPFIX header: version, length, export time, sequence, then domain ID (RFC 7011 s3.1). */
    static final int IPFIX_DOMAIN_ID_OFFSET = 2 + 2 + 4 + 4;

    private static final String[] LABELS = labels();

    private ProtocolSlot()
    {
    }

    /** @return the slot of the datagram in {@code buffer[0, length)} (big-endian reads). */
    public static int detect(final ByteBuffer buffer, final int length)
    {
        if (length < 2)
        {
            return UNKNOWN;
        }
        final int version16 = buffer.getShort(0) & 0xFFFF;
        switch (version16)
        {
            case 5:
                return FlowType.NETFLOW_V5.ordinal();
            case 9:
                return FlowType.NETFLOW_V9.ordinal();
            case 10:
                return FlowType.IPFIX.ordinal();
            case 0:
                return length >= 4 && buffer.getInt(0) == 5 ? FlowType.SFLOW_5.ordinal() : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    /**
     * @return the template scope inside the exporter: v9 source ID or IPFIX observation domain ID
     * when the header is long enough, else 0.
     */
    public static long domainId(final ByteBuffer buffer, final int length, final int slot)
    {
        if (slot == FlowType.NETFLOW_V9.ordinal() && length >= NETFLOW9_SOURCE_ID_OFFSET + 4)
        {
            return buffer.getInt(NETFLOW9_SOURCE_ID_OFFSET) & 0xFFFF_FFFFL;
        }
        if (slot == FlowType.IPFIX.ordinal() && length >= IPFIX_DOMAIN_ID_OFFSET + 4)
        {
            return buffer.getInt(IPFIX_DOMAIN_ID_OFFSET) & 0xFFFF_FFFFL;
        }
        return 0;
    }

    /**
     * Shard of an exporter: a mix of its address and template scope, modulo {@code shardCount}.
     * Every datagram of one (exporter, domain) maps to the same shard, so its templates and data
     * are decoded in arrival order by one thread.
     */
    public static int shard(final long addrHi, final long addrLo, final long domainId, final int shardCount)
    {
        long h = addrHi * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ addrLo) * 0xBF58_476D_1CE4_E5B9L;
        h = (h ^ domainId) * 0x94D0_49BB_1331_11EBL;
        h ^= h >>> 31;
        return (int)((h >>> 1) % shardCount);
    }

    /** @return the {@code protocol} label of a slot. */
    public static String label(final int slot)
    {
        return LABELS[slot];
    }

    private static String[] labels()
    {
        final String[] labels = new String[COUNT];
        for (final FlowType type : FlowType.values())
        {
            labels[type.ordinal()] = type.metricLabel();
        }
        labels[UNKNOWN] = "unknown";
        return labels;
    }
}
