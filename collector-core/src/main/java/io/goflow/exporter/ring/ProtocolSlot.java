package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.dispatch.ProtocolDetector;

/**
 * Protocol slots, the {@code protocol} label of the receive and decode counters, and the decode
 * shard of an exporter. The protocol itself is detected by the decoders
 * ({@link ProtocolDetector#detect}, the detection {@code DatagramDecoder} dispatches on); the reader
 * does it before publishing.
 *
 * <p>Slots {@code 0..FlowType.values().length - 1} are {@link FlowType} ordinals; {@link #UNKNOWN}
 * is a datagram whose version field matches no protocol.
 */
public final class ProtocolSlot
{
    /** Slot of a datagram whose version field is not one we decode. */
    public static final int UNKNOWN = FlowType.values().length;
    /** Number of slots, {@link #UNKNOWN} included. */
    public static final int COUNT = UNKNOWN + 1;

    private static final String[] LABELS = labels();

    private ProtocolSlot()
    {
    }

    /** @return the slot of a protocol found by {@link ProtocolDetector#detect}, {@link #UNKNOWN} for null. */
    public static int of(final FlowType type)
    {
        return type == null ? UNKNOWN : type.ordinal();
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
