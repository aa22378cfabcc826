package io.goflow.exporter.decoders.header;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntUnaryOperator;

import io.goflow.exporter.decoders.netflow5.Netflow5Decoder;
import io.goflow.exporter.decoders.sflow.SflowDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The header checks of the fixed-header decoders, through the decoders themselves, with the version
 * fields where Cisco's v5 layout (u16 5 at offset 0, 24-byte header) and sflow_version_5.txt (u32 5
 * at offset 0) put them: another version is BAD_VERSION, a short datagram TRUNCATED, and neither is
 * counted accepted.
 */
class HeaderCheckTest
{
    private static final FlowSink NO_SINK = new FlowSink()
    {
        @Override
        public void onFlowRecord(final FlowRecord record)
        {
            throw new AssertionError("no record expected");
        }
    };

    private final DatagramSource source = new DatagramSource();

    @Test
    void netflow5AndSflowRejectOtherVersionAndShortDatagram()
    {
        final DecodeCounters counters = new DecodeCounters();
        final Netflow5Decoder netflow5 = new Netflow5Decoder(counters);
        final SflowDecoder sflow = new SflowDecoder(counters);
        final UnsafeBuffer v9 = new UnsafeBuffer(new byte[24]);
        v9.putByte(1, (byte)9);
        final UnsafeBuffer sflow4 = new UnsafeBuffer(new byte[28]);
        sflow4.putByte(3, (byte)4);
        sflow4.putByte(7, (byte)1);
        assertRejected(counters, FlowType.NETFLOW_V5, 24, (length) -> netflow5.decode(
            source.set(ListenerProtocol.AUTO, 0, 1, 0, 0), v9, 0, length, NO_SINK));
        assertRejected(counters, FlowType.SFLOW_5, 8, (length) -> sflow.decode(
            source.set(ListenerProtocol.AUTO, 0, 1, 0, 0), sflow4, 0, length, NO_SINK));
    }

    /** Decodes {@code minLength} bytes of another version, then one byte less. */
    private static void assertRejected(
        final DecodeCounters counters, final FlowType type, final int minLength, final IntUnaryOperator decode)
    {
        assertEquals(0, decode.applyAsInt(minLength));
        assertEquals(1, counters.rejections(type, DecodeError.BAD_VERSION));
        assertEquals(0, decode.applyAsInt(minLength - 1));
        assertEquals(1, counters.rejections(type, DecodeError.TRUNCATED));
        assertEquals(0, counters.datagrams(type));
    }

    @Test
    void versionReadAtItsOffsetAndWidth()
    {
        final DecodeCounters counters = new DecodeCounters();
        final HeaderCheck u32 = new HeaderCheck(counters, FlowType.SFLOW_5, 8, 0, 4, 5);
        final HeaderCheck u16 = new HeaderCheck(counters, FlowType.NETFLOW_V5, 8, 6, 2, 5);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        b.putByte(3, (byte)5); // u32 5 at 0
        b.putByte(7, (byte)5); // u16 5 at 6
        assertTrue(u32.accept(b, 0, 8));
        assertTrue(u16.accept(b, 0, 8));
        b.putByte(0, (byte)1); // the u32's high byte
        b.putByte(5, (byte)0xFF); // the byte before the u16
        assertFalse(u32.accept(b, 0, 8));
        assertTrue(u16.accept(b, 0, 8));
        assertEquals(1, counters.rejections(DecodeError.BAD_VERSION));
    }

    @Test
    void versionFieldMustLieInTheMinimumLength()
    {
        final DecodeCounters counters = new DecodeCounters();
        assertThrows(IllegalArgumentException.class, () -> new HeaderCheck(counters, FlowType.SFLOW_5, 6, 4, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> new HeaderCheck(counters, FlowType.SFLOW_5, 8, 0, 3, 5));
    }
}
