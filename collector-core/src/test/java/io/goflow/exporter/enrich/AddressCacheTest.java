package io.goflow.exporter.enrich;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressCacheTest
{
    private static final long A_HI = 0x2001_0218_0000_0000L;
    private static final long V4 = 0x0000_FFFF_0000_0000L;

    @Test
    void shouldMissThenHitWhenAddressWasPut()
    {
        final AddressCache cache = new AddressCache(16);
        assertEquals(AddressCache.MISSING, cache.get(A_HI, 1));
        cache.put(A_HI, 1, 0x4742_0000L | AddressCache.OCCUPIED, 2643743L);

        assertEquals(0x4742_0001L, cache.get(A_HI, 1));
        assertEquals(2643743L, cache.lastCityId());
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
    }

    @Test
    void shouldHitNegativeEntryWhenAddressIsInNoNetwork()
    {
        final AddressCache cache = new AddressCache(16);
        cache.put(0, V4 | 0x0808_0808L, AddressCache.OCCUPIED, 0);

        assertEquals(AddressCache.OCCUPIED, cache.get(0, V4 | 0x0808_0808L));
        assertEquals(1, cache.hits());
    }

    @Test
    void shouldTellAddressesApartWhenOnlyHighHalfDiffers()
    {
        final AddressCache cache = new AddressCache(2);
        cache.put(A_HI, 7, 0x10L | AddressCache.OCCUPIED, 0);

        assertEquals(AddressCache.MISSING, cache.get(A_HI + 1, 7));
    }

    @Test
    void shouldEvictLeastRecentlyUsedWayWhenSetIsFull()
    {
        final AddressCache cache = new AddressCache(2);
        cache.put(0, V4 | 1, 0x10L | AddressCache.OCCUPIED, 0);
        cache.put(0, V4 | 2, 0x20L | AddressCache.OCCUPIED, 0);
        assertEquals(0x11L, cache.get(0, V4 | 1));
        cache.put(0, V4 | 3, 0x30L | AddressCache.OCCUPIED, 0);

        assertEquals(1, cache.evictions());
        assertEquals(AddressCache.MISSING, cache.get(0, V4 | 2));
        assertEquals(0x11L, cache.get(0, V4 | 1));
        assertEquals(0x31L, cache.get(0, V4 | 3));
    }

    @Test
    void shouldNeverHoldMoreThanCapacityWhenManyAddressesArePut()
    {
        final AddressCache cache = new AddressCache(1000);
        final int puts = 50_000;
        for (int i = 0; i < puts; i++)
        {
            if (cache.get(0, V4 | i) == AddressCache.MISSING)
            {
                cache.put(0, V4 | i, AddressCache.OCCUPIED, 0);
            }
        }

        assertEquals(1000, cache.capacity());
        assertTrue(cache.size() <= 1000, "size " + cache.size());
        assertEquals(puts - cache.size(), cache.evictions());
        assertEquals(puts, cache.misses());
    }

    @Test
    void shouldFillMostOfCapacityWhenKeysAreSpreadBySetHash()
    {
        final AddressCache cache = new AddressCache(1000);
        for (int i = 0; i < 50_000; i++)
        {
            cache.put(0x2a02_d040_0000_0000L, i, AddressCache.OCCUPIED, 0);
        }

        assertEquals(1000, cache.size());
    }

    @Test
    void shouldMissEverythingWhenCapacityIsZero()
    {
        final AddressCache cache = new AddressCache(0);
        cache.put(0, V4 | 1, AddressCache.OCCUPIED, 0);

        assertEquals(AddressCache.MISSING, cache.get(0, V4 | 1));
        assertEquals(0, cache.size());
    }

    @Test
    void shouldForgetEverythingWithoutCountingEvictionsWhenCleared()
    {
        final AddressCache cache = new AddressCache(8);
        cache.put(0, V4 | 1, AddressCache.OCCUPIED, 0);
        cache.clear();

        assertEquals(AddressCache.MISSING, cache.get(0, V4 | 1));
        assertEquals(0, cache.evictions());
    }
}
