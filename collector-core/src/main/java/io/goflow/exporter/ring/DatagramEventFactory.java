package io.goflow.exporter.ring;

import com.lmax.disruptor.EventFactory;

/**
 * Preallocates the ring's {@link DatagramEvent}s, each with a datagram buffer of fixed size.
 *
 * <p>Memory, fixed at start: {@code slots * (slotBytes + }{@link #SLOT_OVERHEAD_BYTES}{@code )}.
 * With the default ring of 16,384 slots of {@link #DEFAULT_SLOT_BYTES} that is 35 MiB; datagrams
 * larger than a slot go to the ring's {@link RingOverflow}, decoded records live in the shards'
 * {@link RecordPool}s.
 */
public final class DatagramEventFactory implements EventFactory<DatagramEvent>
{
    /** Bytes per slot when not configured: every Ethernet-MTU datagram fits (1,472 bytes of UDP payload). */
    public static final int DEFAULT_SLOT_BYTES = 2048;
    /**
     * Heap per slot besides its datagram bytes: the event, its {@code UnsafeBuffer} and the byte
     * array header, about 150 bytes with compressed references, rounded up.
     */
    public static final int SLOT_OVERHEAD_BYTES = 192;

    private final int maxRecordsPerDatagram;
    private final int slotBytes;

    /** A factory of slots of {@link #DEFAULT_SLOT_BYTES} (tests, benchmarks). */
    public DatagramEventFactory(final int maxRecordsPerDatagram)
    {
        this(maxRecordsPerDatagram, DEFAULT_SLOT_BYTES);
    }

    /** @param slotBytes datagram bytes per slot ({@code performance.ring_slot_bytes}). */
    public DatagramEventFactory(final int maxRecordsPerDatagram, final int slotBytes)
    {
        this.maxRecordsPerDatagram = maxRecordsPerDatagram;
        this.slotBytes = slotBytes;
    }

    @Override
    public DatagramEvent newInstance()
    {
        return new DatagramEvent(slotBytes, maxRecordsPerDatagram);
    }

    /** @return heap bytes of {@code slots} slots of {@code slotBytes} each. */
    public static long ringBytes(final int slots, final int slotBytes)
    {
        return (long)slots * (slotBytes + SLOT_OVERHEAD_BYTES);
    }
}
