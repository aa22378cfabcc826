package io.goflow.exporter.ring;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.ProtocolDetector;

import java.nio.ByteBuffer;

/**
 * A producer's side of the ring: claims a slot with {@link RingBuffer#tryNext()}, copies the
 * datagram into the preallocated {@link DatagramEvent} and publishes it, choosing the decode shard
 * from the exporter and template domain ({@link ProtocolSlot#shard} of
 * {@link ProtocolDetector#domainId}, read from the copy in the slot).
 *
 * <h2>Slot memory</h2>
 * A datagram that fits the slot ({@code performance.ring_slot_bytes}) is copied into it. A larger
 * one needs units of the {@link RingOverflow}, claimed before the slot; when no run of free units
 * is left it is refused ({@link #OVERFLOW_FULL}). A larger datagram whose version field matches no protocol
 * ({@link ProtocolSlot#UNKNOWN}) is cut to the slot's size instead: the decoder rejects it from its
 * first bytes, so junk never takes overflow units, whatever its size.
 *
 * <p>Never blocks: a full ring is reported by {@link #RING_FULL}. With several producers the
 * Disruptor's {@code tryNext} signals a full ring with its preallocated, stack-less
 * {@link InsufficientCapacityException}, so a refusal allocates nothing.
 *
 * <p>Thread ownership: one instance per producer thread (readers); any number of producers may
 * share the ring.
 */
public final class DatagramPublisher
{
    /** {@link #publish} outcome: the datagram is in the ring. */
    public static final int PUBLISHED = 0;
    /** {@link #publish} outcome: no free slot, nothing published. */
    public static final int RING_FULL = 1;
    /** {@link #publish} outcome: larger than a slot and no free overflow units, nothing published. */
    public static final int OVERFLOW_FULL = 2;

    private final RingBuffer<DatagramEvent> ring;
    private final RingOverflow overflow;
    private final int shardCount;
    private final int slotBytes;

    public DatagramPublisher(final RingBuffer<DatagramEvent> ring, final RingOverflow overflow, final int shardCount)
    {
        this.ring = ring;
        this.overflow = overflow;
        this.shardCount = shardCount;
        this.slotBytes = ring.get(0).slotCapacity();
    }

    /**
     * Publishes the datagram in {@code data[0, length)} (absolute indices; position and limit are
     * ignored).
     *
     * @param slot protocol slot, {@link ProtocolSlot#of} {@link ProtocolDetector#detect}.
     * @return {@link #PUBLISHED}, {@link #RING_FULL} or {@link #OVERFLOW_FULL}.
     */
    public int publish(
        final ByteBuffer data,
        final int length,
        final int slot,
        final long exporterAddrHi,
        final long exporterAddrLo,
        final int exporterPort,
        final ListenerProtocol protocol,
        final long receivedNs)
    {
        int first = -1;
        int copied = length;
        if (length > slotBytes)
        {
            if (slot == ProtocolSlot.UNKNOWN)
            {
                copied = slotBytes;
            }
            else if ((first = overflow.claim(length)) < 0)
            {
                return OVERFLOW_FULL;
            }
        }
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            if (first >= 0)
            {
                overflow.release(first, RingOverflow.unitsFor(length));
            }
            return RING_FULL;
        }
        try
        {
            final DatagramEvent event = ring.get(sequence);
            event.reset();
            if (first >= 0)
            {
                event.wrapOverflow(data, length, overflow, first);
            }
            else
            {
                event.wrapDatagram(data, copied);
            }
            event.exporterAddrHi = exporterAddrHi;
            event.exporterAddrLo = exporterAddrLo;
            event.exporterPort = exporterPort;
            event.protocol = protocol;
            event.protocolSlot = slot;
            event.receivedNs = receivedNs;
            event.shard = ProtocolSlot.shard(
                exporterAddrHi, exporterAddrLo, ProtocolDetector.domainId(event.buffer, 0, event.length), shardCount);
        }
        finally
        {
            ring.publish(sequence);
        }
        return PUBLISHED;
    }
}
