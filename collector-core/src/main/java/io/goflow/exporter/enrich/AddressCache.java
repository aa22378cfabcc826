package io.goflow.exporter.enrich;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A bounded, 2-way set-associative cache from a 128-bit address to a packed enrichment result,
 * on one plain {@code long[]}. Single-threaded: one per shard, no synchronisation.
 *
 * <h2>Layout</h2>
 * A set is 8 longs (64 bytes), two ways of 4 longs each:
 * <pre>
 *   +--------+--------+----------+----------+  way 0 (most recently used)
 *   | addrHi | addrLo | value    | cityId   |
 *   +--------+--------+----------+----------+  way 1 (evicted next)
 *   | addrHi | addrLo | value    | cityId   |
 *   +--------+--------+----------+----------+
 * </pre>
 * {@code value} is never 0 for a used way (callers set {@link #OCCUPIED}), so a zeroed array is an
 * empty cache and the address {@code ::} needs no special case.
 *
 * <h2>Replacement</h2>
 * The set is picked by a 64-bit mix of the address mapped onto {@code [0, sets)} by a
 * multiply-shift (any set count, no power-of-two rounding, so the bound is exactly
 * {@code capacity} entries). A hit in way 1 swaps the ways (LRU of two); an insert shifts way 0
 * to way 1 and drops what way 1 held, which counts as an eviction. Two ways cut the conflict
 * misses of a direct-mapped table while a lookup still touches one cache line and never probes.
 *
 * <h2>Cost</h2>
 * {@link #get} and {@link #put} allocate nothing; a hit is a hash, one or two compares and, for
 * way 1, a four-long swap.
 *
 * <h2>Counters</h2>
 * Hits, misses and evictions are written by the owning thread only, with opaque stores, so a
 * scrape thread may read them at any time through {@link #hits()} and friends.
 */
final class AddressCache
{
    /** Bit set in every stored value, so that 0 means "not cached". */
    static final long OCCUPIED = 1L;
    /** {@link #get} result for "not in the cache". */
    static final long MISSING = 0L;

    private static final VarHandle HITS;
    private static final VarHandle MISSES;
    private static final VarHandle EVICTIONS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HITS = lookup.findVarHandle(AddressCache.class, "hits", long.class);
            MISSES = lookup.findVarHandle(AddressCache.class, "misses", long.class);
            EVICTIONS = lookup.findVarHandle(AddressCache.class, "evictions", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final int WAY_LONGS = 4;
    private static final int SET_LONGS = 2 * WAY_LONGS;

    private final long[] table;
    private final long sets;
    private long lastCityId;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * @param capacity maximum entries; rounded down to an even number. {@code < 2} gives a cache
     *                 that holds nothing (every {@link #get} misses).
     */
    AddressCache(final int capacity)
    {
        sets = Math.max(0, capacity) / 2;
        table = new long[(int)(bytes(capacity) / 8)];
    }

    /** @return heap bytes of a cache of {@code capacity} entries. */
    static long bytes(final int capacity)
    {
        return Math.max(0, capacity) / 2 * (long)SET_LONGS * 8;
    }

    /** @return maximum number of entries held. */
    int capacity()
    {
        return (int)(sets * 2);
    }

    /**
     * Looks {@code hi/lo} up.
     *
     * @return the stored value (with {@link #OCCUPIED} set), or {@link #MISSING}; on a hit
     *         {@link #lastCityId()} returns the stored city.
     */
    long get(final long hi, final long lo)
    {
        if (sets == 0)
        {
            MISSES.setOpaque(this, misses + 1);
            return MISSING;
        }
        final long[] t = table;
        final int base = setBase(hi, lo);
        final long v0 = t[base + 2];
        if (t[base] == hi && t[base + 1] == lo && v0 != MISSING)
        {
            HITS.setOpaque(this, hits + 1);
            lastCityId = t[base + 3];
            return v0;
        }
        final int w1 = base + WAY_LONGS;
        final long v1 = t[w1 + 2];
        if (t[w1] == hi && t[w1 + 1] == lo && v1 != MISSING)
        {
            HITS.setOpaque(this, hits + 1);
            final long city1 = t[w1 + 3];
            t[w1] = t[base];
            t[w1 + 1] = t[base + 1];
            t[w1 + 2] = v0;
            t[w1 + 3] = t[base + 3];
            t[base] = hi;
            t[base + 1] = lo;
            t[base + 2] = v1;
            t[base + 3] = city1;
            lastCityId = city1;
            return v1;
        }
        MISSES.setOpaque(this, misses + 1);
        return MISSING;
    }

    /** @return the city of the last hit. */
    long lastCityId()
    {
        return lastCityId;
    }

    /**
     * Stores a value for {@code hi/lo}, assumed absent (call after a {@link #get} miss).
     *
     * @param value a value with {@link #OCCUPIED} set.
     */
    void put(final long hi, final long lo, final long value, final long cityId)
    {
        if (sets == 0)
        {
            return;
        }
        final long[] t = table;
        final int base = setBase(hi, lo);
        final int w1 = base + WAY_LONGS;
        if (t[w1 + 2] != MISSING)
        {
            EVICTIONS.setOpaque(this, evictions + 1);
        }
        t[w1] = t[base];
        t[w1 + 1] = t[base + 1];
        t[w1 + 2] = t[base + 2];
        t[w1 + 3] = t[base + 3];
        t[base] = hi;
        t[base + 1] = lo;
        t[base + 2] = value | OCCUPIED;
        t[base + 3] = cityId;
    }

    /** Drops every entry (after a database swap); not counted as evictions. */
    void clear()
    {
        Arrays.fill(table, 0L);
    }

    /** @return hits so far; any thread. */
    long hits()
    {
        return (long)HITS.getOpaque(this);
    }

    /** @return misses so far; any thread. */
    long misses()
    {
        return (long)MISSES.getOpaque(this);
    }

    /** @return evictions so far; any thread. */
    long evictions()
    {
        return (long)EVICTIONS.getOpaque(this);
    }

    /** @return number of entries held now (a scan; for tests and diagnostics). */
    int size()
    {
        int n = 0;
        for (int i = 2; i < table.length; i += WAY_LONGS)
        {
            if (table[i] != MISSING)
            {
                n++;
            }
        }
        return n;
    }

    private int setBase(final long hi, final long lo)
    {
        long h = hi * 0x9E37_79B9_7F4A_7C15L ^ lo;
        h ^= h >>> 32;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 29;
        final long set = ((h & 0xFFFF_FFFFL) * sets) >>> 32;
        return (int)set * SET_LONGS;
    }
}
