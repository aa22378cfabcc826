package io.goflow.exporter.ring;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.goflow.exporter.decoders.ListenerProtocol;

import java.nio.ByteBuffer;

/**
 * A producer's side of the ring: claims a slot with {@link RingBuffer#tryNext()}, copies the
 * datagram into the preallocated {@link DatagramEvent} and publishes it, choosing the decode shard
 * from the exporter and template domain ({@link ProtocolSlot#shard}).
 *
 * <p>Never blocks: a full ring is reported by {@code false}. With several producers the
 * Disruptor's {@code tryNext} signals a full ring with its preallocated, stack-less
 * {@link InsufficientCapacityException}, so a refusal allocates nothing.
 *
 * <p>Thread ownership: one instance per producer thread (readers); any number of producers may
 * share the ring.
 */
public final class DatagramPublisher
{
    private final RingBuffer<DatagramEvent> ring;
    private final int shardCount;

    public DatagramPublisher(final RingBuffer<DatagramEvent> ring, final int shardCount)
    {
        this.ring = ring;
        this.shardCount = shardCount;
    }

    /**
     * Publishes the datagram in {@code data[0, length)} (absolute indices; position and limit are
     * ignored).
     *
     * @param slot protocol slot from {@link ProtocolSlot#detect}.
     * @return false when the ring is full and nothing was published.
     */
    public boolean publish(
        final ByteBuffer data,
        final int length,
        final int slot,
        final long exporterAddrHi,
        final long exporterAddrLo,
        final int exporterPort,
        final ListenerProtocol protocol,
        final long receivedNs)
    {
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return false;
        }
        try
        {
            final DatagramEvent event = ring.get(sequence);
            event.reset();
            event.wrapDatagram(data, length);
            event.exporterAddrHi = exporterAddrHi;
            event.exporterAddrLo = exporterAddrLo;
            event.exporterPort = exporterPort;
            event.protocol = protocol;
            event.protocolSlot = slot;
            event.receivedNs = receivedNs;
            event.shard = ProtocolSlot.shard(
                exporterAddrHi, exporterAddrLo, ProtocolSlot.domainId(data, length, slot), shardCount);
        }
        finally
        {
            ring.publish(sequence);
        }
        return true;
    }
}
