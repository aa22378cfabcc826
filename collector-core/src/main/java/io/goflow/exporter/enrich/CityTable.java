package io.goflow.exporter.enrich;

import io.goflow.exporter.decoders.api.FlowRecord;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-shard traffic by city for the Geomap metrics: geoname id to flows, scaled bytes and scaled
 * packets, for the source and the destination side. Open addressing with linear probing on one
 * {@code long[]}; entries are never removed, so the table holds at most {@code maxCities} ids.
 *
 * <h2>Layout</h2>
 * One slot is 7 longs: {@code cityId, srcFlows, srcBytes, srcPackets, dstFlows, dstBytes,
 * dstPackets}. {@code cityId == 0} is an empty slot.
 *
 * <h2>Threads</h2>
 * Single writer (the shard). The key is published with a release store after its counters are
 * zeroed and counters are written with opaque stores, so a scrape thread reading through
 * {@link #forEach} sees complete, monotonic values.
 */
final class CityTable
{
    /** Side index of the source address. */
    static final int SRC = 0;
    /** Side index of the destination address. */
    static final int DST = 1;

    private static final int SLOT_LONGS = 7;
    private static final VarHandle ARRAY = MethodHandles.arrayElementVarHandle(long[].class);

    /** Receives one city's counters at scrape. */
    interface Visitor
    {
        void city(long cityId, long srcFlows, long srcBytes, long srcPackets,
            long dstFlows, long dstBytes, long dstPackets);
    }

    private final long[] slots;
    private final int mask;
    private final int maxCities;
    private int size;

    /** @param maxCities most ids held; the table is sized for a load factor of at most one half. */
    CityTable(final int maxCities)
    {
        this.maxCities = Math.max(0, maxCities);
        final int n = slotsFor(this.maxCities);
        mask = n - 1;
        slots = new long[n * SLOT_LONGS];
    }

    private static int slotsFor(final int maxCities)
    {
        int n = 2;
        while (n < 2L * maxCities)
        {
            n <<= 1;
        }
        return n;
    }

    /** @return heap bytes of a table for {@code maxCities}. */
    static long bytes(final int maxCities)
    {
        return (long)slotsFor(Math.max(0, maxCities)) * SLOT_LONGS * 8;
    }

    /**
     * Adds one flow of {@code bytes}/{@code packets} to {@code cityId} on {@code side}.
     *
     * @return false when the city is new and the table already holds {@code maxCities} ids.
     */
    boolean add(final long cityId, final int side, final long bytes, final long packets)
    {
        final long[] s = slots;
        int i = (int)mix(cityId) & mask;
        while (true)
        {
            final int base = i * SLOT_LONGS;
            final long key = s[base];
            if (key == cityId)
            {
                final int c = base + 1 + side * 3;
                ARRAY.setOpaque(s, c, s[c] + 1);
                ARRAY.setOpaque(s, c + 1, FlowRecord.addCounter(s[c + 1], bytes));
                ARRAY.setOpaque(s, c + 2, FlowRecord.addCounter(s[c + 2], packets));
                return true;
            }
            if (key == 0)
            {
                if (size >= maxCities)
                {
                    return false;
                }
                size++;
                ARRAY.setRelease(s, base, cityId);
                continue;
            }
            i = (i + 1) & mask;
        }
    }

    /** Visits every city held; any thread. */
    void forEach(final Visitor visitor)
    {
        final long[] s = slots;
        for (int base = 0; base < s.length; base += SLOT_LONGS)
        {
            final long key = (long)ARRAY.getAcquire(s, base);
            if (key != 0)
            {
                visitor.city(key,
                    (long)ARRAY.getOpaque(s, base + 1), (long)ARRAY.getOpaque(s, base + 2),
                    (long)ARRAY.getOpaque(s, base + 3), (long)ARRAY.getOpaque(s, base + 4),
                    (long)ARRAY.getOpaque(s, base + 5), (long)ARRAY.getOpaque(s, base + 6));
            }
        }
    }

    private static long mix(final long id)
    {
        long h = id * 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 31;
        return h;
    }
}
