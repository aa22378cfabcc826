package io.goflow.exporter.enrich.network;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The trie against a linear longest-prefix match over {@link BigInteger} keys written here, on
 * random prefixes of every length and addresses drawn near them.
 */
class PrefixTrieTest
{
    private record Prefix(BigInteger network, int length, int value)
    {
    }

    private static BigInteger key(final long hi, final long lo)
    {
        return new BigInteger(1, java.nio.ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
    }

    /** The reference: the longest listed prefix whose first {@code length} bits equal the key's; last listed wins a tie. */
    private static int linearMatch(final List<Prefix> prefixes, final BigInteger key, final int width)
    {
        int best = 0;
        int bestLength = -1;
        for (final Prefix p : prefixes)
        {
            final BigInteger shiftedKey = key.shiftRight(width - p.length);
            final BigInteger shiftedNet = p.network.shiftRight(width - p.length);
            if (shiftedKey.equals(shiftedNet) && p.length >= bestLength)
            {
                best = p.value;
                bestLength = p.length;
            }
        }
        return best;
    }

    private static void check(final int maxLength, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final PrefixTrie.Builder builder = new PrefixTrie.Builder(maxLength, 64L << 20);
        final List<Prefix> prefixes = new ArrayList<>();
        final List<long[]> seeds = new ArrayList<>();
        for (int i = 0; i < 3000; i++)
        {
            final long hi = i % 7 == 0 && !seeds.isEmpty() ? seeds.get(random.nextInt(seeds.size()))[0] ^
                (1L << random.nextInt(64)) : random.nextLong();
            final long lo = maxLength == 32 ? 0 : random.nextLong();
            final int length = random.nextInt(maxLength + 1);
            builder.add(hi, lo, length, i + 1);
            final long mhi = hi & PrefixTrie.maskHi(length);
            final long mlo = lo & PrefixTrie.maskLo(length);
            prefixes.add(new Prefix(key(mhi, mlo), length, i + 1));
            seeds.add(new long[]{mhi, mlo});
        }
        final PrefixTrie trie = builder.build();
        for (int i = 0; i < 20_000; i++)
        {
            final long[] near = seeds.get(random.nextInt(seeds.size()));
            final int flip = random.nextInt(maxLength);
            long hi = near[0];
            long lo = near[1];
            if (i % 3 != 0)
            {
                if (flip < 64)
                {
                    hi ^= random.nextLong() >>> flip;
                }
                else
                {
                    lo ^= random.nextLong() >>> (flip - 64);
                }
            }
            if (maxLength == 32)
            {
                hi &= 0xFFFF_FFFF_0000_0000L;
                lo = 0;
            }
            final int expected = linearMatch(prefixes, key(hi, lo), 128);
            assertEquals(expected, trie.lookup(hi, lo), Long.toHexString(hi) + " " + Long.toHexString(lo));
        }
    }

    @Test
    void shouldMatchTheLinearLongestPrefixWhenIpv4PrefixesOverlap()
    {
        check(32, 1);
    }

    @Test
    void shouldMatchTheLinearLongestPrefixWhenIpv6PrefixesOverlap()
    {
        check(128, 2);
    }

    @Test
    void shouldReturnZeroWhenNoPrefixHoldsTheKey()
    {
        final PrefixTrie trie = new PrefixTrie.Builder(32, 1 << 20).add(0x0A00_0000L << 32, 0, 8, 5).build();
        assertEquals(5, trie.lookup(0x0A01_0203L << 32, 0));
        assertEquals(0, trie.lookup(0x0B00_0000L << 32, 0));
    }

    @Test
    void shouldPreferTheDefaultRouteOnlyWhenNothingLongerMatches()
    {
        final PrefixTrie trie = new PrefixTrie.Builder(32, 1 << 20)
            .add(0, 0, 0, 1).add(0xC633_6400L << 32, 0, 24, 2).add(0xC633_6480L << 32, 0, 25, 3).build();
        assertEquals(1, trie.lookup(0x0808_0808L << 32, 0));
        assertEquals(2, trie.lookup(0xC633_6401L << 32, 0));
        assertEquals(3, trie.lookup(0xC633_64FFL << 32, 0));
    }

    @Test
    void shouldRefuseATrieLargerThanItsByteBound()
    {
        final PrefixTrie.Builder builder = new PrefixTrie.Builder(128, 2L << 20);
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++)
        {
            builder.add(random.nextLong(), random.nextLong(), 128, i + 1);
        }
        assertThrows(IllegalArgumentException.class, builder::build);
    }
}
