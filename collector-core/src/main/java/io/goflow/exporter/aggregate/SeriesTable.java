package io.goflow.exporter.aggregate;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;

/**
 * Off-heap open-addressing table of fixed-width keys to fixed-width records, with a fixed capacity,
 * one writer thread and any number of reader threads.
 *
 * <h2>Layout</h2>
 * Two off-heap regions, both allocated once at construction:
 * <ul>
 *   <li>the <b>index</b>: {@code slots} entries of 8 bytes, {@code slots} the power of two at or
 *   above {@code 2 × capacity} so the load factor never exceeds 0.5 (linear probes stay short and
 *   an empty slot always ends a probe);
 *   <pre>
 *   0        4        8
 *   +--------+--------+
 *   | id + 1 |  hash  |   id + 1 == 0: empty slot
 *   +--------+--------+
 *   </pre></li>
 *   <li>the <b>store</b>: {@code capacity + extraRecords} records of {@link #recordLength()} bytes
 *   (header, key and value rounded up to 64, so a record starts on a cache line and its header,
 *   key and first value bytes share the first lines), addressed by a dense record id that never
 *   moves while the record is live;
 *   <pre>
 *   0      8        16           24            24 + keyLength
 *   +------+--------+------------+-------------+------------------+
 *   | seq  | state  | lastSeenNs |  key bytes  |  value bytes     |
 *   +------+--------+------------+-------------+------------------+
 *   </pre></li>
 * </ul>
 * Records with id {@code >= capacity} ({@code extraRecords} of them) are not reachable through the
 * index; the owner uses them for series outside the key space, such as the overflow series.
 * Free record ids are kept on an on-heap stack.
 *
 * <h2>Deletion</h2>
 * Linear probing with backward-shift deletion (Knuth 6.4 algorithm R): after emptying a slot, every
 * following entry of the same cluster that may legally sit in the hole moves back, so probe chains
 * never break and no tombstones accumulate. Only the index moves; records stay where they are.
 *
 * <h2>Ownership</h2>
 * The writer thread alone calls {@link #find}, {@link #insert}, {@link #beginWrite},
 * {@link #endWrite}, {@link #remove} and {@link #evictIdle}; the index is writer-private. Readers
 * see only the store, through {@link #read}, which is guarded by a per-record sequence lock: the
 * writer makes {@code seq} odd, writes, then publishes it even with a release store; a reader copies
 * the record between two reads of {@code seq} and retries until both are equal and even. The
 * writer therefore never blocks or waits, and a reader never sees a torn or half-updated record.
 * Every write section is closed in a {@code finally}, so an exception inside one cannot leave a
 * record odd (which would also flip the parity of every later section).
 */
public final class SeriesTable
{
    public static final int SEQ_OFFSET = 0;
    public static final int STATE_OFFSET = SEQ_OFFSET + 8;
    public static final int LAST_SEEN_OFFSET = STATE_OFFSET + 8;
    public static final int KEY_OFFSET = LAST_SEEN_OFFSET + 8;

    static final long STATE_FREE = 0;
    static final long STATE_LIVE = 1;

    /** How long {@link #read} waits for a record held by the writer before skipping it. */
    public static final long READ_TIMEOUT_NS_DEFAULT = 5_000_000_000L;
    private static final int READ_SPINS = 1_000;

    private static final int INDEX_ENTRY_LENGTH = 8;
    private static final int INDEX_HASH_OFFSET = 4;
    private static final int ALIGNMENT = 64;

    private final int capacity;
    private final int keyLength;
    private final int valueOffset;
    private final int recordLength;
    private final int slotMask;
    private final UnsafeBuffer index;
    private final UnsafeBuffer store;
    private final int[] freeIds;
    private final long readTimeoutNs;
    private int freeCount;
    private int sweepCursor;
    private volatile int highWaterMark;
    private volatile int size;

    /**
     * @param capacity     maximum number of keys, at least 1.
     * @param keyLength    key bytes, a multiple of 8.
     * @param valueLength  value bytes per record, a multiple of 8.
     * @param extraRecords records after the keyed ones, not reachable by key.
     * @throws IllegalArgumentException when a region would exceed 2 GiB.
     */
    public SeriesTable(final int capacity, final int keyLength, final int valueLength, final int extraRecords)
    {
        this(capacity, keyLength, valueLength, extraRecords, READ_TIMEOUT_NS_DEFAULT);
    }

    SeriesTable(
        final int capacity, final int keyLength, final int valueLength, final int extraRecords, final long readTimeoutNs)
    {
        if (capacity < 1 || (keyLength & 7) != 0 || (valueLength & 7) != 0 || extraRecords < 0)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " keyLength=" + keyLength +
                " valueLength=" + valueLength + " extraRecords=" + extraRecords);
        }
        this.capacity = capacity;
        this.keyLength = keyLength;
        this.valueOffset = KEY_OFFSET + keyLength;
        this.recordLength = recordLength(keyLength, valueLength);
        final int slots = slotsFor(capacity);
        this.slotMask = slots - 1;
        final long storeLength = (long)recordLength * (capacity + (long)extraRecords);
        if (storeLength > Integer.MAX_VALUE - ALIGNMENT)
        {
            throw new IllegalArgumentException("table of " + capacity + " records of " + recordLength +
                " bytes needs " + storeLength + " bytes, more than one 2 GiB region");
        }
        this.index = new UnsafeBuffer(BufferUtil.allocateDirectAligned(slots * INDEX_ENTRY_LENGTH, ALIGNMENT));
        this.store = new UnsafeBuffer(BufferUtil.allocateDirectAligned((int)storeLength, ALIGNMENT));
        this.freeIds = new int[capacity];
        this.readTimeoutNs = readTimeoutNs;
    }

    private static int recordLength(final int keyLength, final int valueLength)
    {
        return (KEY_OFFSET + keyLength + valueLength + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * @return off-heap bytes a table of these dimensions allocates (index and store, alignment
     * included), computed without allocating; the constructor's arguments.
     */
    public static long offHeapBytes(final int capacity, final int keyLength, final int valueLength, final int extraRecords)
    {
        return (long)slotsFor(capacity) * INDEX_ENTRY_LENGTH + ALIGNMENT +
            (long)recordLength(keyLength, valueLength) * (capacity + (long)extraRecords) + ALIGNMENT;
    }

    /** @return index slots for a capacity: the power of two at or above twice the capacity. */
    static int slotsFor(final int capacity)
    {
        final long wanted = Math.max(2L, 2L * capacity);
        final long slots = Long.highestOneBit(wanted - 1) << 1;
        if (slots * INDEX_ENTRY_LENGTH > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("capacity too large for one index region: " + capacity);
        }
        return (int)slots;
    }

    /** @return off-heap plus on-heap bytes held by this table, fixed for its lifetime. */
    public long memoryBytes()
    {
        return (long)index.capacity() + store.capacity() + 4L * freeIds.length;
    }

    public int capacity()
    {
        return capacity;
    }

    public int slots()
    {
        return slotMask + 1;
    }

    public int recordLength()
    {
        return recordLength;
    }

    /** @return offset of the value bytes inside a record. */
    public int valueOffset()
    {
        return valueOffset;
    }

    /** @return offset of record {@code id} in {@link #store()}. */
    public int recordOffset(final int id)
    {
        return id * recordLength;
    }

    /** @return the store, for the writer's value updates between {@link #beginWrite} and {@link #endWrite}. */
    public UnsafeBuffer store()
    {
        return store;
    }

    /** @return live keyed records; any thread. */
    public int size()
    {
        return size;
    }

    /** @return one past the highest keyed record id ever used; any thread, acquire semantics. */
    public int highWaterMark()
    {
        return highWaterMark;
    }

    /** @return the hash that {@link #find} and {@link #insert} expect for the key. */
    public int hashOf(final DirectBuffer key, final int keyOffset)
    {
        return SeriesKeyDescriptor.hash(key, keyOffset, keyLength);
    }

    /**
     * Writer only.
     *
     * @param hash {@link #hashOf} of the key.
     * @return the id of the record holding the key, or -1.
     */
    public int find(final DirectBuffer key, final int keyOffset, final int hash)
    {
        int slot = hash & slotMask;
        while (true)
        {
            final int entry = slot * INDEX_ENTRY_LENGTH;
            final int idPlusOne = index.getInt(entry);
            if (idPlusOne == 0)
            {
                return -1;
            }
            if (index.getInt(entry + INDEX_HASH_OFFSET) == hash && keyEquals(idPlusOne - 1, key, keyOffset))
            {
                return idPlusOne - 1;
            }
            slot = (slot + 1) & slotMask;
        }
    }

    /**
     * Writer only. Adds a key known to be absent, initializing a zeroed live record with
     * {@code lastSeenNs = nowNs}.
     *
     * @return the new record id, or -1 when the table holds {@link #capacity()} keys.
     */
    public int insert(final DirectBuffer key, final int keyOffset, final int hash, final long nowNs)
    {
        final int id;
        final boolean fresh;
        if (freeCount > 0)
        {
            id = freeIds[--freeCount];
            fresh = false;
        }
        else if (highWaterMark < capacity)
        {
            id = highWaterMark;
            fresh = true;
        }
        else
        {
            return -1;
        }

        final int offset = recordOffset(id);
        beginWrite(id);
        try
        {
            store.setMemory(offset + STATE_OFFSET, recordLength - STATE_OFFSET, (byte)0);
            store.putBytes(offset + KEY_OFFSET, key, keyOffset, keyLength);
            store.putLong(offset + LAST_SEEN_OFFSET, nowNs);
            store.putLong(offset + STATE_OFFSET, STATE_LIVE);
        }
        finally
        {
            endWrite(id);
        }

        int slot = hash & slotMask;
        while (index.getInt(slot * INDEX_ENTRY_LENGTH) != 0)
        {
            slot = (slot + 1) & slotMask;
        }
        index.putInt(slot * INDEX_ENTRY_LENGTH, id + 1);
        index.putInt(slot * INDEX_ENTRY_LENGTH + INDEX_HASH_OFFSET, hash);

        if (fresh)
        {
            highWaterMark = id + 1;
        }
        size = size + 1;
        return id;
    }

    /** Writer only: marks a record as being written (sequence odd). */
    public void beginWrite(final int id)
    {
        final int offset = recordOffset(id) + SEQ_OFFSET;
        store.putLong(offset, store.getLong(offset) + 1);
        VarHandle.storeStoreFence();
    }

    /** Writer only: publishes a record's writes (sequence even, release store). */
    public void endWrite(final int id)
    {
        final int offset = recordOffset(id) + SEQ_OFFSET;
        store.putLongRelease(offset, store.getLong(offset) + 1);
    }

    /** Writer only: the record's last update time. */
    public long lastSeenNs(final int id)
    {
        return store.getLong(recordOffset(id) + LAST_SEEN_OFFSET);
    }

    /** Writer only: true when the keyed record {@code id} holds a key. */
    public boolean isLive(final int id)
    {
        return store.getLong(recordOffset(id) + STATE_OFFSET) == STATE_LIVE;
    }

    /** Writer only: removes the live keyed record {@code id} and frees its id. */
    public void remove(final int id)
    {
        final int offset = recordOffset(id);
        int hole = hash(id) & slotMask;
        while (index.getInt(hole * INDEX_ENTRY_LENGTH) != id + 1)
        {
            hole = (hole + 1) & slotMask;
        }

        int next = (hole + 1) & slotMask;
        while (true)
        {
            final int entry = next * INDEX_ENTRY_LENGTH;
            final int idPlusOne = index.getInt(entry);
            if (idPlusOne == 0)
            {
                break;
            }
            final int nextHash = index.getInt(entry + INDEX_HASH_OFFSET);
            final int home = nextHash & slotMask;
            if (((next - home) & slotMask) >= ((next - hole) & slotMask))
            {
                index.putInt(hole * INDEX_ENTRY_LENGTH, idPlusOne);
                index.putInt(hole * INDEX_ENTRY_LENGTH + INDEX_HASH_OFFSET, nextHash);
                hole = next;
            }
            next = (next + 1) & slotMask;
        }
        index.putLong(hole * INDEX_ENTRY_LENGTH, 0L);

        beginWrite(id);
        try
        {
            store.putLong(offset + STATE_OFFSET, STATE_FREE);
        }
        finally
        {
            endWrite(id);
        }
        freeIds[freeCount++] = id;
        size = size - 1;
    }

    /**
     * Writer only: looks at up to {@code budget} keyed records from where the last call stopped
     * (wrapping) and removes those idle for more than {@code ttlNs}.
     *
     * @return records removed.
     */
    public int evictIdle(final long nowNs, final long ttlNs, final int budget)
    {
        final int limit = highWaterMark;
        if (limit == 0)
        {
            return 0;
        }
        final int steps = Math.min(budget, limit);
        int evicted = 0;
        int cursor = sweepCursor;
        for (int i = 0; i < steps; i++)
        {
            if (cursor >= limit)
            {
                cursor = 0;
            }
            if (isLive(cursor) && nowNs - lastSeenNs(cursor) > ttlNs)
            {
                remove(cursor);
                evicted++;
            }
            cursor++;
        }
        sweepCursor = cursor;
        return evicted;
    }

    /**
     * Any thread: copies record {@code id} into {@code scratch} at 0 as one consistent version,
     * retrying while the writer is inside {@link #beginWrite}/{@link #endWrite}. A write section
     * lasts tens of nanoseconds, but the writer thread can be preempted inside one for a scheduler
     * quantum or more, so the reader spins briefly, then yields, and waits up to
     * {@code readTimeoutNs} ({@link #READ_TIMEOUT_NS_DEFAULT}). Writers end every section in a
     * {@code finally}, so a record cannot stay odd for good; the timeout only guarantees that a
     * scrape thread never hangs, and a record it hits is reported as not readable.
     *
     * @return true when a consistent copy was taken and the record is live; false when it is free
     * or could not be read within the timeout (then {@code scratch} is undefined).
     */
    public boolean read(final int id, final MutableDirectBuffer scratch)
    {
        final int offset = recordOffset(id);
        long deadlineNs = 0;
        for (int attempt = 0; ; attempt++)
        {
            final long before = store.getLongVolatile(offset + SEQ_OFFSET);
            if ((before & 1) == 0)
            {
                store.getBytes(offset, scratch, 0, recordLength);
                VarHandle.loadLoadFence();
                if (store.getLongVolatile(offset + SEQ_OFFSET) == before)
                {
                    return scratch.getLong(STATE_OFFSET) == STATE_LIVE;
                }
            }
            if (attempt < READ_SPINS)
            {
                Thread.onSpinWait();
                continue;
            }
            final long nowNs = System.nanoTime();
            if (deadlineNs == 0)
            {
                deadlineNs = nowNs + readTimeoutNs;
            }
            else if (nowNs - deadlineNs > 0)
            {
                return false;
            }
            Thread.yield();
        }
    }

    private int hash(final int id)
    {
        return SeriesKeyDescriptor.hash(store, recordOffset(id) + KEY_OFFSET, keyLength);
    }

    private boolean keyEquals(final int id, final DirectBuffer key, final int keyOffset)
    {
        final int base = recordOffset(id) + KEY_OFFSET;
        for (int i = 0; i < keyLength; i += 8)
        {
            if (store.getLong(base + i) != key.getLong(keyOffset + i))
            {
                return false;
            }
        }
        return true;
    }
}
