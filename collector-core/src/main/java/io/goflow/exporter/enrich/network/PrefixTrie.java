package io.goflow.exporter.enrich.network;

import java.util.Arrays;

/**
 * Longest-prefix match over left-aligned keys of up to 128 bits, as a multibit trie with
 * controlled prefix expansion (Srinivasan and Varghese, "Fast address lookups using controlled
 * prefix expansion", 1999): a {@value #ROOT_STRIDE}-bit root level then {@value #STRIDE}-bit levels,
 * so an IPv4 /24 is found in 3 memory reads and an IPv6 /48 in 9, whatever the number of prefixes.
 * Immutable once built; {@link #lookup} allocates nothing and is safe from any thread.
 *
 * <h2>Layout</h2>
 * One {@code int[]} arena of slots, two ints each: {@code value} (the value of the longest prefix
 * that ends at or above this slot within its level, or 0) and {@code child} (arena index of the next
 * level's node, or 0 for none). The root is {@code 2^16} slots at index 0; every other node is
 * {@code 2^4} slots.
 * <pre>
 * level:   0 (root)  1     2     3    ...  28
 * bits:    0-15      16-19 20-23 24-27     124-127
 * </pre>
 * A prefix of length {@code L} lives in the level whose bit range holds bit {@code L - 1} (the root
 * for {@code L <= 16}), copied into the {@code 2^(levelEnd - L)} slots it covers. Prefixes are added
 * in ascending length, so a longer prefix overwrites the copies of a shorter one and lookups keep the
 * last non-zero value on the path: the longest match.
 *
 * <h2>Bounds</h2>
 * The arena is sized while building and refused past {@code maxBytes}
 * ({@link IllegalArgumentException}), so a networks list can never take more memory than allowed.
 */
public final class PrefixTrie
{
    /** Bits of the root level. */
    public static final int ROOT_STRIDE = 16;
    /** Bits of each further level. */
    public static final int STRIDE = 4;

    private static final int ROOT_SLOTS = 1 << ROOT_STRIDE;
    private static final int NODE_SLOTS = 1 << STRIDE;
    private static final int NODE_MASK = NODE_SLOTS - 1;

    private final int[] arena;
    private final int maxLength;

    private PrefixTrie(final int[] arena, final int maxLength)
    {
        this.arena = arena;
        this.maxLength = maxLength;
    }

    /**
     * @return the value of the longest prefix holding the key {@code (hi, lo)} (bits 0-63 in
     * {@code hi}, 64-127 in {@code lo}, left-aligned: an IPv4 address is {@code hi = addr << 32}),
     * or 0 when none does.
     */
    public int lookup(final long hi, final long lo)
    {
        final int[] a = arena;
        int slot = (int)(hi >>> (64 - ROOT_STRIDE)) << 1;
        int best = a[slot];
        int child = a[slot + 1];
        int bit = ROOT_STRIDE;
        while (child != 0)
        {
            final long word = bit < 64 ? hi : lo;
            final int shift = 64 - STRIDE - (bit & 63);
            slot = child + (((int)(word >>> shift) & NODE_MASK) << 1);
            final int value = a[slot];
            if (value != 0)
            {
                best = value;
            }
            child = a[slot + 1];
            bit += STRIDE;
        }
        return best;
    }

    /** @return bytes held by the arena. */
    public long memoryBytes()
    {
        return 4L * arena.length + 16;
    }

    /** @return the longest prefix length this trie accepts (32 for IPv4, 128 for IPv6). */
    public int maxLength()
    {
        return maxLength;
    }

    /**
     * Collects prefixes, then {@link #build()}s the trie. Not thread-safe; build once.
     */
    public static final class Builder
    {
        private final int maxLength;
        private final long maxBytes;
        private long[] his = new long[16];
        private long[] los = new long[16];
        private int[] lengths = new int[16];
        private int[] values = new int[16];
        private int count;

        /**
         * @param maxLength longest prefix length accepted (32 or 128).
         * @param maxBytes  largest arena allowed.
         */
        public Builder(final int maxLength, final long maxBytes)
        {
            if (maxLength < 1 || maxLength > 128)
            {
                throw new IllegalArgumentException("maxLength " + maxLength);
            }
            this.maxLength = maxLength;
            this.maxBytes = maxBytes;
        }

        /**
         * Adds a prefix (bits past {@code length} are ignored); of two equal prefixes the one added
         * last wins.
         *
         * @param value non-zero value returned by lookups that match it best.
         */
        public Builder add(final long hi, final long lo, final int length, final int value)
        {
            if (length < 0 || length > maxLength || value == 0)
            {
                throw new IllegalArgumentException("prefix length " + length + " value " + value);
            }
            if (count == lengths.length)
            {
                his = Arrays.copyOf(his, count * 2);
                los = Arrays.copyOf(los, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            his[count] = hi & maskHi(length);
            los[count] = lo & maskLo(length);
            lengths[count] = length;
            values[count] = value;
            count++;
            return this;
        }

        /** @throws IllegalArgumentException when the trie would exceed {@code maxBytes}. */
        public PrefixTrie build()
        {
            final Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++)
            {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> lengths[x] != lengths[y] ? Integer.compare(lengths[x], lengths[y]) :
                Integer.compare(x, y));
            int[] a = new int[2 * ROOT_SLOTS];
            int used = a.length;
            for (final int i : order)
            {
                final long hi = his[i];
                final long lo = los[i];
                final int length = lengths[i];
                int node = 0;
                int levelStart = 0;
                int levelBits = ROOT_STRIDE;
                while (length > levelStart + levelBits)
                {
                    final int slot = node + (bits(hi, lo, levelStart, levelBits) << 1);
                    if (a[slot + 1] == 0)
                    {
                        if ((used + 2L * NODE_SLOTS) * 4 > maxBytes)
                        {
                            throw new IllegalArgumentException("prefix trie over " + maxBytes + " bytes after " +
                                i + " of " + count + " prefixes");
                        }
                        if (used + 2 * NODE_SLOTS > a.length)
                        {
                            a = Arrays.copyOf(a, (int)Math.min(Integer.MAX_VALUE - 8, a.length * 2L));
                        }
                        a[slot + 1] = used;
                        used += 2 * NODE_SLOTS;
                    }
                    node = a[slot + 1];
                    levelStart += levelBits;
                    levelBits = STRIDE;
                }
                final int expand = levelStart + levelBits - length;
                final int first = bits(hi, lo, levelStart, levelBits);
                for (int k = 0; k < 1 << expand; k++)
                {
                    a[node + ((first + k) << 1)] = values[i];
                }
            }
            return new PrefixTrie(Arrays.copyOf(a, used), maxLength);
        }

        /** @return bits {@code [start, start + width)} of the key; a level never straddles bit 64. */
        private static int bits(final long hi, final long lo, final int start, final int width)
        {
            final long word = start < 64 ? hi : lo;
            return (int)(word >>> (64 - width - (start & 63))) & ((1 << width) - 1);
        }
    }

    /** @return the mask of the first {@code length} bits within {@code hi}. */
    public static long maskHi(final int length)
    {
        return length <= 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** @return the mask of the first {@code length} bits (of 128) within {@code lo}. */
    public static long maskLo(final int length)
    {
        return length <= 64 ? 0 : length >= 128 ? -1L : -1L << (128 - length);
    }
}
