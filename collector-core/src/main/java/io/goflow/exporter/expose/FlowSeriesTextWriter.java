package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationReader;
import io.goflow.exporter.aggregate.AggregationView;
import io.goflow.exporter.aggregate.SlidingWindows;
import io.goflow.exporter.config.MetricsSettings;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

/**
 * The one rendering of the views' flow series: streamed straight from the tables in the Prometheus
 * text format 0.0.4, without building simpleclient {@code Sample} objects (counters as exact
 * integers, rates as exact decimals truncated after 12 fraction digits, see {@link #appendRate}),
 * in the {@link ExpositionText} style. Text goes out through one 64 KiB buffer per scrape.
 *
 * <h2>Per view ({@code P} = {@code ""} for the main view, {@code "<view>_"} for extra views)</h2>
 * <pre>
 * P flows_total                    counter  records, never scaled
 * P bytes_total                    counter  bytes scaled by the sampling rate
 * P packets_total                  counter  packets scaled by the sampling rate
 * P bandwidth_bps                  gauge    8 x bytes in aggregation.bandwidth_window / its seconds
 * P window_bytes_per_second        gauge    bytes in the window / window seconds,   label window
 * P window_packets_per_second      gauge    packets in the window / window seconds, label window
 * P window_flows_per_second        gauge    flows in the window / window seconds,   label window
 * </pre>
 * All carry the view's dimension labels in configuration order, then {@code metrics.custom_labels}
 * that do not collide with them; the three counters carry exactly the same label sets.
 * {@code window} is the window's duration as configured ({@code 1m}, {@code 5m}, {@code 15m},
 * {@code 1h}, otherwise the largest unit that divides it: {@code 90s}, {@code 1500ms}). The overflow
 * series has every dimension label equal to {@code __overflow__}. With {@code top_k}, only the K
 * series with most bytes in the bandwidth window are exported, plus the overflow series and one
 * {@code __other__} series summing all the rest, so sums over a top-K view stay exact. Label values:
 * addresses in canonical text (dotted quad, RFC 5952), protocol as the decimal IP protocol number
 * ({@code 6}, {@code 17}, {@code 58}), ports, interface indexes and ASNs in decimal, countries as
 * ISO alpha-2 upper case; an unknown value is the empty string.
 *
 * <p>{@link ScrapeExposition} writes the registry (holding {@link AggregationStateCollector} for
 * the table and interface metrics) and then calls {@link #write}. Each family's series go out together, as the format requires. A view without
 * top-K is read once per family straight into the text (see {@link #streamView}): memory per scrape
 * is the two 64 KiB chunk buffers and one series' scratch, whatever the series count (measured at
 * 100k series and eleven dimensions: 57.5 MB allocated per scrape with a whole-view snapshot, and
 * out of memory with {@code -Xmx64m}; see {@code AggregationMeasure}). A top-K view is read once
 * into a {@link Snapshot} of its K + 2 series, so that its {@code __other__} remainder is exact.
 *
 * <p>Thread-safe: each {@link #write} uses its own cursors and buffer.
 */
public final class FlowSeriesTextWriter
{
    private static final int CHUNK_CHARS = 64 * 1024;
    private static final int FLOWS = 0;
    private static final int BYTES = 1;
    private static final int PACKETS = 2;
    private static final int BANDWIDTH = 3;
    private static final int WINDOW_BYTES = 4;
    private static final int WINDOW_PACKETS = 5;
    private static final int WINDOW_FLOWS = 6;
    private static final int FAMILIES = 7;
    private static final double NS_PER_SECOND = 1e9;
    private static final long NS_PER_SECOND_LONG = 1_000_000_000L;
    private static final int RATE_FRACTION_DIGITS = 12;

    private final AggregationReader engine;
    private final ViewMetricNames[] names;
    private final String[] windowLabelValues;
    private final String[] customBlocks;
    private final String[] windowCustomBlocks;
    /** Families written per view: all seven, or without the window rates. */
    private final int families;

    /** @return the streaming writer of {@code engine}'s flow series. */
    public static FlowSeriesTextWriter of(final AggregationReader engine)
    {
        return new FlowSeriesTextWriter(engine, engine.metricsSettings());
    }

    public FlowSeriesTextWriter(final AggregationReader engine, final MetricsSettings metrics)
    {
        this.engine = engine;
        final List<AggregationView> views = engine.views();
        this.names = new ViewMetricNames[views.size()];
        this.customBlocks = new String[views.size()];
        this.windowCustomBlocks = new String[views.size()];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = new ViewMetricNames(views.get(i), metrics);
            customBlocks[i] = customBlock(names[i].labels);
            windowCustomBlocks[i] = customBlock(names[i].windowLabels);
        }
        this.families = metrics.windowRates() ? FAMILIES : WINDOW_BYTES;
        final SlidingWindows windows = engine.windows();
        this.windowLabelValues = new String[windows.count()];
        for (int w = 0; w < windowLabelValues.length; w++)
        {
            windowLabelValues[w] = ViewMetricNames.durationText(windows.windowNs(w));
        }
    }

    /** Writes every view's flow series families to {@code out}; does not flush or close it. */
    public void write(final Writer out) throws IOException
    {
        final long nowNs = engine.readerNowNs();
        final Chunk chunk = new Chunk(out);
        final List<AggregationView> views = engine.views();
        for (int v = 0; v < names.length; v++)
        {
            writeView(views.get(v), v, nowNs, chunk);
        }
        chunk.flush();
    }

    private void writeView(final AggregationView view, final int v, final long nowNs, final Chunk chunk)
        throws IOException
    {
        if (view.topK() == 0)
        {
            streamView(view, v, nowNs, chunk);
            return;
        }
        final Snapshot snapshot = Snapshot.of(view, nowNs);
        for (int family = 0; family < families; family++)
        {
            header(chunk.sb, family, names[v], view);
            for (int i = 0; i < snapshot.count; i++)
            {
                line(chunk.sb, family, v, view, snapshot, i);
                chunk.maybeFlush();
            }
        }
    }

    /**
     * A view without top-K, in bounded memory: one pass over the table per family, each series read
     * (under its sequence lock) and its labels rendered into a one-series {@link Snapshot} reused for
     * the next, so memory is the chunk buffers whatever the series count. The families of one scrape
     * are then read at slightly different instants (each line is consistent in itself); a series
     * created or evicted during the scrape may be in some families and not others.
     */
    private void streamView(final AggregationView view, final int v, final long nowNs, final Chunk chunk)
        throws IOException
    {
        final AggregationView.Cursor cursor = view.newCursor().at(nowNs);
        final Snapshot one = chunk.series(view.windows().count());
        for (int family = 0; family < families; family++)
        {
            header(chunk.sb, family, names[v], view);
            final boolean windows = family >= BANDWIDTH;
            final int limit = cursor.limit();
            for (int id = 0; id <= limit; id++)
            {
                if (id < limit ? cursor.read(id, windows) : cursor.readOverflow())
                {
                    one.clear();
                    one.add(view, cursor);
                    line(chunk.sb, family, v, view, one, 0);
                    chunk.maybeFlush();
                }
            }
        }
    }

    private void line(
        final StringBuilder sb, final int family, final int v, final AggregationView view,
        final Snapshot snapshot, final int i)
    {
        final ViewMetricNames n = names[v];
        final String customBlock = customBlocks[v];
        final int base = i * snapshot.stride;
        final long[] values = snapshot.values;
        switch (family)
        {
            case FLOWS:
                sample(sb, n.flows, "_total", snapshot, i, customBlock).append(values[base]).append('\n');
                break;
            case BYTES:
                sample(sb, n.bytes, "_total", snapshot, i, customBlock).append(values[base + 1]).append('\n');
                break;
            case PACKETS:
                sample(sb, n.packets, "_total", snapshot, i, customBlock).append(values[base + 2]).append('\n');
                break;
            case BANDWIDTH:
            {
                final int bw = view.bandwidthWindow();
                appendRate(sample(sb, n.bandwidth, "", snapshot, i, customBlock),
                    values[base + 3 + 3 * bw], 8, view.windows().windowNs(bw)).append('\n');
                break;
            }
            default:
            {
                final int field = family - WINDOW_BYTES;
                final String name = family == WINDOW_BYTES ? n.windowBytes :
                    family == WINDOW_PACKETS ? n.windowPackets : n.windowFlows;
                final int labelsFrom = snapshot.labelStart(i);
                final int labelsTo = snapshot.labelEnd[i];
                for (int w = 0; w < windowLabelValues.length; w++)
                {
                    sb.append(name).append('{').append(snapshot.labels, labelsFrom, labelsTo);
                    if (labelsTo > labelsFrom)
                    {
                        sb.append(',');
                    }
                    sb.append("window=\"").append(windowLabelValues[w]).append('"').append(windowCustomBlocks[v])
                        .append("} ");
                    appendRate(sb, values[base + 3 + 3 * w + field], 1, view.windows().windowNs(w)).append('\n');
                }
                break;
            }
        }
    }

    /**
     * Appends {@code total x multiplier / (windowNs / 1e9)}. For whole-second windows this is exact
     * decimal long division, truncated after {@value #RATE_FRACTION_DIGITS} fraction digits (within
     * 1e-12 of the exact rate, and allocation-free, unlike {@code Double.toString}, which also costs
     * most of the time of a scrape); otherwise, or if the product would overflow, the double text.
     */
    static StringBuilder appendRate(final StringBuilder sb, final long total, final int multiplier, final long windowNs)
    {
        if (windowNs % NS_PER_SECOND_LONG != 0 || total < 0 || total > Long.MAX_VALUE / multiplier)
        {
            return ExpositionText.appendValue(sb, total * (double)multiplier * NS_PER_SECOND / windowNs);
        }
        final long seconds = windowNs / NS_PER_SECOND_LONG;
        final long numerator = total * multiplier;
        sb.append(numerator / seconds);
        long remainder = numerator % seconds;
        if (remainder == 0)
        {
            return sb;
        }
        sb.append('.');
        for (int digit = 0; digit < RATE_FRACTION_DIGITS && remainder != 0; digit++)
        {
            remainder *= 10;
            sb.append((char)('0' + remainder / seconds));
            remainder %= seconds;
        }
        return sb;
    }

    private static StringBuilder sample(
        final StringBuilder sb, final String name, final String suffix, final Snapshot snapshot, final int i,
        final String custom)
    {
        sb.append(name).append(suffix);
        final int from = snapshot.labelStart(i);
        final int to = snapshot.labelEnd[i];
        if (from == to && custom.isEmpty())
        {
            return sb.append(' ');
        }
        sb.append('{').append(snapshot.labels, from, to);
        if (from == to)
        {
            sb.append(custom, 1, custom.length());
        }
        else
        {
            sb.append(custom);
        }
        return sb.append("} ");
    }

    private void header(final StringBuilder sb, final int family, final ViewMetricNames n, final AggregationView view)
    {
        final String name;
        final String help;
        final boolean counter = family <= PACKETS;
        switch (family)
        {
            case FLOWS:
                name = n.flows;
                help = ViewMetricNames.FLOWS_HELP;
                break;
            case BYTES:
                name = n.bytes;
                help = ViewMetricNames.BYTES_HELP;
                break;
            case PACKETS:
                name = n.packets;
                help = ViewMetricNames.PACKETS_HELP;
                break;
            case BANDWIDTH:
                name = n.bandwidth;
                help = String.format(ViewMetricNames.BANDWIDTH_HELP, windowLabelValues[view.bandwidthWindow()]);
                break;
            case WINDOW_BYTES:
                name = n.windowBytes;
                help = ViewMetricNames.WINDOW_BYTES_HELP;
                break;
            case WINDOW_PACKETS:
                name = n.windowPackets;
                help = ViewMetricNames.WINDOW_PACKETS_HELP;
                break;
            default:
                name = n.windowFlows;
                help = ViewMetricNames.WINDOW_FLOWS_HELP;
                break;
        }
        final String suffix = counter ? "_total" : "";
        sb.append("# HELP ").append(name).append(suffix).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(suffix).append(counter ? " counter\n" : " gauge\n");
    }

    /** @return {@code ,name="value"...} for the custom labels of a label set (each with a leading comma). */
    private static String customBlock(final FlowLabelSet set)
    {
        final StringBuilder sb = new StringBuilder();
        final int own = set.names.size() - set.customValues.size();
        for (int i = 0; i < set.customValues.size(); i++)
        {
            sb.append(',').append(set.names.get(own + i)).append("=\"");
            ExpositionText.appendEscaped(sb, set.customValues.get(i), true);
            sb.append('"');
        }
        return sb.toString();
    }

    /**
     * One consistent read of every exported series of a view: counters and window totals
     * ({@code flows, bytes, packets, then bytes, packets, flows per window}) and the rendered
     * dimension label block, so each series is read and rendered once however many families use it.
     */
    private static final class Snapshot
    {
        final int stride;
        final StringBuilder labels;
        long[] values;
        int[] labelEnd;
        int count;

        private Snapshot(final int expected, final int windows)
        {
            this.stride = 3 + 3 * windows;
            this.values = new long[expected * stride];
            this.labelEnd = new int[expected];
            this.labels = new StringBuilder(expected * 64);
        }

        static Snapshot of(final AggregationView view, final long nowNs)
        {
            final AggregationView.Cursor cursor = view.newCursor().at(nowNs);
            final int windows = view.windows().count();
            if (view.topK() > 0)
            {
                final int[] top = cursor.topSeries(view.topK()).clone();
                final Snapshot snapshot = new Snapshot(top.length + 2, windows);
                for (final int id : top)
                {
                    if (cursor.read(id))
                    {
                        snapshot.add(view, cursor);
                    }
                }
                if (cursor.readOther())
                {
                    snapshot.add(view, cursor);
                }
                return snapshot.withOverflow(view, cursor);
            }
            final Snapshot snapshot = new Snapshot(view.seriesCount() + 16, windows);
            final int limit = cursor.limit();
            for (int id = 0; id < limit; id++)
            {
                if (cursor.read(id))
                {
                    snapshot.add(view, cursor);
                }
            }
            return snapshot.withOverflow(view, cursor);
        }

        /** Forgets every series (the arrays stay). */
        void clear()
        {
            count = 0;
            labels.setLength(0);
        }

        int labelStart(final int i)
        {
            return i == 0 ? 0 : labelEnd[i - 1];
        }

        private Snapshot withOverflow(final AggregationView view, final AggregationView.Cursor cursor)
        {
            if (cursor.readOverflow())
            {
                add(view, cursor);
            }
            return this;
        }

        void add(final AggregationView view, final AggregationView.Cursor cursor)
        {
            if (count == labelEnd.length)
            {
                labelEnd = Arrays.copyOf(labelEnd, count * 2);
                values = Arrays.copyOf(values, count * 2 * stride);
            }
            final int base = count * stride;
            values[base] = cursor.flows();
            values[base + 1] = cursor.bytes();
            values[base + 2] = cursor.packets();
            for (int w = 0; w < (stride - 3) / 3; w++)
            {
                values[base + 3 + 3 * w] = cursor.windowBytes(w);
                values[base + 4 + 3 * w] = cursor.windowPackets(w);
                values[base + 5 + 3 * w] = cursor.windowFlows(w);
            }
            for (int d = 0; d < view.keys().dimensionCount(); d++)
            {
                if (d > 0)
                {
                    labels.append(',');
                }
                labels.append(view.keys().dimension(d).labelName()).append("=\"");
                cursor.appendLabelValue(labels, d).append('"');
            }
            labelEnd[count++] = labels.length();
        }
    }

    /** Text staged in a StringBuilder and handed to the writer in chunks through one char array. */
    private static final class Chunk
    {
        final StringBuilder sb = new StringBuilder(CHUNK_CHARS + 4096);
        final char[] chars = new char[CHUNK_CHARS + 4096];
        final Writer out;
        private Snapshot series;

        Chunk(final Writer out)
        {
            this.out = out;
        }

        /** @return the one-series scratch snapshot of this scrape, for views with {@code windows} windows. */
        Snapshot series(final int windows)
        {
            if (series == null || series.stride != 3 + 3 * windows)
            {
                series = new Snapshot(1, windows);
            }
            return series;
        }

        void maybeFlush() throws IOException
        {
            if (sb.length() >= CHUNK_CHARS)
            {
                flush();
            }
        }

        void flush() throws IOException
        {
            int from = 0;
            while (from < sb.length())
            {
                final int length = Math.min(chars.length, sb.length() - from);
                sb.getChars(from, from + length, chars, 0);
                out.write(chars, 0, length);
                from += length;
            }
            sb.setLength(0);
        }
    }
}
