package io.goflow.exporter.ring;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bounded area that holds datagrams larger than a ring slot, allocated once at start: units of
 * {@link #UNIT_BYTES}, of which a datagram takes as many consecutive ones as it needs (a 9,000-byte
 * jumbo datagram one, the largest UDP payload {@link #MAX_UNITS}). A reader claims the units before
 * it claims a ring slot ({@link #claim(int)}) and the aggregation handler gives them back once the
 * slot has been decoded ({@link #release(int, int)}); when no run of free units is left the
 * datagram is dropped and counted by the reader ({@code overflow_full}), so however large the
 * datagrams, ring memory stays {@code slots * slot_bytes + ring_overflow_bytes}.
 *
 * <p>Threads: any number of readers claim, the aggregation thread releases; one bit per unit in an
 * {@link AtomicLongArray}, changed by compare-and-set, so neither side allocates or blocks. A run
 * never crosses a 64-unit word (1 MiB).
 */
public final class RingOverflow
{
    /** Bytes of one unit: 16 KiB, a jumbo datagram. */
    public static final int UNIT_BYTES = 1 << 14;
    /** Units of the largest datagram: 4 (64 KiB, at least the largest UDP payload of 65,507 bytes). */
    public static final int MAX_UNITS = 4;
    /** Largest area accepted: 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;

    private final byte[] area;
    private final int units;
    private final AtomicLongArray used;

    /** @param bytes size of the area, rounded down to whole units; 0 disables it. */
    public RingOverflow(final long bytes)
    {
        if (bytes < 0 || bytes > MAX_BYTES)
        {
            throw new IllegalArgumentException("ring overflow bytes " + bytes + " outside 0.." + MAX_BYTES);
        }
        this.units = (int)(bytes / UNIT_BYTES);
        this.area = new byte[units * UNIT_BYTES];
        this.used = new AtomicLongArray(Math.max(1, (units + 63) >>> 6));
    }

    /** @return units a datagram of {@code length} bytes takes. */
    public static int unitsFor(final int length)
    {
        return (length + UNIT_BYTES - 1) / UNIT_BYTES;
    }

    /**
     * Claims the units for a datagram of {@code length} bytes (at most
     * {@code MAX_UNITS * UNIT_BYTES}).
     *
     * @return the first unit, now owned by the caller, or -1 when no run of free units is left.
     */
    public int claim(final int length)
    {
        final int need = unitsFor(length);
        final long run = (1L << need) - 1;
        for (int word = 0, words = (units + 63) >>> 6; word < words; word++)
        {
            final int valid = Math.min(64, units - (word << 6));
            final long validMask = valid == 64 ? -1L : (1L << valid) - 1;
            long bits = used.get(word);
            while (true)
            {
                final long free = ~bits & validMask;
                long starts = free;
                for (int j = 1; j < need; j++)
                {
                    starts &= free >>> j;
                }
                if (starts == 0)
                {
                    break;
                }
                final int bit = Long.numberOfTrailingZeros(starts);
                if (used.compareAndSet(word, bits, bits | (run << bit)))
                {
                    return (word << 6) + bit;
                }
                bits = used.get(word);
            }
        }
        return -1;
    }

    /** Gives back the {@code count} units from {@code first} returned by {@link #claim(int)}. */
    public void release(final int first, final int count)
    {
        final int word = first >>> 6;
        final long run = ((1L << count) - 1) << (first & 63);
        long bits;
        do
        {
            bits = used.get(word);
        }
        while (!used.compareAndSet(word, bits, bits & ~run));
    }

    /** Points {@code view} at {@code count} units from {@code first} (index 0 is the first byte). */
    void wrap(final UnsafeBuffer view, final int first, final int count)
    {
        view.wrap(area, first * UNIT_BYTES, count * UNIT_BYTES);
    }

    /** @return units in the area. */
    public int units()
    {
        return units;
    }

    /** @return units in use now; any thread, a moment's view. */
    public int unitsInUse()
    {
        int n = 0;
        for (int word = 0; word < used.length(); word++)
        {
            n += Long.bitCount(used.get(word));
        }
        return n;
    }

    /** @return bytes allocated for the area. */
    public long bytes()
    {
        return area.length;
    }
}
