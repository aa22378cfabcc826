package io.goflow.exporter.ring;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.ProtocolDetector;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer side of the ring against a bare ring whose consumer the test plays. */
class DatagramPublisherTest
{
    private static final int SLOTS = 16;
    private static final int SLOT_BYTES = 2048;
    private static final int V9 = FlowType.NETFLOW_V9.ordinal();

    private final RingBuffer<DatagramEvent> ring =
        RingBuffer.createMultiProducer(new DatagramEventFactory(16, SLOT_BYTES), SLOTS);
    private final RingOverflow overflow = new RingOverflow(8L * RingOverflow.UNIT_BYTES);
    private final DatagramPublisher publisher = new DatagramPublisher(ring, overflow, 2);
    private final Sequence consumed = new Sequence(-1);

    {
        ring.addGatingSequences(consumed);
    }

    @Test
    void shouldCopyDatagramThatFitsIntoSlotWithoutOverflow()
    {
        final ByteBuffer data = datagram(9, SLOT_BYTES);
        assertEquals(DatagramPublisher.PUBLISHED, publish(data, V9));
        final DatagramEvent event = ring.get(0);
        assertFalse(event.inOverflow());
        assertEquals(SLOT_BYTES, event.length);
        assertEquals(data.get(SLOT_BYTES - 1), event.buffer.getByte(SLOT_BYTES - 1));
        assertEquals(0, overflow.unitsInUse());
    }

    @Test
    void shouldCarryLargerDatagramInOverflowUnitsUntilReleased()
    {
        final ByteBuffer data = datagram(9, 40_000);
        assertEquals(DatagramPublisher.PUBLISHED, publish(data, V9));
        final DatagramEvent event = ring.get(0);
        assertTrue(event.inOverflow());
        assertEquals(40_000, event.length);
        assertEquals(data.get(39_999), event.buffer.getByte(39_999));
        assertEquals(3, overflow.unitsInUse(), "40,000 bytes in units of 16 KiB");
        event.releaseOverflow();
        assertEquals(0, overflow.unitsInUse());
        assertEquals(SLOT_BYTES, event.buffer.capacity(), "back on the slot's own bytes");
    }

    @Test
    void shouldRefuseLargerDatagramWhenOverflowHasNoRoomLeft()
    {
        final ByteBuffer jumbo = datagram(10, 9_000);
        for (int i = 0; i < 8; i++)
        {
            assertEquals(DatagramPublisher.PUBLISHED, publish(jumbo, FlowType.IPFIX.ordinal()), "jumbo " + i);
        }
        assertEquals(DatagramPublisher.OVERFLOW_FULL, publish(jumbo, FlowType.IPFIX.ordinal()));
        assertEquals(7, ring.getCursor(), "nothing published for the refused one");
        assertEquals(DatagramPublisher.PUBLISHED, publish(datagram(10, 100), FlowType.IPFIX.ordinal()));
    }

    @Test
    void shouldGiveChunkBackWhenRingIsFull()
    {
        for (int i = 0; i < SLOTS; i++)
        {
            assertEquals(DatagramPublisher.PUBLISHED, publish(datagram(9, 100), V9));
        }
        assertEquals(DatagramPublisher.RING_FULL, publish(datagram(9, 9_000), V9));
        assertEquals(0, overflow.unitsInUse());
    }

    @Test
    void shouldCutJunkLargerThanSlotToSlotWithoutOverflow()
    {
        final ByteBuffer junk = datagram(0xBEEF, 40_000);
        final int unknown = ProtocolSlot.of(ProtocolDetector.detect(new UnsafeBuffer(junk), 0, 40_000));
        assertEquals(DatagramPublisher.PUBLISHED, publish(junk, unknown));
        final DatagramEvent event = ring.get(0);
        assertFalse(event.inOverflow());
        assertEquals(SLOT_BYTES, event.length);
        assertEquals(0xBEEF, event.buffer.getShort(0, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(0, overflow.unitsInUse());
    }

    /**
     * Issue 18 item 1: 20,000 junk datagrams of 40 KB used to grow every slot to 64 KiB for good.
     * Now they allocate nothing per datagram and every slot keeps its fixed capacity.
     */
    @Test
    void shouldAllocateNothingAndKeepSlotsFixedUnder20000JunkDatagramsOf40Kb()
    {
        final ByteBuffer junk = datagram(0xBEEF, 40_000);
        final ByteBuffer large = datagram(9, 40_000);
        final int unknown = ProtocolSlot.of(ProtocolDetector.detect(new UnsafeBuffer(junk), 0, 40_000));
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        publishAndConsume(junk, unknown, 100);
        publishAndConsume(large, V9, 100);
        final long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        publishAndConsume(junk, unknown, 20_000);
        publishAndConsume(large, V9, 20_000);
        final long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1 << 16,
            allocated + " bytes allocated publishing 40,000 datagrams of 40 KB (one grown slot is 64 KiB; "
                + "the JIT and the MXBean allocate a few hundred bytes)");
        for (int i = 0; i < SLOTS; i++)
        {
            assertEquals(SLOT_BYTES, ring.get(i).buffer.capacity());
            assertFalse(ring.get(i).inOverflow());
        }
        assertEquals(0, overflow.unitsInUse());
    }

    @Test
    void shouldAllocateNoMoreThanAccountedPerSlot()
    {
        final DatagramEventFactory factory = new DatagramEventFactory(8192, SLOT_BYTES);
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final DatagramEvent[] events = new DatagramEvent[1024];
        events[0] = factory.newInstance();
        final long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 1; i < events.length; i++)
        {
            events[i] = factory.newInstance();
        }
        final long perSlot = (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / (events.length - 1);
        assertTrue(perSlot <= DatagramEventFactory.ringBytes(1, SLOT_BYTES),
            perSlot + " bytes per slot > " + DatagramEventFactory.ringBytes(1, SLOT_BYTES) + " accounted");
        assertTrue(perSlot >= SLOT_BYTES);
    }

    @Test
    void shouldReadRecordsBackInOrderAcrossReferenceWrapAround()
    {
        final RecordPool pool = new RecordPool(4);
        final DatagramEvent event = ring.get(0);
        for (int datagram = 0; datagram < 10; datagram++)
        {
            event.reset();
            final FlowRecord[] taken = new FlowRecord[1 + datagram % 4];
            for (int i = 0; i < taken.length; i++)
            {
                taken[i] = pool.take();
                event.addRecord(taken[i], pool);
            }
            assertEquals(taken.length, event.recordCount());
            for (int i = 0; i < taken.length; i++)
            {
                assertSame(taken[i], event.record(i));
            }
            event.releaseRecords();
            assertEquals(4, pool.available());
        }
    }

    private void publishAndConsume(final ByteBuffer data, final int slot, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (publish(data, slot) != DatagramPublisher.PUBLISHED)
            {
                throw new AssertionError("ring full at " + i);
            }
            final long sequence = ring.getCursor();
            ring.get(sequence).releaseOverflow();
            consumed.set(sequence);
        }
    }

    private int publish(final ByteBuffer data, final int slot)
    {
        return publisher.publish(data, data.limit(), slot, 0, 0x7F00_0001L, 2055, ListenerProtocol.AUTO, 1L);
    }

    private static ByteBuffer datagram(final int version, final int length)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(length);
        for (int i = 0; i < length; i++)
        {
            b.put(i, (byte)(i * 31));
        }
        b.putShort(0, (short)version);
        return b;
    }
}
