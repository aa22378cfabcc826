package io.goflow.exporter.ring;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bound on the {@link io.goflow.exporter.decoders.FlowRecord}s all ring slots may hold together.
 * Slots grow their record arrays on demand and keep them, so without a bound a burst of datagrams
 * with thousands of tiny records could, slot after slot, take the heap. A slot that may not grow
 * refuses the excess records, which the decode shard counts ({@code record_budget}).
 *
 * <p>Thread-safe: shards grow slots concurrently; only growth touches the budget, never the
 * steady state.
 */
public final class RecordBudget
{
    /** Rough heap cost of one {@code FlowRecord} (about 70 fields) with its array slot, bytes. */
    public static final int RECORD_BYTES_ESTIMATE = 640;
    /** Share of the maximum heap the ring's records may take by default: one quarter. */
    public static final int HEAP_FRACTION_DIVISOR = 4;

    private final AtomicLong remaining;

    public RecordBudget(final long records)
    {
        this.remaining = new AtomicLong(records);
    }

    /** @return a budget of a quarter of the maximum heap ({@code -Xmx}) in records. */
    public static RecordBudget ofHeapShare()
    {
        return new RecordBudget(Runtime.getRuntime().maxMemory() / HEAP_FRACTION_DIVISOR / RECORD_BYTES_ESTIMATE);
    }

    /** @return true when {@code records} more records may be allocated (and takes them). */
    public boolean tryAcquire(final int records)
    {
        long current;
        do
        {
            current = remaining.get();
            if (current < records)
            {
                return false;
            }
        }
        while (!remaining.compareAndSet(current, current - records));
        return true;
    }

    /** @return records that may still be allocated. */
    public long remaining()
    {
        return remaining.get();
    }
}
