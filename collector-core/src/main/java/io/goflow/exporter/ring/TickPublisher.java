package io.goflow.exporter.ring;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Publishes a {@link DatagramEvent.Kind#TICK} every {@code intervalNs}, so that idle shards still
 * expire decoder state and the aggregation still flushes and rotates windows when no datagram
 * arrives. A tick that finds the ring full is skipped: a full ring means the handlers are busy and
 * flush on their own batch boundaries.
 */
public final class TickPublisher
{
    private final RingBuffer<DatagramEvent> ring;
    private final EpochNanoClock clock;

    public TickPublisher(final RingBuffer<DatagramEvent> ring, final EpochNanoClock clock)
    {
        this.ring = ring;
        this.clock = clock;
    }

    /** @return true when the tick went into the ring. */
    public boolean publishTick()
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
            event.kind = DatagramEvent.Kind.TICK;
            event.receivedNs = clock.nanoTime();
        }
        finally
        {
            ring.publish(sequence);
        }
        return true;
    }
}
