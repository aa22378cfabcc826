package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.FlowRecord;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * The {@link FlowRecord}s one decode shard may have in flight: taken by the shard when it decodes a
 * datagram into a ring slot, given back by the aggregation handler once it has aggregated that
 * slot. A fixed number of records, preallocated, so the memory for decoded records is bounded by
 * {@code shards × capacity} whatever the ring size or backlog; a shard that finds its pool empty
 * waits for aggregation (backpressure), and the raw datagrams queue in the ring instead.
 *
 * <p>Thread ownership: single consumer (the shard: {@link #take()}), single producer (the
 * aggregation thread: {@link #give(FlowRecord)}), over Agrona's allocation-free
 * {@link OneToOneConcurrentArrayQueue}.
 */
public final class RecordPool
{
    /** Records per shard when not configured: enough for several hundred typical datagrams. */
    public static final int DEFAULT_CAPACITY = 8192;
    /**
     * Records over all shards when not configured: 65,536 (about 40 MiB), split evenly, each shard
     * getting at least {@link #MIN_CAPACITY}.
     */
    public static final int DEFAULT_TOTAL_CAPACITY = 65_536;
    /** Smallest default pool per shard. */
    public static final int MIN_CAPACITY = 512;

    private final OneToOneConcurrentArrayQueue<FlowRecord> free;
    private final int capacity;

    /**
     * @param capacity records in the pool; a datagram can carry at most this many records into the
     *                 ring.
     */
    public RecordPool(final int capacity)
    {
        this.capacity = capacity;
        this.free = new OneToOneConcurrentArrayQueue<>(capacity);
        for (int i = 0; i < capacity; i++)
        {
            free.offer(new FlowRecord());
        }
    }

    /** @return the default pool size per shard for {@code shards} shards. */
    public static int defaultCapacity(final int shards)
    {
        return Math.max(MIN_CAPACITY, DEFAULT_TOTAL_CAPACITY / Math.max(1, shards));
    }

    /** @return a free record (stale content), or {@code null} when all are in flight. Shard only. */
    public FlowRecord take()
    {
        return free.poll();
    }

    /** Returns a record taken earlier. Aggregation thread only. */
    public void give(final FlowRecord record)
    {
        free.offer(record);
    }

    /** @return records currently free (approximate while in use). */
    public int available()
    {
        return free.size();
    }

    public int capacity()
    {
        return capacity;
    }
}
