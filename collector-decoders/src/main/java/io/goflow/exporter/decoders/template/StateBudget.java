package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecoderSettings;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The byte and count caps on v9/IPFIX exporter state, shared by every decode shard: streams (over
 * all shards and per exporter address), template memory (over all shards and per address) and
 * bytes of data held before its template (over all shards). Each shard's {@link ExporterTable}
 * reserves here before it allocates and releases when it frees, so the caps hold however the
 * streams spread over the shards; a refusal is counted by the limit that refused it
 * ({@link Limit}) and the caller drops or evicts. The per-stream template-update rate is kept by
 * each stream ({@link ExporterState}); only its refusals are counted here.
 *
 * <h2>Costs</h2>
 * A stream costs {@link ExporterState#STREAM_BYTES}, a template
 * {@link ExporterState#templateBytes(int)}, a remembered sampler {@link ExporterState#SAMPLER_BYTES}
 * (counted as template memory), a held set the bytes of its hold buffer as allocated. Each figure
 * is at least what the JVM allocates for it (checked by the tests with the thread's allocation
 * counter).
 *
 * <h2>Threads</h2>
 * Reservations and releases come from the decode shards, reads from any thread (metrics); all
 * under this object's monitor, which is taken only when state is created, changed or freed (a new
 * stream, a new or changed template, a hold buffer that grows or empties), never per record. The
 * per-address table allocates only when it grows, bounded by the stream cap.
 */
public final class StateBudget
{
    /** The limit behind a refusal or an eviction: its {@link #key()} is the configuration key. */
    public enum Limit
    {
        MAX_EXPORTERS("max_exporters"),
        MAX_STREAMS_PER_ADDRESS("max_streams_per_address"),
        MAX_TEMPLATES_PER_EXPORTER("max_templates_per_exporter"),
        TEMPLATE_UPDATES_PER_SECOND("template_updates_per_second"),
        TEMPLATE_BYTES_TOTAL("template_bytes_total"),
        TEMPLATE_BYTES_PER_ADDRESS("template_bytes_per_address"),
        PENDING_BYTES_PER_EXPORTER("pending_bytes_per_exporter"),
        PENDING_BYTES_TOTAL("pending_bytes_total");

        private static final Limit[] VALUES = values();

        private final String key;

        Limit(final String key)
        {
            this.key = key;
        }

        /** @return the {@code decoder} configuration key of this limit. */
        public String key()
        {
            return key;
        }
    }

    private static final int INITIAL_ADDRESSES = 64;

    private final int maxStreams;
    private final int maxStreamsPerAddress;
    private final long templateBytesTotal;
    private final long templateBytesPerAddress;
    private final long heldBytesTotal;
    private final AtomicLongArray refused = new AtomicLongArray(Limit.VALUES.length);
    private final AtomicLongArray evicted = new AtomicLongArray(Limit.VALUES.length);

    private int streams;
    private long templateBytes;
    private int templates;
    private long heldBytes;
    private int heldSets;

    private long[] addrHi = new long[INITIAL_ADDRESSES];
    private long[] addrLo = new long[INITIAL_ADDRESSES];
    private int[] addrStreams = new int[INITIAL_ADDRESSES];
    private long[] addrTemplateBytes = new long[INITIAL_ADDRESSES];
    private int addresses;

    /**
     * @param maxStreams              {@code max_exporters}: streams over every shard.
     * @param maxStreamsPerAddress    {@code max_streams_per_address}.
     * @param templateBytesTotal      {@code template_bytes_total}.
     * @param templateBytesPerAddress {@code template_bytes_per_address}.
     * @param heldBytesTotal          {@code pending_bytes_total}.
     */
    public StateBudget(
        final int maxStreams,
        final int maxStreamsPerAddress,
        final long templateBytesTotal,
        final long templateBytesPerAddress,
        final long heldBytesTotal)
    {
        this.maxStreams = maxStreams;
        this.maxStreamsPerAddress = maxStreamsPerAddress;
        this.templateBytesTotal = templateBytesTotal;
        this.templateBytesPerAddress = templateBytesPerAddress;
        this.heldBytesTotal = heldBytesTotal;
    }

    /** @return the caps of {@code settings}. */
    public static StateBudget of(final DecoderSettings settings)
    {
        return new StateBudget(
            settings.maxExporters(), settings.maxStreamsPerAddress(), settings.templateBytesTotal(),
            settings.templateBytesPerAddress(), settings.pendingBytesTotal());
    }

    /** @return a budget that never refuses (tests, tools that decode one capture). */
    public static StateBudget unlimited()
    {
        return new StateBudget(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * Reserves one stream of {@code (hi, lo)}.
     *
     * @return null when reserved, else the limit that refuses it (not counted: the caller may evict
     *         and retry, then {@link #refused(Limit)}).
     */
    public synchronized Limit reserveStream(final long hi, final long lo)
    {
        int slot = find(hi, lo);
        if (slot >= 0 && addrStreams[slot] >= maxStreamsPerAddress)
        {
            return Limit.MAX_STREAMS_PER_ADDRESS;
        }
        if (streams >= maxStreams)
        {
            return Limit.MAX_EXPORTERS;
        }
        if (slot < 0)
        {
            slot = insert(hi, lo);
        }
        addrStreams[slot]++;
        streams++;
        return null;
    }

    /** Gives back a stream of {@code (hi, lo)}; its templates and held bytes must be released first. */
    public synchronized void releaseStream(final long hi, final long lo)
    {
        final int slot = find(hi, lo);
        if (slot < 0)
        {
            return;
        }
        streams--;
        if (--addrStreams[slot] <= 0)
        {
            remove(slot);
        }
    }

    /**
     * Reserves {@code bytes} of template memory for a stream of {@code (hi, lo)} (which holds a
     * stream reservation), as {@code count} templates (0 for a sampler).
     *
     * @return null when reserved, else the limit that refuses it (not counted).
     */
    public synchronized Limit reserveTemplate(final long hi, final long lo, final long bytes, final int count)
    {
        final int slot = find(hi, lo);
        if (slot >= 0 && bytes > templateBytesPerAddress - addrTemplateBytes[slot])
        {
            return Limit.TEMPLATE_BYTES_PER_ADDRESS;
        }
        if (bytes > templateBytesTotal - templateBytes)
        {
            return Limit.TEMPLATE_BYTES_TOTAL;
        }
        if (slot >= 0)
        {
            addrTemplateBytes[slot] += bytes;
        }
        templateBytes += bytes;
        templates += count;
        return null;
    }

    /** Gives back template memory reserved by {@link #reserveTemplate}. */
    public synchronized void releaseTemplate(final long hi, final long lo, final long bytes, final int count)
    {
        final int slot = find(hi, lo);
        if (slot >= 0)
        {
            addrTemplateBytes[slot] -= bytes;
        }
        templateBytes -= bytes;
        templates -= count;
    }

    /** @return true when {@code bytes} more of hold buffer fit in {@code pending_bytes_total}. */
    public synchronized boolean reserveHeld(final long bytes)
    {
        if (bytes > heldBytesTotal - heldBytes)
        {
            return false;
        }
        heldBytes += bytes;
        return true;
    }

    /** Gives back hold-buffer bytes reserved by {@link #reserveHeld}. */
    public synchronized void releaseHeld(final long bytes)
    {
        heldBytes -= bytes;
    }

    /** Adds {@code delta} to the sets held now (a gauge). */
    public synchronized void heldSets(final int delta)
    {
        heldSets += delta;
    }

    /** Counts one refusal by {@code limit}. */
    public void refused(final Limit limit)
    {
        refused.incrementAndGet(limit.ordinal());
    }

    /** Counts one stream evicted to make room under {@code limit}. */
    public void evicted(final Limit limit)
    {
        evicted.incrementAndGet(limit.ordinal());
    }

    /** @return refusals counted by {@code limit} since start. Any thread. */
    public long refusals(final Limit limit)
    {
        return refused.get(limit.ordinal());
    }

    /** @return streams evicted to make room under {@code limit} since start. Any thread. */
    public long evictions(final Limit limit)
    {
        return evicted.get(limit.ordinal());
    }

    public synchronized int streams()
    {
        return streams;
    }

    /** @return heap bytes of the streams now, {@link ExporterState#STREAM_BYTES} each. */
    public synchronized long streamBytes()
    {
        return (long)streams * ExporterState.STREAM_BYTES;
    }

    public synchronized long templateBytes()
    {
        return templateBytes;
    }

    public synchronized int templates()
    {
        return templates;
    }

    public synchronized long heldBytes()
    {
        return heldBytes;
    }

    public synchronized int heldSets()
    {
        return heldSets;
    }

    /** @return streams of {@code (hi, lo)} now. */
    public synchronized int streamsOf(final long hi, final long lo)
    {
        final int slot = find(hi, lo);
        return slot < 0 ? 0 : addrStreams[slot];
    }

    /** @return template bytes of {@code (hi, lo)} now. */
    public synchronized long templateBytesOf(final long hi, final long lo)
    {
        final int slot = find(hi, lo);
        return slot < 0 ? 0 : addrTemplateBytes[slot];
    }

    public int maxStreams()
    {
        return maxStreams;
    }

    public long templateBytesTotal()
    {
        return templateBytesTotal;
    }

    public long heldBytesTotal()
    {
        return heldBytesTotal;
    }

    /** @return heap bytes the streams may take at most: {@code max_exporters * STREAM_BYTES}. */
    public long streamBytesLimit()
    {
        return (long)maxStreams * ExporterState.STREAM_BYTES;
    }

    private int find(final long hi, final long lo)
    {
        final int mask = addrHi.length - 1;
        int i = hash(hi, lo) & mask;
        while (addrStreams[i] != 0)
        {
            if (addrHi[i] == hi && addrLo[i] == lo)
            {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private int insert(final long hi, final long lo)
    {
        if ((addresses + 1) * 2 > addrHi.length)
        {
            grow();
        }
        final int mask = addrHi.length - 1;
        int i = hash(hi, lo) & mask;
        while (addrStreams[i] != 0)
        {
            i = (i + 1) & mask;
        }
        addrHi[i] = hi;
        addrLo[i] = lo;
        addrTemplateBytes[i] = 0;
        addresses++;
        return i;
    }

    /** Linear-probing removal with backward shift, so that no tombstone is needed. */
    private void remove(final int slot)
    {
        final int mask = addrHi.length - 1;
        int hole = slot;
        addrStreams[hole] = 0;
        addresses--;
        int i = (hole + 1) & mask;
        while (addrStreams[i] != 0)
        {
            final int home = hash(addrHi[i], addrLo[i]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                addrHi[hole] = addrHi[i];
                addrLo[hole] = addrLo[i];
                addrStreams[hole] = addrStreams[i];
                addrTemplateBytes[hole] = addrTemplateBytes[i];
                addrStreams[i] = 0;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow()
    {
        final long[] oldHi = addrHi;
        final long[] oldLo = addrLo;
        final int[] oldStreams = addrStreams;
        final long[] oldBytes = addrTemplateBytes;
        final int capacity = oldHi.length * 2;
        addrHi = new long[capacity];
        addrLo = new long[capacity];
        addrStreams = new int[capacity];
        addrTemplateBytes = new long[capacity];
        final int mask = capacity - 1;
        for (int j = 0; j < oldHi.length; j++)
        {
            if (oldStreams[j] != 0)
            {
                int i = hash(oldHi[j], oldLo[j]) & mask;
                while (addrStreams[i] != 0)
                {
                    i = (i + 1) & mask;
                }
                addrHi[i] = oldHi[j];
                addrLo[i] = oldLo[j];
                addrStreams[i] = oldStreams[j];
                addrTemplateBytes[i] = oldBytes[j];
            }
        }
    }

    private static int hash(final long hi, final long lo)
    {
        long h = (hi * 0x9E37_79B9_7F4A_7C15L) ^ lo;
        h *= 0xBF58_476D_1CE4_E5B9L;
        return (int)(h ^ (h >>> 32));
    }
}
