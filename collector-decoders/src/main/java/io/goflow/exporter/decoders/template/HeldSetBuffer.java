package io.goflow.exporter.decoders.template;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Bounded FIFO of data sets that arrived before their template, copied with the header context
 * needed to decode them later. One per exporter, grown on demand up to its capacity and freed
 * again once empty (so an exporter that is not holding anything costs nothing).
 *
 * <h2>Bounds</h2>
 * At most {@code capacityBytes} per exporter ({@code pending_bytes_per_exporter}) and, over every
 * exporter and shard, what the shared {@link StateBudget} grants ({@code pending_bytes_total}):
 * each growth of the array is reserved there first and every free given back, so the bytes
 * counted are the bytes allocated. A set that does not fit is refused and the refusal counted by
 * the limit that refused it.
 *
 * <pre>
 * entry, 8-byte aligned:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                     receivedNs (64, epoch ns)                 |
 * +---------------------------------------------------------------+
 * |            exportTimeSec (64: IPFIX export time / v9 unix secs)|
 * +---------------------------------------------------------------+
 * |                     sequence (32)                             |
 * +---------------------------------------------------------------+
 * |                     sysUptimeMs (32, v9 only)                 |
 * +-------------------------------+-------------------------------+
 * |        templateId (16)        |          reserved (16)        |
 * +-------------------------------+-------------------------------+
 * |                     setBodyLength (32)                        |
 * +---------------------------------------------------------------+
 * |                 set body (records and padding) ...            |
 * </pre>
 *
 * <p>Owned by the decoding thread. All values native order: never leaves the process.
 */
public final class HeldSetBuffer
{
    static final int RECEIVED_NS_OFFSET = 0;
    static final int EXPORT_TIME_OFFSET = RECEIVED_NS_OFFSET + 8;
    static final int SEQUENCE_OFFSET = EXPORT_TIME_OFFSET + 8;
    static final int SYS_UPTIME_OFFSET = SEQUENCE_OFFSET + 4;
    static final int TEMPLATE_ID_OFFSET = SYS_UPTIME_OFFSET + 4;
    static final int LENGTH_OFFSET = TEMPLATE_ID_OFFSET + 4;
    static final int HEADER_LENGTH = LENGTH_OFFSET + 4;

    private static final int MIN_ALLOCATION = 4096;

    /** Called for each held set being replayed; {@code body} is valid only during the call. */
    public interface ReplayHandler
    {
        void onHeldSet(
            long receivedNs,
            long exportTimeSec,
            long sequence,
            int sysUptimeMs,
            int templateId,
            DirectBuffer body,
            int offset,
            int length);
    }

    private static final byte[] EMPTY = new byte[0];

    private final int capacity;
    private final StateBudget budget;
    private final UnsafeBuffer view = new UnsafeBuffer(EMPTY);
    private byte[] bytes = EMPTY;
    private int used;
    private int count;

    /** A buffer whose growth is only bounded by {@code capacityBytes} (tests). */
    public HeldSetBuffer(final int capacityBytes)
    {
        this(capacityBytes, StateBudget.unlimited());
    }

    /**
     * @param capacityBytes most bytes held, entry headers included; 0 disables holding.
     * @param budget        where the bytes allocated are reserved ({@code pending_bytes_total}).
     */
    public HeldSetBuffer(final int capacityBytes, final StateBudget budget)
    {
        this.capacity = Math.max(0, capacityBytes);
        this.budget = budget;
    }

    /**
     * Copies one set body.
     *
     * @return false when it does not fit in the remaining capacity or the shared budget (nothing
     *         is held; the refusal is counted in the budget by limit).
     */
    public boolean hold(
        final long receivedNs,
        final long exportTimeSec,
        final long sequence,
        final int sysUptimeMs,
        final int templateId,
        final DirectBuffer src,
        final int offset,
        final int length)
    {
        final int size = entrySize(length);
        if (length < 0 || size > capacity - used)
        {
            budget.refused(StateBudget.Limit.PENDING_BYTES_PER_EXPORTER);
            return false;
        }
        if (!ensure(used + size))
        {
            budget.refused(StateBudget.Limit.PENDING_BYTES_TOTAL);
            return false;
        }
        view.putLong(used + RECEIVED_NS_OFFSET, receivedNs, ByteOrder.nativeOrder());
        view.putLong(used + EXPORT_TIME_OFFSET, exportTimeSec, ByteOrder.nativeOrder());
        view.putInt(used + SEQUENCE_OFFSET, (int)sequence, ByteOrder.nativeOrder());
        view.putInt(used + SYS_UPTIME_OFFSET, sysUptimeMs, ByteOrder.nativeOrder());
        view.putInt(used + TEMPLATE_ID_OFFSET, templateId, ByteOrder.nativeOrder());
        view.putInt(used + LENGTH_OFFSET, length, ByteOrder.nativeOrder());
        view.putBytes(used + HEADER_LENGTH, src, offset, length);
        used += size;
        count++;
        budget.heldSets(1);
        return true;
    }

    /**
     * Hands every held set of {@code templateId} to {@code handler}, oldest first, and removes it.
     *
     * @return the number of sets replayed.
     */
    public int replay(final int templateId, final ReplayHandler handler)
    {
        int read = 0;
        int write = 0;
        int replayed = 0;
        while (read < used)
        {
            final int length = view.getInt(read + LENGTH_OFFSET, ByteOrder.nativeOrder());
            final int size = entrySize(length);
            if (view.getInt(read + TEMPLATE_ID_OFFSET, ByteOrder.nativeOrder()) == templateId)
            {
                handler.onHeldSet(
                    view.getLong(read + RECEIVED_NS_OFFSET, ByteOrder.nativeOrder()),
                    view.getLong(read + EXPORT_TIME_OFFSET, ByteOrder.nativeOrder()),
                    view.getInt(read + SEQUENCE_OFFSET, ByteOrder.nativeOrder()) & 0xFFFF_FFFFL,
                    view.getInt(read + SYS_UPTIME_OFFSET, ByteOrder.nativeOrder()),
                    templateId,
                    view,
                    read + HEADER_LENGTH,
                    length);
                replayed++;
            }
            else
            {
                if (write != read)
                {
                    System.arraycopy(bytes, read, bytes, write, size);
                }
                write += size;
            }
            read += size;
        }
        used = write;
        count -= replayed;
        afterRemoval(replayed);
        return replayed;
    }

    /**
     * Drops every set received before {@code olderThanNs} (entries are in arrival order).
     *
     * @return the number of sets dropped.
     */
    public int expire(final long olderThanNs)
    {
        int read = 0;
        int expired = 0;
        while (read < used && view.getLong(read + RECEIVED_NS_OFFSET, ByteOrder.nativeOrder()) - olderThanNs < 0)
        {
            read += entrySize(view.getInt(read + LENGTH_OFFSET, ByteOrder.nativeOrder()));
            expired++;
        }
        if (expired > 0)
        {
            System.arraycopy(bytes, read, bytes, 0, used - read);
            used -= read;
            count -= expired;
            afterRemoval(expired);
        }
        return expired;
    }

    /**
     * Drops every held set and frees the array (the stream is being forgotten).
     *
     * @return the number of sets dropped.
     */
    public int clear()
    {
        final int dropped = count;
        used = 0;
        count = 0;
        afterRemoval(dropped);
        return dropped;
    }

    /** @return bytes allocated now (what the budget counts for this buffer). */
    public int allocatedBytes()
    {
        return bytes.length;
    }

    /** @return sets currently held. */
    public int count()
    {
        return count;
    }

    /** @return bytes currently used, entry headers included. */
    public int usedBytes()
    {
        return used;
    }

    public int capacity()
    {
        return capacity;
    }

    private static int entrySize(final int length)
    {
        return (HEADER_LENGTH + length + 7) & ~7;
    }

    private void afterRemoval(final int removed)
    {
        if (removed > 0)
        {
            budget.heldSets(-removed);
        }
        if (count == 0 && bytes.length > 0)
        {
            budget.releaseHeld(bytes.length);
            bytes = EMPTY;
            view.wrap(EMPTY);
        }
    }

    /**
     * Grows the array to hold {@code required} bytes, reserving the growth in the budget (doubling
     * when the budget allows, else exactly what is required).
     *
     * @return false when the budget cannot grant even {@code required}.
     */
    private boolean ensure(final int required)
    {
        if (required <= bytes.length)
        {
            return true;
        }
        int newLength = Math.min(capacity, Math.max(required, Math.max(MIN_ALLOCATION, bytes.length * 2)));
        if (!budget.reserveHeld(newLength - bytes.length))
        {
            newLength = required;
            if (!budget.reserveHeld(newLength - bytes.length))
            {
                return false;
            }
        }
        final byte[] grown = new byte[newLength];
        System.arraycopy(bytes, 0, grown, 0, used);
        bytes = grown;
        view.wrap(bytes);
        return true;
    }
}
