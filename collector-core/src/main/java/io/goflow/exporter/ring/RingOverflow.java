package io.goflow.exporter.ring;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bounded area that holds datagrams larger than a ring slot: a fixed number of
 * {@link #CHUNK_BYTES}-byte chunks allocated once at start, each big enough for the largest UDP
 * payload. A reader claims a chunk before it claims a ring slot ({@link #claim()}) and the
 * aggregation handler gives it back once the slot has been decoded ({@link #release(int)}); when no
 * chunk is free the datagram is dropped and counted by the reader ({@code oversize}), so however
 * large the datagrams, ring memory stays {@code slots * slot_bytes + chunks * CHUNK_BYTES}.
 *
 * <p>Threads: any number of readers claim, the aggregation thread releases; one bit per chunk in
 * an {@link AtomicLongArray}, changed by compare-and-set, so neither side allocates or blocks.
 */
public final class RingOverflow
{
    /** Bytes of one chunk: 2^16, at least the largest UDP payload (65,507 bytes over IPv4). */
    public static final int CHUNK_BYTES = 1 << 16;
    /** Largest area accepted: 2^14 chunks, 1 GiB. */
    public static final long MAX_BYTES = (long)CHUNK_BYTES << 14;

    private final byte[] area;
    private final int chunks;
    private final AtomicLongArray used;

    /** @param bytes size of the area, rounded down to whole chunks; 0 disables it. */
    public RingOverflow(final long bytes)
    {
        if (bytes < 0 || bytes > MAX_BYTES)
        {
            throw new IllegalArgumentException("ring overflow bytes " + bytes + " outside 0.." + MAX_BYTES);
        }
        this.chunks = (int)(bytes / CHUNK_BYTES);
        this.area = new byte[chunks * CHUNK_BYTES];
        this.used = new AtomicLongArray(Math.max(1, (chunks + 63) >>> 6));
    }

    /** @return the index of a chunk now owned by the caller, or -1 when every chunk is in use. */
    public int claim()
    {
        for (int word = 0, words = (chunks + 63) >>> 6; word < words; word++)
        {
            long bits = used.get(word);
            while (true)
            {
                final int bit = Long.numberOfTrailingZeros(~bits);
                final int chunk = (word << 6) + bit;
                if (bit == 64 || chunk >= chunks)
                {
                    break;
                }
                final long claimed = bits | (1L << bit);
                if (used.compareAndSet(word, bits, claimed))
                {
                    return chunk;
                }
                bits = used.get(word);
            }
        }
        return -1;
    }

    /** Gives back a chunk returned by {@link #claim()}. */
    public void release(final int chunk)
    {
        final int word = chunk >>> 6;
        final long bit = 1L << (chunk & 63);
        long bits;
        do
        {
            bits = used.get(word);
        }
        while (!used.compareAndSet(word, bits, bits & ~bit));
    }

    /** Points {@code view} at a chunk (index 0 is its first byte, capacity {@link #CHUNK_BYTES}). */
    void wrap(final UnsafeBuffer view, final int chunk)
    {
        view.wrap(area, chunk * CHUNK_BYTES, CHUNK_BYTES);
    }

    /** @return chunks in the area. */
    public int chunks()
    {
        return chunks;
    }

    /** @return chunks in use now; any thread, a moment's view. */
    public int chunksInUse()
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
