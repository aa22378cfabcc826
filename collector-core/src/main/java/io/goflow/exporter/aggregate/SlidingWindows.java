package io.goflow.exporter.aggregate;

import io.goflow.exporter.decoders.api.FlowRecord;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * Sliding-window totals of one series, as rings of sub-buckets inside the series record.
 *
 * <h2>Resolution</h2>
 * Each window of {@code W} ns is cut into {@link #BUCKETS_PER_WINDOW} buckets of
 * {@code floor(W / 12)} ns aligned to the epoch (1m: 5 s, 5m: 25 s, 15m: 75 s, 1h: 5 min). The ring holds
 * {@code 12 + 1} buckets so that a window ending exactly on a bucket boundary still has its oldest
 * full bucket.
 *
 * <h2>What a window value is</h2>
 * At time {@code T} a window sums the buckets that start at or after {@code T - W}: the current
 * (partial) bucket and the full ones before it. On a bucket boundary that is exactly the traffic of
 * {@code [T - W, T)}; between boundaries it is the traffic since the first boundary after
 * {@code T - W}, so up to one bucket (1/12 of the window) of the oldest traffic has already left.
 * Rates divide by the full window length, also while the series is younger than the window.
 *
 * <h2>Record layout ({@value #WINDOW_LENGTH} bytes per window)</h2>
 * <pre>
 * 0                 8 x n                    8 x n + 312 x w
 * +-----------------+------------------------+-------------------------------------+
 * | lastBucket[n]   | ring of window 0 ...   | 13 x (bytes, packets, flows), 8 each |
 * +-----------------+------------------------+-------------------------------------+
 * </pre>
 * The {@code n} {@code lastBucket}s sit together next to the series totals, so an update touches
 * one cache line for all of them plus one per window for its current bucket.
 * {@code lastBucket} is the newest bucket number ({@code nowNs / bucketNs}) written; slot
 * {@code b % 13} holds bucket {@code b} for {@code b} in {@code (lastBucket - 13, lastBucket]}.
 * Older slots are cleared lazily when the writer moves {@code lastBucket} forward, so nothing rotates
 * on a timer and idle series cost nothing; a reader ignores slots older than its window.
 *
 * <h2>Spreading</h2>
 * {@link #addSpread} places a long flow's bytes and packets over the interval
 * {@code [nowNs - d, nowNs]}, {@code d} its duration capped at what the longest window covers at
 * {@code nowNs} (from the first bucket boundary at or after {@code nowNs - W}), in proportion to
 * each bucket's overlap; rounding remainders go to the newest bucket, so the longest window holds
 * exactly the flow's bytes and packets when the flow is received. Its flow count goes to the
 * current bucket.
 *
 * <h2>Threads</h2>
 * One instance per engine, shared by all its views. The window and bucket lengths are final. The
 * aggregation thread is the only writer: {@link #add} and {@link #addSpread} write the series record
 * and the memo of the current bucket, which no other thread reads. {@link #sum} runs on scrape
 * threads over a copy of the record taken under its sequence lock ({@link SeriesTable}) and reads
 * only final fields, so readers share the instance without locking.
 */
public final class SlidingWindows
{
    public static final int BUCKETS_PER_WINDOW = 12;
    static final int SLOTS = BUCKETS_PER_WINDOW + 1;
    static final int BUCKET_LENGTH = 24;
    static final int RING_LENGTH = SLOTS * BUCKET_LENGTH;
    static final int WINDOW_LENGTH = 8 + RING_LENGTH;
    private static final int PACKETS = 8;
    private static final int FLOWS = 16;

    private final long[] windowNs;
    private final long[] bucketNs;
    private final long longestWindowNs;
    /** Writer-only memo of the bucket holding the last {@code nowNs} passed to {@link #add}, per window. */
    private final long[] currentStartNs;
    private final long[] currentEndNs;
    private final long[] currentBucket;
    private final int[] currentSlot;

    /**
     * @param windowsNs window lengths, each at least {@link #BUCKETS_PER_WINDOW} ns. A window that is
     *                  not a multiple of 12 ns (such as 1 s) gets buckets of {@code floor(W / 12)} ns and
     *                  covers up to 11 ns less than {@code W}.
     */
    public SlidingWindows(final List<Long> windowsNs)
    {
        final int count = windowsNs.size();
        this.windowNs = new long[count];
        this.bucketNs = new long[count];
        long longest = 0;
        for (int i = 0; i < count; i++)
        {
            final long w = windowsNs.get(i);
            if (w < BUCKETS_PER_WINDOW)
            {
                throw new IllegalArgumentException("time window of " + w + " ns is shorter than " +
                    BUCKETS_PER_WINDOW + " ns");
            }
            windowNs[i] = w;
            bucketNs[i] = w / BUCKETS_PER_WINDOW;
            longest = Math.max(longest, w);
        }
        this.longestWindowNs = longest;
        this.currentStartNs = new long[count];
        this.currentEndNs = new long[count];
        this.currentBucket = new long[count];
        this.currentSlot = new int[count];
    }

    public int count()
    {
        return windowNs.length;
    }

    public long windowNs(final int window)
    {
        return windowNs[window];
    }

    public long longestWindowNs()
    {
        return longestWindowNs;
    }

    /** @return bytes taken in a record. */
    public int length()
    {
        return windowNs.length * WINDOW_LENGTH;
    }

    /**
     * Writer: counts into the bucket of {@code nowNs} of every window. The bucket number and ring
     * slot of the current {@code nowNs} are memoized (writer-only state), so the usual update does
     * no division.
     */
    public void add(
        final MutableDirectBuffer buffer, final int base, final long nowNs,
        final long bytes, final long packets, final long flows)
    {
        for (int w = 0; w < windowNs.length; w++)
        {
            if (nowNs < currentStartNs[w] || nowNs >= currentEndNs[w])
            {
                final long bucket = Math.floorDiv(nowNs, bucketNs[w]);
                currentBucket[w] = bucket;
                currentSlot[w] = (int)Math.floorMod(bucket, (long)SLOTS);
                currentStartNs[w] = bucket * bucketNs[w];
                currentEndNs[w] = currentStartNs[w] + bucketNs[w];
            }
            final long bucket = currentBucket[w];
            final int lastOffset = base + 8 * w;
            final int ring = ringOffset(base, w);
            final long last = buffer.getLong(lastOffset);
            if (bucket > last)
            {
                advance(buffer, lastOffset, ring, bucket);
            }
            else if (bucket <= last - SLOTS)
            {
                continue;
            }
            addBucket(buffer, ring + currentSlot[w] * BUCKET_LENGTH, bytes, packets, flows);
        }
    }

    /**
     * Writer: spreads bytes and packets over {@code [nowNs - durationNs, nowNs]} (duration capped at
     * the longest window); flows count at {@code nowNs}. A non-positive duration is {@link #add}.
     */
    public void addSpread(
        final MutableDirectBuffer buffer, final int base, final long nowNs, final long durationNs,
        final long bytes, final long packets, final long flows)
    {
        if (durationNs <= 0)
        {
            add(buffer, base, nowNs, bytes, packets, flows);
            return;
        }
        final long longestBucketNs = longestWindowNs / BUCKETS_PER_WINDOW;
        final long earliestNs = -Math.floorDiv(longestWindowNs - nowNs, longestBucketNs) * longestBucketNs;
        final long startNs = Math.max(nowNs - durationNs, earliestNs);
        final long spanNs = nowNs - startNs;
        if (spanNs <= 0)
        {
            add(buffer, base, nowNs, bytes, packets, flows);
            return;
        }
        for (int w = 0; w < windowNs.length; w++)
        {
            final int lastOffset = base + 8 * w;
            final int ring = ringOffset(base, w);
            final long width = bucketNs[w];
            final long last = nowNs / width;
            advance(buffer, lastOffset, ring, last);
            addAt(buffer, lastOffset, ring, last, 0, 0, flows);

            final long first = Math.max(Math.floorDiv(startNs, width), last - SLOTS + 1);
            long coveredNs = Math.max(0, first * width - startNs);
            long assignedBytes = (long)(bytes * (coveredNs / (double)spanNs));
            long assignedPackets = (long)(packets * (coveredNs / (double)spanNs));
            for (long b = first; b <= last; b++)
            {
                final long segmentStart = Math.max(startNs, b * width);
                final long segmentEnd = Math.min(nowNs, (b + 1) * width);
                coveredNs += Math.max(0, segmentEnd - segmentStart);
                final double fraction = coveredNs / (double)spanNs;
                final long cumulativeBytes = b == last ? bytes : Math.min(bytes, (long)(bytes * fraction));
                final long cumulativePackets = b == last ? packets : Math.min(packets, (long)(packets * fraction));
                addAt(buffer, lastOffset, ring, b, cumulativeBytes - assignedBytes, cumulativePackets - assignedPackets, 0);
                assignedBytes = cumulativeBytes;
                assignedPackets = cumulativePackets;
            }
        }
    }

    /**
     * Reader: sums window {@code window} at {@code nowNs} from a consistent copy of the record.
     *
     * @param totals receives bytes, packets and flows at indexes 0, 1, 2.
     */
    public void sum(final DirectBuffer buffer, final int base, final int window, final long nowNs, final long[] totals)
    {
        final int ring = ringOffset(base, window);
        final long width = bucketNs[window];
        final long firstBucket = -Math.floorDiv(windowNs[window] - nowNs, width);
        final long lastBucket = buffer.getLong(base + 8 * window);
        long bytes = 0;
        long packets = 0;
        long flows = 0;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final long bucket = lastBucket - Math.floorMod(lastBucket - slot, SLOTS);
            if (bucket >= firstBucket)
            {
                final int at = ring + slot * BUCKET_LENGTH;
                bytes = FlowRecord.addCounter(bytes, buffer.getLong(at));
                packets = FlowRecord.addCounter(packets, buffer.getLong(at + PACKETS));
                flows += buffer.getLong(at + FLOWS);
            }
        }
        totals[0] = bytes;
        totals[1] = packets;
        totals[2] = flows;
    }

    private int ringOffset(final int base, final int window)
    {
        return base + 8 * windowNs.length + window * RING_LENGTH;
    }

    private static void advance(final MutableDirectBuffer buffer, final int lastOffset, final int ring, final long bucket)
    {
        final long last = buffer.getLong(lastOffset);
        if (bucket > last)
        {
            final long stale = Math.min(bucket - last, SLOTS);
            for (long b = bucket - stale + 1; b <= bucket; b++)
            {
                final int at = ring + (int)Math.floorMod(b, (long)SLOTS) * BUCKET_LENGTH;
                buffer.putLong(at, 0);
                buffer.putLong(at + PACKETS, 0);
                buffer.putLong(at + FLOWS, 0);
            }
            buffer.putLong(lastOffset, bucket);
        }
    }

    private static void addAt(
        final MutableDirectBuffer buffer, final int lastOffset, final int ring, final long bucket,
        final long bytes, final long packets, final long flows)
    {
        if (bucket <= buffer.getLong(lastOffset) - SLOTS)
        {
            return;
        }
        addBucket(buffer, ring + (int)Math.floorMod(bucket, (long)SLOTS) * BUCKET_LENGTH, bytes, packets, flows);
    }

    /** Adds to one bucket, saturating ({@link FlowRecord#addCounter}): a window never reads negative. */
    private static void addBucket(
        final MutableDirectBuffer buffer, final int at, final long bytes, final long packets, final long flows)
    {
        buffer.putLong(at, FlowRecord.addCounter(buffer.getLong(at), bytes));
        buffer.putLong(at + PACKETS, FlowRecord.addCounter(buffer.getLong(at + PACKETS), packets));
        buffer.putLong(at + FLOWS, buffer.getLong(at + FLOWS) + flows);
    }
}
