package io.goflow.exporter.ring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RingsTest
{
    @Test
    void shouldRoundQueueSizeUpToPowerOfTwoWhenNotOne()
    {
        assertEquals(16384, Rings.ringSize(10_000));
        assertEquals(1024, Rings.ringSize(1000));
        assertEquals(2048, Rings.ringSize(1025));
    }

    @Test
    void shouldKeepQueueSizeWhenAlreadyPowerOfTwo()
    {
        assertEquals(16384, Rings.ringSize(16384));
        assertEquals(4, Rings.ringSize(4));
    }

    @Test
    void shouldUseMinimumRingWhenQueueSizeTiny()
    {
        assertEquals(2, Rings.ringSize(1));
        assertEquals(2, Rings.ringSize(0));
    }

    @Test
    void shouldMapWaitStrategyNames()
    {
        assertInstanceOf(BlockingBackoffWaitStrategy.class, Rings.waitStrategy("blocking"));
        assertInstanceOf(BlockingBackoffWaitStrategy.class, Rings.waitStrategy(""));
        assertInstanceOf(YieldingWaitStrategy.class, Rings.waitStrategy("yielding"));
        assertInstanceOf(BusySpinWaitStrategy.class, Rings.waitStrategy("busy_spin"));
    }

    @Test
    void shouldRejectUnknownWaitStrategy()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Rings.waitStrategy("sleeping"));
        assertEquals(true, ex.getMessage().contains("performance.wait_strategy"));
    }
}
