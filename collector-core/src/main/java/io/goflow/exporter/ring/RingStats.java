package io.goflow.exporter.ring;

import com.lmax.disruptor.RingBuffer;

/**
 * What the ring exports: occupancy, memory of the slots and of the {@link RingOverflow}, and the
 * exceptions its {@link CountingExceptionHandler} caught. A read-only view for the scrape threads:
 * every value is read from the Disruptor's sequences or from atomic counters at call time.
 */
public final class RingStats
{
    private final RingBuffer<DatagramEvent> ring;
    private final RingOverflow overflow;
    private final CountingExceptionHandler exceptions;
    private final long slotsBytes;

    public RingStats(
        final RingBuffer<DatagramEvent> ring, final RingOverflow overflow, final CountingExceptionHandler exceptions)
    {
        this.ring = ring;
        this.overflow = overflow;
        this.exceptions = exceptions;
        this.slotsBytes = DatagramEventFactory.ringBytes(ring.getBufferSize(), ring.get(0).slotCapacity());
    }

    /** @return ring slots: {@code performance.queue_size} rounded up to a power of two. */
    public int capacity()
    {
        return ring.getBufferSize();
    }

    /** @return slots published and not yet released by aggregation. */
    public long occupied()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /** @return heap bytes of the slots, fixed at start. */
    public long slotsBytes()
    {
        return slotsBytes;
    }

    /** @return bytes of the overflow units in use. */
    public long overflowBytesInUse()
    {
        return (long)overflow.unitsInUse() * RingOverflow.UNIT_BYTES;
    }

    /** @return the overflow area's size, bytes ({@code performance.ring_overflow_bytes}). */
    public long overflowBytes()
    {
        return overflow.bytes();
    }

    /** @return unexpected exceptions caught by the ring's exception handler. */
    public long exceptions()
    {
        return exceptions.exceptions();
    }
}
