package io.goflow.exporter.decoders;

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

    @Test
    void shouldAllocateNothingPerDatagramWhenTemplatesAreKnown()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters());
        final UnsafeBuffer v9 = v9();
        final UnsafeBuffer ipfix = ipfix();
        decodeRounds(decoder, v9, ipfix);

        final long before = threads.getCurrentThreadAllocatedBytes();
        decodeRounds(decoder, v9, ipfix);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(4, decodeOnce(decoder, v9, ipfix), "two v9 records, a biflow's forward and reverse");
        assertTrue(allocated < ROUNDS, allocated + " bytes allocated by " + 2 * ROUNDS + " datagrams");
    }

    private int decodeOnce(final DatagramDecoder decoder, final UnsafeBuffer v9, final UnsafeBuffer ipfix)
    {
        return decoder.decode(ListenerProtocol.NETFLOW, v9, 0, v9.capacity(), 0, 1, 2055, 1, sink) +
            decoder.decode(ListenerProtocol.IPFIX, ipfix, 0, ipfix.capacity(), 0, 1, 4739, 1, sink);
    }

    private void decodeRounds(final DatagramDecoder decoder, final UnsafeBuffer v9, final UnsafeBuffer ipfix)
    {
        for (int i = 0; i < ROUNDS; i++)
        {
            decoder.decode(ListenerProtocol.NETFLOW, v9, 0, v9.capacity(), 0, 1, 2055, 1, sink);
            decoder.decode(ListenerProtocol.IPFIX, ipfix, 0, ipfix.capacity(), 0, 1, 4739, 1, sink);
        }
    }
}
