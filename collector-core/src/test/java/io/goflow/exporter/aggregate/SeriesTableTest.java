package io.goflow.exporter.aggregate;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesTableTest
{
    private static final int KEY_LENGTH = 8;
    private static final int VALUE_LENGTH = 8;

    private final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);

    private int find(final SeriesTable table, final long k)
    {
        key.putLong(0, k);
        return table.find(key, 0, table.hashOf(key, 0));
    }

    private int insert(final SeriesTable table, final long k, final long nowNs)
    {
        key.putLong(0, k);
        return table.insert(key, 0, table.hashOf(key, 0), nowNs);
    }

    /** @return {@code count} keys whose hash falls in the same home slot. */
    private List<Long> collidingKeys(final SeriesTable table, final int count)
    {
        final int mask = table.slots() - 1;
        final List<Long> keys = new ArrayList<>();
        for (long k = 1; keys.size() < count; k++)
        {
            key.putLong(0, k);
            if ((table.hashOf(key, 0) & mask) == mask)
            {
                keys.add(k);
            }
        }
        return keys;
    }

    @Test
    void shouldFindInsertedKeyWhenLookedUp()
    {
        final SeriesTable table = new SeriesTable(16, KEY_LENGTH, VALUE_LENGTH, 0);
        final int id = insert(table, 42L, 7L);

        assertEquals(id, find(table, 42L));
        assertEquals(-1, find(table, 43L));
        assertEquals(7L, table.lastSeenNs(id));
        assertEquals(1, table.size());
    }

    @Test
    void shouldSizeIndexAtTwiceCapacityRoundedToPowerOfTwo()
    {
        assertEquals(2048, new SeriesTable(1000, KEY_LENGTH, VALUE_LENGTH, 0).slots());
        assertEquals(2048, new SeriesTable(1024, KEY_LENGTH, VALUE_LENGTH, 0).slots());
        assertEquals(2, new SeriesTable(1, KEY_LENGTH, VALUE_LENGTH, 0).slots());
    }

    @Test
    void shouldRefuseNewKeyWhenFull()
    {
        final SeriesTable table = new SeriesTable(3, KEY_LENGTH, VALUE_LENGTH, 0);
        insert(table, 1, 0);
        insert(table, 2, 0);
        insert(table, 3, 0);

        assertEquals(-1, insert(table, 4, 0));
        assertEquals(3, table.size());
        assertEquals(-1, find(table, 4));
    }

    @Test
    void shouldFindEveryKeyWhenAllShareOneHomeSlotAndWrapAround()
    {
        final SeriesTable table = new SeriesTable(8, KEY_LENGTH, VALUE_LENGTH, 0);
        final List<Long> keys = collidingKeys(table, 8);
        final Map<Long, Integer> ids = new HashMap<>();
        for (final long k : keys)
        {
            ids.put(k, insert(table, k, 0));
        }

        for (final long k : keys)
        {
            assertEquals(ids.get(k), find(table, k));
        }
    }

    @Test
    void shouldKeepProbeChainWhenRemovingFromMiddleOfCluster()
    {
        final SeriesTable table = new SeriesTable(8, KEY_LENGTH, VALUE_LENGTH, 0);
        final List<Long> keys = collidingKeys(table, 6);
        final Map<Long, Integer> ids = new HashMap<>();
        for (final long k : keys)
        {
            ids.put(k, insert(table, k, 0));
        }

        table.remove(ids.get(keys.get(1)));
        table.remove(ids.get(keys.get(3)));

        assertEquals(-1, find(table, keys.get(1)));
        assertEquals(-1, find(table, keys.get(3)));
        for (final int i : new int[]{0, 2, 4, 5})
        {
            assertEquals(ids.get(keys.get(i)), find(table, keys.get(i)));
        }
        assertEquals(4, table.size());
    }

    @Test
    void shouldReuseFreedRecordWhenKeyReinsertedAfterRemoval()
    {
        final SeriesTable table = new SeriesTable(2, KEY_LENGTH, VALUE_LENGTH, 0);
        final int first = insert(table, 10, 0);
        insert(table, 11, 0);
        table.remove(first);

        final int again = insert(table, 12, 5);

        assertEquals(first, again);
        assertEquals(again, find(table, 12));
        assertEquals(-1, find(table, 10));
        assertEquals(2, table.highWaterMark());
    }

    @Test
    void shouldZeroValueWhenRecordIsReused()
    {
        final SeriesTable table = new SeriesTable(1, KEY_LENGTH, VALUE_LENGTH, 0);
        final int id = insert(table, 10, 0);
        table.store().putLong(table.recordOffset(id) + table.valueOffset(), 99L);
        table.remove(id);

        final int reused = insert(table, 11, 0);

        assertEquals(0L, table.store().getLong(table.recordOffset(reused) + table.valueOffset()));
    }

    @Test
    void shouldMatchReferenceMapWhenRandomInsertsAndRemovesInterleave()
    {
        final long seed = 0x5EED_0001L;
        final Random random = new Random(seed);
        final SeriesTable table = new SeriesTable(48, KEY_LENGTH, VALUE_LENGTH, 0);
        final Map<Long, Integer> reference = new HashMap<>();
        for (int op = 0; op < 200_000; op++)
        {
            final long k = random.nextInt(160);
            final Integer id = reference.get(k);
            if (id == null)
            {
                final int inserted = insert(table, k, op);
                if (reference.size() < 48)
                {
                    assertNotEquals(-1, inserted, "seed " + seed + " op " + op);
                    reference.put(k, inserted);
                }
                else
                {
                    assertEquals(-1, inserted, "seed " + seed + " op " + op);
                }
            }
            else if (random.nextBoolean())
            {
                table.remove(id);
                reference.remove(k);
            }
            if (op % 97 == 0)
            {
                for (long candidate = 0; candidate < 160; candidate++)
                {
                    final Integer expected = reference.get(candidate);
                    assertEquals(expected == null ? -1 : expected, find(table, candidate),
                        "seed " + seed + " op " + op + " key " + candidate);
                }
            }
            assertEquals(reference.size(), table.size());
        }
    }

    @Test
    void shouldEvictOnlyRecordsIdleLongerThanTtlWhenSweeping()
    {
        final SeriesTable table = new SeriesTable(4, KEY_LENGTH, VALUE_LENGTH, 0);
        final int old = insert(table, 1, 100);
        final int fresh = insert(table, 2, 500);

        final int evicted = table.evictIdle(1_000, 600, 10);

        assertEquals(1, evicted);
        assertFalse(table.isLive(old));
        assertTrue(table.isLive(fresh));
        assertEquals(-1, find(table, 1));
        assertEquals(fresh, find(table, 2));
    }

    @Test
    void shouldKeepMemoryConstantWhenKeysChurn()
    {
        final SeriesTable table = new SeriesTable(16, KEY_LENGTH, VALUE_LENGTH, 1);
        final long before = table.memoryBytes();
        for (long k = 0; k < 100_000; k++)
        {
            final int id = insert(table, k, k);
            if (id < 0)
            {
                table.evictIdle(k, 0, 16);
            }
        }

        assertEquals(before, table.memoryBytes());
        assertTrue(table.size() <= 16);
    }

    @Test
    void shouldReadRecordCopyWithStateWhenRecordIsLiveOrFree()
    {
        final SeriesTable table = new SeriesTable(2, KEY_LENGTH, VALUE_LENGTH, 0);
        final int id = insert(table, 77, 3);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[table.recordLength()]);

        assertTrue(table.read(id, scratch));
        assertEquals(77L, scratch.getLong(SeriesTable.KEY_OFFSET));
        assertEquals(3L, scratch.getLong(SeriesTable.LAST_SEEN_OFFSET));
        table.remove(id);
        assertFalse(table.read(id, scratch));
    }

    @Test
    void shouldSkipRecordHeldByWriterLongerThanReadTimeout()
    {
        final SeriesTable table = new SeriesTable(2, KEY_LENGTH, VALUE_LENGTH, 0, 20_000_000L);
        final int id = insert(table, 5, 0);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[table.recordLength()]);
        table.beginWrite(id);

        assertFalse(table.read(id, scratch));
        table.endWrite(id);
        assertTrue(table.read(id, scratch));
    }
}
