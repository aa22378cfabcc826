package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One aggregation view: its dimensions, its own bounded {@link SeriesTable} and the counters of
 * every series, as flows, scaled bytes and scaled packets since the series was created plus
 * {@link SlidingWindows} of each.
 *
 * <h2>Series value layout (after the table's header and key)</h2>
 * <pre>
 * 0       8       16        24
 * +-------+-------+---------+-------------------------------+
 * | flows | bytes | packets | SlidingWindows (per window)   |
 * +-------+-------+---------+-------------------------------+
 * </pre>
 * Flows count records and are never scaled; bytes and packets are
 * {@link FlowRecord#scaledBytes()} and {@link FlowRecord#scaledPackets()}, added saturating
 * ({@link FlowRecord#addCounter}) so a counter stops at {@link Long#MAX_VALUE} and never wraps
 * negative. The decoders emit an
 * RFC 5103 biflow as two records, the reverse one ({@link FlowRecord#reverse}) with source and
 * destination swapped; each counts as a flow of its own direction, as a unidirectional exporter
 * would have reported it, so every series with traffic has at least one flow and
 * {@code rate(bytes) / rate(flows)} stays finite.
 *
 * <h2>Bounds</h2>
 * The table holds at most {@code maxSeries} keys. A record whose key is new while the table is full
 * is counted into the view's single <b>overflow series</b> (every dimension label
 * {@value SeriesKeyDescriptor#OVERFLOW_LABEL_VALUE}) and in {@link #overflowRecords()}, so totals
 * over the view stay exact. A series idle for more than {@code seriesTtlNs} is evicted (at most
 * {@link #EVICTION_BUDGET} records are examined per {@link #evictIdle} call) and readers stop
 * showing it as soon as it is past its TTL; when traffic returns it starts again from zero, which
 * Prometheus treats as a counter reset.
 *
 * <h2>Top K</h2>
 * With {@code top_k}, scrapes export the K series with most bytes in the bandwidth window, the
 * overflow series, and one {@code __other__} series (every dimension label
 * {@value SeriesKeyDescriptor#OTHER_LABEL_VALUE}) holding the sum of all the others, counters and
 * windows alike, so sums over the view stay exact. Series move in and out of the top K, so
 * {@code __other__} may go down between scrapes, which {@code rate()} reads as a counter reset.
 *
 * <h2>Ownership</h2>
 * {@link #onFlowRecord} and {@link #evictIdle} run on the aggregation thread only; scrape threads
 * read through their own {@link Cursor}s (see {@link SeriesTable} for the sequence lock).
 */
public final class AggregationView
{
    /** Records examined for TTL eviction per {@link #evictIdle} call. */
    public static final int EVICTION_BUDGET = 4096;

    static final int FLOWS_OFFSET = 0;
    static final int BYTES_OFFSET = FLOWS_OFFSET + 8;
    static final int PACKETS_OFFSET = BYTES_OFFSET + 8;
    static final int WINDOWS_OFFSET = PACKETS_OFFSET + 8;

    private final String name;
    private final String metricPrefix;
    private final SeriesKeyDescriptor keys;
    private final SlidingWindows windows;
    private final int bandwidthWindow;
    private final SeriesTable table;
    private final int overflowId;
    private final int topK;
    private final long seriesTtlNs;
    private final boolean spreadLongFlows;
    private final UnsafeBuffer keyScratch;
    private final AtomicLong overflowRecords = new AtomicLong();
    private final AtomicLong evictedSeries = new AtomicLong();

    /**
     * @param name            view name, the {@code view} label of the view's own metrics.
     * @param metricPrefix    prefix of the view's flow metric names before the namespace is added:
     *                        {@code ""} for the main view, {@code "<name>_"} for extra views.
     * @param dimensions      effective dimensions (see {@link SeriesKeyDescriptor#effectiveDimensions}).
     * @param windows         window set shared by all views.
     * @param bandwidthWindow index in {@code windows} of the window behind {@code bandwidth_bps}.
     */
    public AggregationView(
        final String name,
        final String metricPrefix,
        final List<Dimension> dimensions,
        final SlidingWindows windows,
        final int bandwidthWindow,
        final int maxSeries,
        final int topK,
        final long seriesTtlNs,
        final boolean spreadLongFlows)
    {
        this(name, metricPrefix, new SeriesKeyDescriptor(dimensions), windows, bandwidthWindow, maxSeries, topK,
            seriesTtlNs, spreadLongFlows);
    }

    /** @param keys the view's key layout, with the label strings and prefix lengths of the engine. */
    public AggregationView(
        final String name,
        final String metricPrefix,
        final SeriesKeyDescriptor keys,
        final SlidingWindows windows,
        final int bandwidthWindow,
        final int maxSeries,
        final int topK,
        final long seriesTtlNs,
        final boolean spreadLongFlows)
    {
        this.name = name;
        this.metricPrefix = metricPrefix;
        this.keys = keys;
        this.windows = windows;
        this.bandwidthWindow = bandwidthWindow;
        this.table = newTable(name, maxSeries, keys.keyLength(), WINDOWS_OFFSET + windows.length());
        this.overflowId = maxSeries;
        this.topK = topK;
        this.seriesTtlNs = seriesTtlNs;
        this.spreadLongFlows = spreadLongFlows;
        this.keyScratch = new UnsafeBuffer(new byte[keys.keyLength()]);
        table.beginWrite(overflowId);
        table.store().putLong(table.recordOffset(overflowId) + SeriesTable.STATE_OFFSET, SeriesTable.STATE_LIVE);
        table.endWrite(overflowId);
    }

    /** @return off-heap bytes of a view's table: {@code maxSeries} series plus the overflow series. */
    static long offHeapBytes(final int maxSeries, final int keyLength, final SlidingWindows windows)
    {
        return SeriesTable.offHeapBytes(maxSeries, keyLength, WINDOWS_OFFSET + windows.length(), 1);
    }

    /**
     * @throws IllegalArgumentException naming the view when {@code maxSeries} records do not fit in
     * one 2 GiB off-heap region (about 1.5 million series with every dimension and four windows).
     */
    private static SeriesTable newTable(final String name, final int maxSeries, final int keyLength, final int valueLength)
    {
        try
        {
            return new SeriesTable(maxSeries, keyLength, valueLength, 1);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("aggregation view \"" + name + "\": max_series " + maxSeries +
                " is too large: " + ex.getMessage(), ex);
        }
    }

    public String name()
    {
        return name;
    }

    public String metricPrefix()
    {
        return metricPrefix;
    }

    public SeriesKeyDescriptor keys()
    {
        return keys;
    }

    public SlidingWindows windows()
    {
        return windows;
    }

    public int bandwidthWindow()
    {
        return bandwidthWindow;
    }

    public int topK()
    {
        return topK;
    }

    public int capacity()
    {
        return table.capacity();
    }

    /** @return live series excluding the overflow series; any thread. */
    public int seriesCount()
    {
        return table.size();
    }

    public long memoryBytes()
    {
        return table.memoryBytes() + keyScratch.capacity();
    }

    /** @return records counted into the overflow series; any thread. */
    public long overflowRecords()
    {
        return overflowRecords.get();
    }

    /** @return series removed by TTL eviction; any thread. */
    public long evictedSeries()
    {
        return evictedSeries.get();
    }

    /** Aggregation thread: adds one flow record, without networks or interface names, at {@code nowNs}. */
    public void onFlowRecord(final FlowRecord record, final long nowNs)
    {
        onFlowRecord(record, NO_LABELS, nowNs);
    }

    private static final RecordLabels NO_LABELS = new RecordLabels();

    /** @return true when the table holds {@link #capacity()} series, so new keys go to the overflow series. */
    public boolean atCapacity()
    {
        return table.size() >= table.capacity();
    }

    /** Aggregation thread: adds one flow record counted at {@code nowNs}, with its resolved labels. */
    public void onFlowRecord(final FlowRecord record, final RecordLabels labels, final long nowNs)
    {
        keys.pack(record, labels, keyScratch, 0);
        final int hash = table.hashOf(keyScratch, 0);
        int id = table.find(keyScratch, 0, hash);
        if (id < 0)
        {
            id = table.insert(keyScratch, 0, hash, nowNs);
            if (id < 0)
            {
                id = overflowId;
                overflowRecords.lazySet(overflowRecords.get() + 1);
            }
        }

        final long bytes = record.scaledBytes();
        final long packets = record.scaledPackets();
        final UnsafeBuffer store = table.store();
        final int recordOffset = table.recordOffset(id);
        final int valueOffset = recordOffset + table.valueOffset();

        table.beginWrite(id);
        try
        {
            store.putLong(recordOffset + SeriesTable.LAST_SEEN_OFFSET, nowNs);
            store.putLong(valueOffset + FLOWS_OFFSET, store.getLong(valueOffset + FLOWS_OFFSET) + 1);
            store.putLong(valueOffset + BYTES_OFFSET, FlowRecord.addCounter(store.getLong(valueOffset + BYTES_OFFSET), bytes));
            store.putLong(valueOffset + PACKETS_OFFSET,
                FlowRecord.addCounter(store.getLong(valueOffset + PACKETS_OFFSET), packets));
            if (spreadLongFlows && record.timeFlowStartNs != 0 && record.timeFlowEndNs > record.timeFlowStartNs)
            {
                windows.addSpread(store, valueOffset + WINDOWS_OFFSET, nowNs,
                    record.timeFlowEndNs - record.timeFlowStartNs, bytes, packets, 1);
            }
            else
            {
                windows.add(store, valueOffset + WINDOWS_OFFSET, nowNs, bytes, packets, 1);
            }
        }
        finally
        {
            table.endWrite(id);
        }
    }

    /** Aggregation thread: evicts series idle for more than the TTL, a bounded slice per call. */
    public void evictIdle(final long nowNs)
    {
        final int evicted = table.evictIdle(nowNs, seriesTtlNs, EVICTION_BUDGET);
        if (evicted > 0)
        {
            evictedSeries.lazySet(evictedSeries.get() + evicted);
        }
    }

    /** @return a reader over this view's series, for one scrape thread at a time. */
    public Cursor newCursor()
    {
        return new Cursor();
    }

    /**
     * Scrape-side view of one series at a time: {@link #read} copies a consistent version of a
     * record, after which the accessors describe it. Not thread-safe; one per scrape.
     */
    public final class Cursor
    {
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[table.recordLength()]);
        private final long[] windowTotals = new long[windows.count() * 3];
        private final long[] sum = new long[3];
        private long nowNs;
        private boolean overflow;
        private boolean other;
        private boolean summing;
        private int[] topIds;
        private long[] topBytes;
        /** Totals over every series a {@link #topSeries} scan read, then those {@link #read} since. */
        private final long[] allTotals = new long[3 + windows.count() * 3];
        private final long[] readTotals = new long[3 + windows.count() * 3];
        private final long[] otherCounters = new long[3];

        /** Sets the time window values are computed at. */
        public Cursor at(final long nowNs)
        {
            this.nowNs = nowNs;
            return this;
        }

        /** @return one past the highest series id to pass to {@link #read}. */
        public int limit()
        {
            return table.highWaterMark();
        }

        /**
         * @return true when series {@code id} is live, has counted a record (a series just inserted
         * but not yet updated is skipped) and is not past its TTL at the cursor's time.
         */
        public boolean read(final int id)
        {
            return read(id, true);
        }

        /**
         * As {@link #read(int)}; with {@code windows} false the window values are left as they were
         * (not computed: cheaper when only the counters are used). Not for the reads after a
         * {@link #topSeries} scan, whose {@link #readOther} remainder needs the windows.
         */
        public boolean read(final int id, final boolean windows)
        {
            overflow = false;
            other = false;
            if (!table.read(id, scratch) || flows() == 0 ||
                nowNs - scratch.getLong(SeriesTable.LAST_SEEN_OFFSET) > seriesTtlNs)
            {
                return false;
            }
            if (windows)
            {
                computeWindows();
            }
            if (summing)
            {
                addTo(readTotals);
            }
            return true;
        }

        /**
         * After {@link #topSeries} and a {@link #read} of each series exported: makes the cursor
         * describe the {@code __other__} remainder, every live series not read since the scan,
         * summed, so that the exported series of a top-K view add up to the whole view (as of the
         * scan; a record counted between scan and read lowers the remainder by as much).
         *
         * @return true when the remainder holds at least one flow.
         */
        public boolean readOther()
        {
            overflow = false;
            other = true;
            summing = false;
            for (int i = 0; i < 3; i++)
            {
                otherCounters[i] = Math.max(0, allTotals[i] - readTotals[i]);
            }
            for (int i = 0; i < windowTotals.length; i++)
            {
                windowTotals[i] = Math.max(0, allTotals[3 + i] - readTotals[3 + i]);
            }
            return otherCounters[0] > 0;
        }

        private void addTo(final long[] totals)
        {
            totals[0] += flows();
            totals[1] = FlowRecord.addCounter(totals[1], bytes());
            totals[2] = FlowRecord.addCounter(totals[2], packets());
            for (int i = 0; i < windowTotals.length; i++)
            {
                totals[3 + i] = FlowRecord.addCounter(totals[3 + i], windowTotals[i]);
            }
        }

        /** @return true when the overflow series has counted at least one record. */
        public boolean readOverflow()
        {
            overflow = true;
            other = false;
            if (!table.read(overflowId, scratch) || flows() == 0)
            {
                return false;
            }
            computeWindows();
            return true;
        }

        /**
         * @return ids of the (at most) {@code k} live series with most bytes in the bandwidth window,
         * in no particular order; the result array is reused by the next call.
         */
        public int[] topSeries(final int k)
        {
            if (topIds == null || topIds.length != k)
            {
                topIds = new int[k];
                topBytes = new long[k];
            }
            int count = 0;
            final int limit = limit();
            summing = false;
            java.util.Arrays.fill(allTotals, 0);
            java.util.Arrays.fill(readTotals, 0);
            for (int id = 0; id < limit; id++)
            {
                if (!read(id))
                {
                    continue;
                }
                addTo(allTotals);
                final long bytes = windowBytes(bandwidthWindow);
                if (count < k)
                {
                    topIds[count] = id;
                    topBytes[count] = bytes;
                    siftUp(count++);
                }
                else if (bytes > topBytes[0])
                {
                    topIds[0] = id;
                    topBytes[0] = bytes;
                    siftDown(count);
                }
            }
            summing = true;
            return count == k ? topIds : Arrays.copyOf(topIds, count);
        }

        public boolean isOverflow()
        {
            return overflow;
        }

        /** @return true when the cursor describes the {@code __other__} remainder ({@link #readOther}). */
        public boolean isOther()
        {
            return other;
        }

        public long flows()
        {
            return other ? otherCounters[0] : scratch.getLong(table.valueOffset() + FLOWS_OFFSET);
        }

        public long bytes()
        {
            return other ? otherCounters[1] : scratch.getLong(table.valueOffset() + BYTES_OFFSET);
        }

        public long packets()
        {
            return other ? otherCounters[2] : scratch.getLong(table.valueOffset() + PACKETS_OFFSET);
        }

        public long windowBytes(final int window)
        {
            return windowTotals[window * 3];
        }

        public long windowPackets(final int window)
        {
            return windowTotals[window * 3 + 1];
        }

        public long windowFlows(final int window)
        {
            return windowTotals[window * 3 + 2];
        }

        /** Appends the label value of dimension {@code index} of the current series. */
        public StringBuilder appendLabelValue(final StringBuilder sb, final int index)
        {
            return overflow ? sb.append(SeriesKeyDescriptor.OVERFLOW_LABEL_VALUE) :
                other ? sb.append(SeriesKeyDescriptor.OTHER_LABEL_VALUE) :
                keys.appendLabelValue(sb, index, scratch, SeriesTable.KEY_OFFSET);
        }

        private void computeWindows()
        {
            final int base = table.valueOffset() + WINDOWS_OFFSET;
            for (int w = 0; w < windows.count(); w++)
            {
                windows.sum(scratch, base, w, nowNs, sum);
                windowTotals[w * 3] = sum[0];
                windowTotals[w * 3 + 1] = sum[1];
                windowTotals[w * 3 + 2] = sum[2];
            }
        }

        private void siftUp(final int from)
        {
            int i = from;
            while (i > 0)
            {
                final int parent = (i - 1) >>> 1;
                if (topBytes[parent] <= topBytes[i])
                {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(final int count)
        {
            int i = 0;
            while (true)
            {
                final int left = 2 * i + 1;
                if (left >= count)
                {
                    return;
                }
                final int right = left + 1;
                final int smallest = right < count && topBytes[right] < topBytes[left] ? right : left;
                if (topBytes[i] <= topBytes[smallest])
                {
                    return;
                }
                swap(i, smallest);
                i = smallest;
            }
        }

        private void swap(final int a, final int b)
        {
            final int id = topIds[a];
            topIds[a] = topIds[b];
            topIds[b] = id;
            final long bytes = topBytes[a];
            topBytes[a] = topBytes[b];
            topBytes[b] = bytes;
        }
    }
}
