package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.api.FlowType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ProtocolSlotTest
{
    @Test
    void shouldDetectNetflowV9ByVersion()
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(20);
        b.putShort(0, (short)9);
        assertEquals(FlowType.NETFLOW_V9.ordinal(), ProtocolSlot.detect(b, 20));
    }

    @Test
    void shouldDetectIpfixAndV5ByVersion()
    {
        final ByteBuffer b = ByteBuffer.allocate(24);
        b.putShort(0, (short)10);
        assertEquals(FlowType.IPFIX.ordinal(), ProtocolSlot.detect(b, 24));
        b.putShort(0, (short)5);
        assertEquals(FlowType.NETFLOW_V5.ordinal(), ProtocolSlot.detect(b, 24));
    }

    @Test
    void shouldDetectSflowByThirtyTwoBitVersion()
    {
        final ByteBuffer b = ByteBuffer.allocate(28);
        b.putInt(0, 5);
        assertEquals(FlowType.SFLOW_5.ordinal(), ProtocolSlot.detect(b, 28));
        b.putInt(0, 4);
        assertEquals(ProtocolSlot.UNKNOWN, ProtocolSlot.detect(b, 28));
    }

    @Test
    void shouldReportUnknownOnlyWhenShorterThanTheProtocolsVersionField()
    {
        final ByteBuffer b = ByteBuffer.allocate(4);
        b.putShort(0, (short)9);
        assertEquals(ProtocolSlot.UNKNOWN, ProtocolSlot.detect(b, 1));
        assertEquals(FlowType.NETFLOW_V9.ordinal(), ProtocolSlot.detect(b, 3), "the decoder also says netflow_v9");
        b.putInt(0, 5);
        assertEquals(ProtocolSlot.UNKNOWN, ProtocolSlot.detect(b, 3), "sFlow's version field is 4 bytes");
    }

    @Test
    void shouldReadV9SourceIdAtOffsetSixteen()
    {
        final ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort(0, (short)9);
        b.putInt(16, 0xFFFF_FFFE);
        assertEquals(0xFFFF_FFFEL, ProtocolSlot.domainId(b, 20, FlowType.NETFLOW_V9.ordinal()));
        assertEquals(0, ProtocolSlot.domainId(b, 19, FlowType.NETFLOW_V9.ordinal()));
    }

    @Test
    void shouldReadIpfixDomainIdAtOffsetTwelve()
    {
        final ByteBuffer b = ByteBuffer.allocate(16);
        b.putShort(0, (short)10);
        b.putInt(12, 77);
        assertEquals(77, ProtocolSlot.domainId(b, 16, FlowType.IPFIX.ordinal()));
    }

    @Test
    void shouldKeepShardInRangeAndStableForOneExporter()
    {
        for (int i = 0; i < 1000; i++)
        {
            final int shard = ProtocolSlot.shard(0, 0x0000_FFFF_7F00_0000L | i, i % 3, 7);
            assertEquals(shard, ProtocolSlot.shard(0, 0x0000_FFFF_7F00_0000L | i, i % 3, 7));
            assertEquals(true, shard >= 0 && shard < 7);
        }
    }

    @Test
    void shouldSpreadExportersOverShards()
    {
        final int[] perShard = new int[4];
        for (int i = 0; i < 400; i++)
        {
            perShard[ProtocolSlot.shard(0, 0x0000_FFFF_0A00_0000L | i, 0, 4)]++;
        }
        for (final int n : perShard)
        {
            assertNotEquals(0, n);
            assertEquals(true, n > 50, "uneven spread " + java.util.Arrays.toString(perShard));
        }
    }
}
