package io.goflow.exporter.receive;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.ring.ProtocolSlot;
import io.goflow.exporter.ring.RingOverflow;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readers on loopback with ephemeral ports, against a bare ring whose consumer the test plays. */
class DatagramReaderTest
{
    private static final EpochNanoClock CLOCK = () -> 1_700_000_000_000_000_000L;

    private final RingBuffer<DatagramEvent> ring = RingBuffer.createMultiProducer(new DatagramEventFactory(16), 8);
    private final RingOverflow overflow = new RingOverflow(RingOverflow.UNIT_BYTES);
    private final Sequence consumed = new Sequence(-1);
    private DatagramReader reader;

    {
        ring.addGatingSequences(consumed);
    }

    @AfterEach
    void closeReader()
    {
        if (reader != null)
        {
            reader.close(2_000);
        }
    }

    @Test
    void shouldPublishIpv6DatagramWithExporterAddressAndPort() throws Exception
    {
        reader = startReader("::1", AllowList.ALL, DatagramReader.MAX_UDP_PAYLOAD);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("::1", 0)))
        {
            send(sender, "::1", v9Header(42));
            awaitTrue(() -> ring.getCursor() == 0);
            final DatagramEvent event = ring.get(0);
            assertEquals(0, event.exporterAddrHi);
            assertEquals(1, event.exporterAddrLo);
            assertEquals(sender.getLocalPort(), event.exporterPort);
            assertEquals(20, event.length);
            assertEquals(9, event.buffer.getShort(0, java.nio.ByteOrder.BIG_ENDIAN));
            assertEquals(FlowType.NETFLOW_V9.ordinal(), event.protocolSlot);
            assertEquals(ListenerProtocol.NETFLOW, event.protocol);
            assertEquals(CLOCK.nanoTime(), event.receivedNs);
            assertEquals(ProtocolSlot.shard(0, 1, 42, 3), event.shard);
            assertEquals(1, reader.counters().packets(FlowType.NETFLOW_V9.ordinal()));
            assertEquals(20, reader.counters().bytes(FlowType.NETFLOW_V9.ordinal()));
        }
    }

    @Test
    void shouldDropAndCountDatagramFromOutsideAllowList() throws Exception
    {
        reader = startReader("127.0.0.1", AllowList.parse(List.of("127.0.0.2/32")), DatagramReader.MAX_UDP_PAYLOAD);
        try (DatagramSocket outside = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0));
            DatagramSocket inside = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0)))
        {
            send(outside, "127.0.0.1", v9Header(1));
            send(inside, "127.0.0.1", v9Header(1));
            awaitTrue(() -> reader.counters().totalPackets() == 2 && ring.getCursor() == 0);
            assertEquals(1, reader.counters().dropped(ReceiveCounters.ALLOW_LIST));
            assertEquals(0, ring.getCursor());
            assertEquals(0x0000_FFFF_7F00_0002L, ring.get(0).exporterAddrLo);
        }
    }

    @Test
    void shouldCountTruncatedWhenDatagramFillsReceiveBuffer() throws Exception
    {
        reader = startReader("127.0.0.1", AllowList.ALL, 100);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            send(sender, "127.0.0.1", new byte[101]);
            send(sender, "127.0.0.1", new byte[100]);
            awaitTrue(() -> reader.counters().totalPackets() == 2 && ring.getCursor() == 0);
            assertEquals(1, reader.counters().dropped(ReceiveCounters.TRUNCATED));
            assertEquals(0, ring.getCursor());
            assertEquals(100, ring.get(0).length);
        }
    }

    @Test
    void shouldDropAndCountQueueFullWhenRingHasNoRoom() throws Exception
    {
        reader = startReader("127.0.0.1", AllowList.ALL, DatagramReader.MAX_UDP_PAYLOAD);
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            for (int i = 0; i < 12; i++)
            {
                send(sender, "127.0.0.1", v9Header(i));
            }
            awaitTrue(() -> reader.counters().totalPackets() == 12 &&
                ring.getCursor() + 1 + reader.counters().totalDropped() == 12);
            assertEquals(4, reader.counters().dropped(ReceiveCounters.QUEUE_FULL));
            assertEquals(7, ring.getCursor());
        }
    }

    @Test
    void shouldPublishDatagramLargerThanSlotThroughOverflowAndCountOverflowFullWhenInUse() throws Exception
    {
        reader = startReader("127.0.0.1", AllowList.ALL, DatagramReader.MAX_UDP_PAYLOAD);
        final byte[] large = java.util.Arrays.copyOf(v9Header(7), DatagramEventFactory.DEFAULT_SLOT_BYTES + 1000);
        large[large.length - 1] = 0x5A;
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            send(sender, "127.0.0.1", large);
            send(sender, "127.0.0.1", large);
            awaitTrue(() -> reader.counters().totalPackets() == 2);
            final DatagramEvent event = ring.get(0);
            assertEquals(0, ring.getCursor(), "the second waits for the only chunk");
            assertTrue(event.inOverflow());
            assertEquals(large.length, event.length);
            assertEquals(0x5A, event.buffer.getByte(large.length - 1));
            assertEquals(1, reader.counters().dropped(ReceiveCounters.OVERFLOW_FULL));
            event.releaseOverflow();
            assertEquals(0, overflow.unitsInUse());
            send(sender, "127.0.0.1", large);
            awaitTrue(() -> ring.getCursor() == 1);
            assertEquals(1, overflow.unitsInUse());
        }
    }

    @Test
    void shouldReopenSocketAndKeepReceivingWhenSocketFails() throws Exception
    {
        reader = startReader("127.0.0.1", AllowList.ALL, DatagramReader.MAX_UDP_PAYLOAD);
        final int port = reader.bound().port();
        reader.channel().close();
        awaitTrue(() -> reader.counters().socketErrors() >= 1 && reader.channel() != null && reader.channel().isOpen());
        assertEquals(port, reader.bound().port());
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            send(sender, "127.0.0.1", v9Header(7));
            awaitTrue(() -> ring.getCursor() == 0);
            assertEquals(1, reader.counters().totalPackets());
        }
    }

    @Test
    void shouldTakeReportOfTwiceTheRequestAsGrantedReceiveBuffer()
    {
        assertFalse(DatagramReader.receiveBufferCapped(65_536, 131_072), "Linux doubles what it set");
        assertFalse(DatagramReader.receiveBufferCapped(65_536, 65_536), "kernels reporting the value set");
    }

    @Test
    void shouldTakeAnythingElseBelowTwiceTheRequestAsCappedReceiveBuffer()
    {
        assertTrue(DatagramReader.receiveBufferCapped(8_388_608, 425_984), "2 x default rmem_max 212992");
        assertTrue(DatagramReader.receiveBufferCapped(8_388_608, 212_992));
    }

    private DatagramReader startReader(final String address, final AllowList allow, final int maxPayload)
        throws Exception
    {
        final ListenerSpec spec = new ListenerSpec(ListenerProtocol.NETFLOW, InetAddress.getByName(address), 0, allow);
        final DatagramReader r = new DatagramReader(spec, ring, overflow, 3, CLOCK, 1 << 20, maxPayload);
        r.bind();
        r.start("test-reader");
        return r;
    }

    private void send(final DatagramSocket sender, final String host, final byte[] payload) throws Exception
    {
        sender.send(new DatagramPacket(payload, payload.length, InetAddress.getByName(host), reader.bound().port()));
    }

    /** A NetFlow v9 header (RFC 3954 s5.1) with no flowset: version 9, count 0, source ID as given. */
    static byte[] v9Header(final int sourceId)
    {
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20);
        b.putShort((short)9);     // version
        b.putShort((short)0);     // count
        b.putInt(1000);           // sysUptime, ms
        b.putInt(1_700_000_000);  // unix secs
        b.putInt(1);              // package sequence
        b.putInt(sourceId);       // source ID
        return b.array();
    }
}
