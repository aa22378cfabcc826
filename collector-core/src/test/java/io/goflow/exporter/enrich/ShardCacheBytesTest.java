package io.goflow.exporter.enrich;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap the budget charges for a shard's caches against what the JVM counts when they are built. */
class ShardCacheBytesTest
{
    private static final ThreadMXBean THREADS = (ThreadMXBean)ManagementFactory.getThreadMXBean();
    /** Array headers and the objects around the arrays. */
    private static final long OBJECT_SLACK_BYTES = 1024;

    private static long allocatedBy(final Runnable build)
    {
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        build.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void shouldChargeAtLeastWhatAnAddressCacheAllocates()
    {
        for (final int capacity : new int[] {0, 2, 1_000, 100_000, 1_000_001})
        {
            final long allocated = allocatedBy(() -> new AddressCache(capacity));
            final long charged = AddressCache.bytes(capacity);
            assertTrue(allocated <= charged + OBJECT_SLACK_BYTES, capacity + ": " + allocated + " > " + charged);
            assertTrue(allocated >= charged, capacity + ": " + allocated + " < " + charged + " (charge too high)");
        }
    }

    @Test
    void shouldChargeAtLeastWhatACityTableAllocates()
    {
        for (final int cities : new int[] {0, 1, 1_000, 50_000})
        {
            final long allocated = allocatedBy(() -> new CityTable(cities));
            final long charged = CityTable.bytes(cities);
            assertTrue(allocated <= charged + OBJECT_SLACK_BYTES, cities + ": " + allocated + " > " + charged);
            assertTrue(allocated >= charged, cities + ": " + allocated + " < " + charged);
        }
    }
}
