package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Steady state allocates nothing: once templates are known, decoding v9 and IPFIX datagrams
 * (template refreshes, options, data, biflow) allocates no byte on the decoding thread. Measured
 * with the JVM's per-thread allocation counter, which counts bytes, not time. The bound is under
 * one byte per datagram: any per-datagram or per-record object (at least 16 bytes) breaks it, while
 * a one-off runtime allocation on the thread (a few dozen bytes, seen in full-suite runs) does not.
 */
class DatagramDecoderAllocationTest
{
    private static final int ROUNDS = 20_000;

    private final DatagramSource source = new DatagramSource();
    private long sum;
    private final FlowSink sink = new FlowSink()
    {
        @Override
        public void onFlowRecord(final FlowRecord record)
        {
            sum += record.bytes;
        }
    };

    /** v9: template 256 (src, dst, bytes, FIRST_SWITCHED), options 257 (SAMPLING_INTERVAL), data. */
    private static UnsafeBuffer v9()
    {
        return new ByteFixture()
            .u16(9).u16(3).u32(100_000).u32(1_700_000_000L).u32(1).u32(0)  // header
            .u16(0).u16(4 + 4 + 16)                                        // template FlowSet
            .u16(256).u16(4)
            .u16(8).u16(4).u16(12).u16(4).u16(1).u16(4).u16(22).u16(4)
            .u16(1).u16(4 + 6 + 8 + 2)                                     // options template FlowSet
            .u16(257).u16(4).u16(4).u16(1).u16(4).u16(34).u16(4).u16(0)
            .u16(257).u16(4 + 8).u32(0).u32(10)                            // options data: 1-in-10
            .u16(256).u16(4 + 32)                                          // two records
            .ipv4("192.0.2.1").ipv4("192.0.2.2").u32(100).u32(99_000)
            .ipv4("192.0.2.3").ipv4("192.0.2.4").u32(200).u32(99_500)
            .toBuffer();
    }

    /** IPFIX: biflow template 300 with reverse octets, data with one biflow record. */
    private static UnsafeBuffer ipfix()
    {
        final byte[] b = new ByteFixture()
            .u16(10).u16(0).u32(1_700_000_000L).u32(0).u32(1)             // header, length patched
            .u16(2).u16(4 + 4 + 12 + 8)
            .u16(300).u16(4)
            .u16(8).u16(4).u16(12).u16(4).u16(1).u16(8)
            .u16(0x8001).u16(8).u32(29305)                                 // reverseOctetDeltaCount
            .u16(300).u16(4 + 24)
            .ipv4("10.0.0.1").ipv4("10.0.0.2").u64(500).u64(900)
            .toArray();
        b[3] = (byte)b.length;
        return new UnsafeBuffer(b);
    }

    /**
     * IPFIX PSAMP: selector options (302 scope, 304, 305/306) and two packet reports (302 +
     * variable-length 315) of Ethernet, 802.1Q VLAN 5, IPv4 10.0.0.1 -> 10.0.0.2 TCP 1000 -> 80.
     */
    private static UnsafeBuffer packetReports()
    {
        final ByteFixture w = new ByteFixture()
            .u16(10).u16(0).u32(1_700_000_000L).u32(0).u32(1)             // header, length patched
            .u16(3).u16(4 + 6 + 16)                                        // options template 400
            .u16(400).u16(4).u16(1)
            .u16(302).u16(8).u16(304).u16(2).u16(305).u16(4).u16(306).u16(4)
            .u16(400).u16(4 + 18 + 2).u64(7).u16(1).u32(1).u32(99).u16(0)  // selector 7: 1 in 100
            .u16(2).u16(4 + 4 + 8)                                         // template 401
            .u16(401).u16(2).u16(302).u16(8).u16(315).u16(0xFFFF)
            .u16(401).u16(4 + 2 * (8 + 1 + 58) + 2);                       // two reports, 2 padding
        for (int i = 0; i < 2; i++)
        {
            w.u64(7).u8(58)                                                // selector 7; 58-byte section
                .hex("020000000001 020000000002").u16(0x8100).u16(5).u16(0x0800)
                .hex("45000400 00014000 40060000").ipv4("10.0.0.1").ipv4("10.0.0.2")
                .u16(1000).u16(80).u32(0).u32(0).u8(0x50).u8(0x10).u16(0).u16(0).u16(0);
        }
        final byte[] b = w.u16(0).toArray();
        b[2] = (byte)(b.length >>> 8);
        b[3] = (byte)b.length;
        return new UnsafeBuffer(b);
    }

    @Test
    void shouldAllocateNothingPerPacketReportWhenTemplatesAreKnown()
    {
        final DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters());
        final UnsafeBuffer reports = packetReports();

        final long allocated = allocatedByRounds(
            () -> decoder.decode(
                source.set(ListenerProtocol.IPFIX, 0, 1, 4739, 1), reports, 0, reports.capacity(), sink));

        sum = 0;
        assertEquals(2, decoder.decode(
            source.set(ListenerProtocol.IPFIX, 0, 1, 4739, 1), reports, 0, reports.capacity(), sink));
        assertEquals(2 * 1024, sum, "bytes from the sections' IPv4 total length");
        assertTrue(allocated < ROUNDS, allocated + " bytes allocated by " + ROUNDS + " datagrams of packet reports");
    }

    @Test
    void shouldAllocateNothingPerDatagramWhenTemplatesAreKnown()
    {
        final DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters());
        final UnsafeBuffer v9 = v9();
        final UnsafeBuffer ipfix = ipfix();

        final long allocated = allocatedByRounds(() -> decodeOnce(decoder, v9, ipfix));

        assertEquals(4, decodeOnce(decoder, v9, ipfix), "two v9 records, a biflow's forward and reverse");
        assertTrue(allocated < ROUNDS, allocated + " bytes allocated by " + 2 * ROUNDS + " datagrams");
    }

    /** Runs {@code round} {@link #ROUNDS} times to warm up, then again measured. @return bytes allocated. */
    private static long allocatedByRounds(final Runnable round)
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < ROUNDS; i++)
        {
            round.run();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ROUNDS; i++)
        {
            round.run();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private int decodeOnce(final DatagramDecoder decoder, final UnsafeBuffer v9, final UnsafeBuffer ipfix)
    {
        return decoder.decode(source.set(ListenerProtocol.NETFLOW, 0, 1, 2055, 1), v9, 0, v9.capacity(), sink) +
            decoder.decode(source.set(ListenerProtocol.IPFIX, 0, 1, 4739, 1), ipfix, 0, ipfix.capacity(), sink);
    }
}
