package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldSetBufferTest
{
    private final List<String> replayed = new ArrayList<>();
    private final HeldSetBuffer.ReplayHandler handler =
        (receivedNs, exportTimeSec, sequence, sysUptimeMs, templateId, body, offset, length) ->
            replayed.add(templateId + "@" + receivedNs + ":" + exportTimeSec + ":" + sequence + ":" + sysUptimeMs + ":"
                + hex(body, offset, length));

    private static String hex(final DirectBuffer b, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            sb.append(String.format("%02x", b.getByte(offset + i)));
        }
        return sb.toString();
    }

    private static boolean hold(final HeldSetBuffer held, final long receivedNs, final int templateId, final String body)
    {
        final UnsafeBuffer b = new ByteFixture().hex(body).toBuffer();
        return held.hold(receivedNs, 1_700_000_000L, 0xFFFF_FFF0L, -5, templateId, b, 0, b.capacity());
    }

    @Test
    void shouldReplayOnlySetsOfArrivingTemplateInArrivalOrder()
    {
        final HeldSetBuffer held = new HeldSetBuffer(4096);
        hold(held, 1, 256, "0102");
        hold(held, 2, 257, "0304");
        hold(held, 3, 256, "050607");

        assertEquals(2, held.replay(256, handler));

        assertEquals(List.of(
            "256@1:1700000000:4294967280:-5:0102",
            "256@3:1700000000:4294967280:-5:050607"), replayed);
        assertEquals(1, held.count());
        replayed.clear();
        held.replay(257, handler);
        assertEquals(List.of("257@2:1700000000:4294967280:-5:0304"), replayed);
        assertEquals(0, held.usedBytes());
    }

    @Test
    void shouldRefuseSetWhenCapacityWouldBeExceeded()
    {
        final HeldSetBuffer held = new HeldSetBuffer(HeldSetBuffer.HEADER_LENGTH + 8);

        assertTrue(hold(held, 1, 256, "0102030405060708"));
        assertFalse(hold(held, 2, 256, "01"));
        assertEquals(1, held.count());
    }

    @Test
    void shouldRefuseEverythingWhenCapacityIsZero()
    {
        assertFalse(hold(new HeldSetBuffer(0), 1, 256, "01"));
    }

    @Test
    void shouldDropOnlySetsReceivedBeforeDeadlineWhenExpiring()
    {
        final HeldSetBuffer held = new HeldSetBuffer(4096);
        hold(held, 10, 256, "01");
        hold(held, 20, 257, "02");
        hold(held, 30, 258, "03");

        assertEquals(2, held.expire(21));

        held.replay(258, handler);
        assertEquals(List.of("258@30:1700000000:4294967280:-5:03"), replayed);
    }

    @Test
    void shouldKeepHoldingAfterGrowingPastFirstAllocation()
    {
        final HeldSetBuffer held = new HeldSetBuffer(64 * 1024);
        final String body = "ab".repeat(1000);
        for (int i = 0; i < 20; i++)
        {
            assertTrue(hold(held, i, 256 + (i % 2), body));
        }

        assertEquals(10, held.replay(257, handler));
        assertEquals(10, held.count());
        assertTrue(replayed.get(9).endsWith(body));
    }
}
