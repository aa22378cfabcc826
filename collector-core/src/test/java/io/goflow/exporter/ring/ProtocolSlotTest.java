package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.dispatch.ProtocolDetector;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ProtocolSlotTest
{
    @Test
    void shouldMapDetectedProtocolsToFlowTypeOrdinalsAndNothingToUnknown()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[20]);
        b.putShort(0, (short)9, ByteOrder.BIG_ENDIAN);
        assertEquals(FlowType.NETFLOW_V9.ordinal(), ProtocolSlot.of(ProtocolDetector.detect(b, 0, 20)));
        b.putShort(0, (short)0xBEEF, ByteOrder.BIG_ENDIAN);
        assertEquals(ProtocolSlot.UNKNOWN, ProtocolSlot.of(ProtocolDetector.detect(b, 0, 20)));
        assertEquals("netflow_v9", ProtocolSlot.label(FlowType.NETFLOW_V9.ordinal()));
        assertEquals("unknown", ProtocolSlot.label(ProtocolSlot.UNKNOWN));
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
