package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Header layouts from RFC 3954 s5.1 (v9), RFC 7011 s3.1 (IPFIX) and the sFlow v5 datagram header. */
class ProtocolDetectorTest
{
    @Test
    void shouldDetectNetflowV9ByVersion()
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(20);
        b.putShort(0, (short)9);
        assertEquals(FlowType.NETFLOW_V9, ProtocolDetector.detect(new UnsafeBuffer(b), 0, 20));
    }

    @Test
    void shouldDetectIpfixAndV5ByVersion()
    {
        final ByteBuffer b = ByteBuffer.allocate(24);
        final UnsafeBuffer u = new UnsafeBuffer(b);
        b.putShort(0, (short)10);
        assertEquals(FlowType.IPFIX, ProtocolDetector.detect(u, 0, 24));
        b.putShort(0, (short)5);
        assertEquals(FlowType.NETFLOW_V5, ProtocolDetector.detect(u, 0, 24));
    }

    @Test
    void shouldDetectSflowByThirtyTwoBitVersion()
    {
        final ByteBuffer b = ByteBuffer.allocate(28);
        final UnsafeBuffer u = new UnsafeBuffer(b);
        b.putInt(0, 5);
        assertEquals(FlowType.SFLOW_5, ProtocolDetector.detect(u, 0, 28));
        b.putInt(0, 4);
        assertNull(ProtocolDetector.detect(u, 0, 28));
        assertEquals(DecodeError.BAD_VERSION, ProtocolDetector.unrecognisedReason(u, 0, 28));
    }

    @Test
    void shouldReportUnknownOnlyWhenShorterThanTheProtocolsVersionField()
    {
        final ByteBuffer b = ByteBuffer.allocate(4);
        final UnsafeBuffer u = new UnsafeBuffer(b);
        b.putShort(0, (short)9);
        assertNull(ProtocolDetector.detect(u, 0, 1));
        assertEquals(DecodeError.TRUNCATED, ProtocolDetector.unrecognisedReason(u, 0, 1));
        assertEquals(FlowType.NETFLOW_V9, ProtocolDetector.detect(u, 0, 3), "the decoder also says netflow_v9");
        b.putInt(0, 5);
        assertNull(ProtocolDetector.detect(u, 0, 3), "sFlow's version field is 4 bytes");
        assertEquals(DecodeError.TRUNCATED, ProtocolDetector.unrecognisedReason(u, 0, 3));
    }

    @Test
    void shouldReadV9SourceIdAtOffsetSixteenAndIpfixDomainIdAtOffsetTwelve()
    {
        final ByteBuffer b = ByteBuffer.allocate(20);
        final UnsafeBuffer u = new UnsafeBuffer(b);
        b.putShort(0, (short)9);
        b.putInt(12, 77);
        b.putInt(16, 0xFFFF_FFFE);
        assertEquals(0xFFFF_FFFEL, ProtocolDetector.domainId(u, 0, 20));
        assertEquals(0, ProtocolDetector.domainId(u, 0, 19));
        b.putShort(0, (short)10);
        assertEquals(77, ProtocolDetector.domainId(u, 0, 16));
        assertEquals(0, ProtocolDetector.domainId(u, 0, 15));
    }

    @Test
    void shouldReadNoDomainIdOutsideV9AndIpfix()
    {
        final ByteBuffer b = ByteBuffer.allocate(24);
        b.putShort(0, (short)5);
        b.putInt(12, 77);
        b.putInt(16, 78);
        assertEquals(0, ProtocolDetector.domainId(new UnsafeBuffer(b), 0, 24));
    }

    @Test
    void shouldReadAtTheGivenOffset()
    {
        final ByteBuffer b = ByteBuffer.allocate(40);
        final UnsafeBuffer u = new UnsafeBuffer(b);
        b.putShort(0, (short)9);
        b.putShort(8, (short)10);
        b.putInt(8 + 12, 0x0102_0304);
        assertEquals(FlowType.IPFIX, ProtocolDetector.detect(u, 8, 16));
        assertEquals(0x0102_0304, ProtocolDetector.domainId(u, 8, 16));
    }

    /**
     * The wire is big-endian whatever the buffer's order: the same bytes under a little-endian
     * ByteBuffer give the same protocol and domain, where a read in the buffer's own order would see
     * version 0x0900 and domain 0x4D000000.
     */
    @Test
    void shouldGiveTheSameAnswerForALittleEndianOrderedByteBuffer()
    {
        for (final ByteOrder order : new ByteOrder[]{ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN})
        {
            final ByteBuffer v9 = ByteBuffer.allocateDirect(20).order(order);
            v9.put(0, (byte)0).put(1, (byte)9).put(16, (byte)0).put(17, (byte)0).put(18, (byte)0).put(19, (byte)77);
            assertEquals(FlowType.NETFLOW_V9, ProtocolDetector.detect(new UnsafeBuffer(v9), 0, 20), order.toString());
            assertEquals(77, ProtocolDetector.domainId(new UnsafeBuffer(v9), 0, 20), order.toString());

            final ByteBuffer sflow = ByteBuffer.allocate(8).order(order);
            sflow.put(3, (byte)5);
            assertEquals(FlowType.SFLOW_5, ProtocolDetector.detect(new UnsafeBuffer(sflow), 0, 8), order.toString());
        }
    }
}
