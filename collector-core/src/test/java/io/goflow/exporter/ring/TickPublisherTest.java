package io.goflow.exporter.ring;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TickPublisherTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;

    @Test
    void shouldPublishTickStampedWithClock()
    {
        final RingBuffer<DatagramEvent> ring = RingBuffer.createMultiProducer(new DatagramEventFactory(8), 4);
        final DatagramEvent stale = ring.get(0);
        stale.length = 99;
        stale.shard = 3;
        assertTrue(new TickPublisher(ring, () -> T0 + 5).publishTick());
        assertEquals(0, ring.getCursor());
        assertEquals(DatagramEvent.Kind.TICK, ring.get(0).kind);
        assertEquals(T0 + 5, ring.get(0).receivedNs);
        assertEquals(0, ring.get(0).length, "slot reset before use");
    }

    @Test
    void shouldSkipTickWhenRingFull()
    {
        final RingBuffer<DatagramEvent> ring = RingBuffer.createMultiProducer(new DatagramEventFactory(8), 2);
        ring.addGatingSequences(new Sequence(-1));
        final TickPublisher ticks = new TickPublisher(ring, () -> T0);
        assertTrue(ticks.publishTick());
        assertTrue(ticks.publishTick());
        assertFalse(ticks.publishTick());
        assertEquals(1, ring.getCursor());
    }
}
