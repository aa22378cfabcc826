package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.api.FlowRecord;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * The {@link FlowRecord}s one decode shard may have in flight: taken by the shard when it decodes a
 * datagram into a ring slot, given back by the aggregation handler once it has aggregated that
 * slot. A fixed number of records, preallocated, so the memory for decoded records is bounded by
 * {@code shards × capacity} whatever the ring size or backlog; a shard that finds its pool empty
 * waits for aggregation (backpressure), and the raw datagrams queue in the ring instead.
 *
 * <h2>References</h2>
 * The pool also keeps, for the ring slots, the references to the records each datagram carries: a
 * FIFO of {@code capacity} references (rounded up to a power of two) that the shard appends to
 * ({@link #appendReference}) and the aggregation handler reads back ({@link #reference}). A
 * datagram's records are consecutive in it, and the shard's datagrams are aggregated in the order
 * it decoded them, so at most {@code capacity} references (one per record in flight) are ever live
 * and the FIFO never overwrites one still to be read. Ring slots therefore hold no array of their
 * own that could grow with the largest datagram they have seen.
 *
 * <p>Thread ownership: single consumer (the shard: {@link #take()}, {@link #appendReference}),
 * single producer (the aggregation thread: {@link #give(FlowRecord)}, {@link #reference}), over
 * Agrona's allocation-free {@link OneToOneConcurrentArrayQueue}; the ring's sequence barriers order
 * the reference writes before their reads.
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
    /**
     * Heap bytes accounted per pooled record: the {@link FlowRecord} with its interface-name array,
     * its queue slot and its reference slot (measured about 600 by {@code RecordPoolTest}).
     */
    public static final int RECORD_BYTES = 640;

    private final OneToOneConcurrentArrayQueue<FlowRecord> free;
    private final int capacity;
    private final FlowRecord[] references;
    private final int referenceMask;
    private long appended;

    /**
     * @param capacity records in the pool; a datagram can carry at most this many records into the
     *                 ring.
     */
    public RecordPool(final int capacity)
    {
        this.capacity = capacity;
        this.free = new OneToOneConcurrentArrayQueue<>(capacity);
        this.references = new FlowRecord[Integer.highestOneBit(Math.max(1, capacity - 1)) << 1];
        this.referenceMask = references.length - 1;
        for (int i = 0; i < capacity; i++)
        {
            free.offer(new FlowRecord());
        }
    }

    /** @return heap bytes of the pools of {@code shards} shards with the default capacity. */
    public static long defaultBytes(final int shards)
    {
        return (long)shards * defaultCapacity(shards) * RECORD_BYTES;
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

    /**
     * Appends the reference to a record the shard took and hands to a ring slot.
     *
     * @return its position, for {@link #reference}. Shard only.
     */
    public long appendReference(final FlowRecord record)
    {
        final long position = appended++;
        references[(int)position & referenceMask] = record;
        return position;
    }

    /** @return the record appended at {@code position}. Aggregation thread, before giving it back. */
    public FlowRecord reference(final long position)
    {
        return references[(int)position & referenceMask];
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
