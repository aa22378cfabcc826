package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.aggregate.AggregationView;
import io.goflow.exporter.aggregate.SlidingWindows;
import io.goflow.exporter.config.MetricsSettings;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Streams the views' flow series straight from the tables in the Prometheus text format 0.0.4,
 * without building simpleclient {@code Sample} objects: the same families, names, label sets and
 * values as {@link FlowMetricsCollector} (counters are written as exact integers). Per series the
 * label block is rendered once and reused for its lines, and text goes out through one reused
 * 64 KiB buffer, so the garbage per scrape is a few small objects whatever the series count.
 *
 * <p>Use it from an HTTP handler that writes the registry (holding
 * {@code new FlowMetricsCollector(engine, metrics, false)} for the table and interface metrics)
 * and then calls {@link #write}. Each family is one pass over the view's table (seven per view),
 * so a family's series stay together as the format requires; values of different families are
 * read at slightly different instants, as with any scrape.
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

    private final AggregationEngine engine;
    private final ViewMetricNames[] names;
    private final String[] windowLabelValues;
    private final String[] customBlocks;
    private final String[] windowCustomBlocks;

    public FlowSeriesTextWriter(final AggregationEngine engine, final MetricsSettings metrics)
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
        final SlidingWindows windows = engine.windows();
        this.windowLabelValues = new String[windows.count()];
        for (int w = 0; w < windowLabelValues.length; w++)
        {
            windowLabelValues[w] = FlowMetricsCollector.durationText(windows.windowNs(w));
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
        final ViewMetricNames n = names[v];
        final AggregationView.Cursor cursor = view.newCursor().at(nowNs);
        final int[] top = view.topK() > 0 ? cursor.topSeries(view.topK()).clone() : null;
        final StringBuilder labels = new StringBuilder(256);
        for (int family = 0; family < FAMILIES; family++)
        {
            header(chunk.sb, family, n, view);
            final int count = top != null ? top.length : cursor.limit();
            for (int i = 0; i <= count; i++)
            {
                final boolean live = i < count ? cursor.read(top != null ? top[i] : i) : cursor.readOverflow();
                if (live)
                {
                    labels.setLength(0);
                    for (int d = 0; d < view.keys().dimensionCount(); d++)
                    {
                        labels.append(d == 0 ? "" : ",").append(view.keys().dimension(d).labelName()).append("=\"");
                        cursor.appendLabelValue(labels, d).append('"');
                    }
                    line(chunk, family, v, view, cursor, labels);
                }
                chunk.maybeFlush();
            }
        }
    }

    private void line(
        final Chunk chunk, final int family, final int v, final AggregationView view,
        final AggregationView.Cursor cursor, final StringBuilder labels)
    {
        final StringBuilder sb = chunk.sb;
        final ViewMetricNames n = names[v];
        final String customBlock = customBlocks[v];
        switch (family)
        {
            case FLOWS:
                sample(sb, n.flows, "_total", labels, customBlock).append(cursor.flows()).append('\n');
                break;
            case BYTES:
                sample(sb, n.bytes, "_total", labels, customBlock).append(cursor.bytes()).append('\n');
                break;
            case PACKETS:
                sample(sb, n.packets, "_total", labels, customBlock).append(cursor.packets()).append('\n');
                break;
            case BANDWIDTH:
            {
                final int bw = view.bandwidthWindow();
                sample(sb, n.bandwidth, "", labels, customBlock)
                    .append(8.0 * cursor.windowBytes(bw) * 1_000_000_000L / view.windows().windowNs(bw)).append('\n');
                break;
            }
            default:
                for (int w = 0; w < windowLabelValues.length; w++)
                {
                    final double seconds = view.windows().windowNs(w) / NS_PER_SECOND;
                    final long total = family == WINDOW_BYTES ? cursor.windowBytes(w) :
                        family == WINDOW_PACKETS ? cursor.windowPackets(w) : cursor.windowFlows(w);
                    final String name = family == WINDOW_BYTES ? n.windowBytes :
                        family == WINDOW_PACKETS ? n.windowPackets : n.windowFlows;
                    sb.append(name).append('{').append(labels);
                    if (labels.length() > 0)
                    {
                        sb.append(',');
                    }
                    sb.append("window=\"").append(windowLabelValues[w]).append('"').append(windowCustomBlocks[v])
                        .append("} ").append(total / seconds).append('\n');
                }
                break;
        }
    }

    private static StringBuilder sample(
        final StringBuilder sb, final String name, final String suffix, final StringBuilder labels, final String custom)
    {
        sb.append(name).append(suffix);
        if (labels.length() == 0 && custom.isEmpty())
        {
            return sb.append(' ');
        }
        sb.append('{').append(labels);
        if (labels.length() == 0)
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
            escape(sb, set.customValues.get(i));
            sb.append('"');
        }
        return sb.toString();
    }

    private static void escape(final StringBuilder sb, final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\':
                    sb.append("\\\\");
                    break;
                case '"':
                    sb.append("\\\"");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                default:
                    sb.append(c);
            }
        }
    }

    /** Text staged in a StringBuilder and handed to the writer in chunks through one char array. */
    private static final class Chunk
    {
        final StringBuilder sb = new StringBuilder(CHUNK_CHARS + 4096);
        final char[] chars = new char[CHUNK_CHARS + 4096];
        final Writer out;

        Chunk(final Writer out)
        {
            this.out = out;
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
