package io.goflow.exporter.ring;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordPoolTest
{
    /** The accounted figure is at least what the JVM allocates (the thread's allocation counter). */
    @Test
    void shouldAccountAtLeastTheHeapItsRecordsTake()
    {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        new RecordPool(16);
        final long before = mx.getThreadAllocatedBytes(thread);
        final RecordPool pool = new RecordPool(8192);
        final long perRecord = (mx.getThreadAllocatedBytes(thread) - before) / pool.capacity();
        assertTrue(perRecord <= RecordPool.RECORD_BYTES, perRecord + " bytes per record > " + RecordPool.RECORD_BYTES);
        System.out.println("measured: " + perRecord + " B per pooled record (accounted " + RecordPool.RECORD_BYTES + ")");
    }
}
