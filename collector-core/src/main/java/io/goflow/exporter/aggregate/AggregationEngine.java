package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.config.ViewSettings;
import io.goflow.exporter.decoders.FlowRecord;
import io.goflow.exporter.expose.FlowMetricsCollector;
import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.prometheus.client.Collector;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The aggregation stage: every flow record goes into every view; sFlow interface counter samples
 * go into the {@link InterfaceCounterTable}; {@link #collector()} exposes it all to Prometheus.
 *
 * <h2>Views</h2>
 * The main view groups by {@code aggregation.dimensions} and carries the spec's metric names
 * ({@code flow_flows_total}, {@code flow_bytes_total}, {@code flow_bandwidth_bps}, ...). Each entry
 * of {@code aggregation.views} is a further view with its own dimensions, {@code max_series} (0 =
 * the main view's) and {@code top_k}, exported as {@code <namespace>_<view>_flows_total} and so
 * on, so that no metric name ever holds the same record twice.
 *
 * <h2>Dimensions and {@code metrics.enabled_labels}</h2>
 * A view's effective dimensions are its configured dimensions minus those whose label group
 * ({@code ports}: src/dst_port, {@code interfaces}: in/out_if, {@code geo}: src/dst_country,
 * {@code asn}: src/dst_asn) is not in {@code metrics.enabled_labels}. A dimension switched off that
 * way is aggregated away: it is neither packed into the key nor exported, so records that differ
 * only in it share a series. {@code exporter}, the addresses and {@code protocol} belong to no group
 * and stay whenever configured. Enabling a group never adds a dimension that is not configured.
 *
 * <h2>Time</h2>
 * Records count at the {@code nowNs} the pipeline passes (receive time), or, with
 * {@code aggregation.spread_long_flows}, spread over their duration (see {@link SlidingWindows}).
 * Scrapes evaluate windows at {@code max(clock, last nowNs seen at onEndOfBatch)}, so windows decay
 * and idle series disappear after their TTL even when no traffic arrives.
 *
 * <h2>Threads</h2>
 * One writer, the aggregation thread, calls the {@link FlowAggregator} methods; it never locks or
 * waits. Scrape threads read through per-record sequence locks ({@link SeriesTable}): every record
 * is visible to a scrape as soon as its {@code onFlowRecord} returns, and a scrape never sees a torn
 * or half-updated series. {@link #onEndOfBatch} publishes the writer's time and, at most every
 * {@link #EVICTION_INTERVAL_NS}, runs a bounded slice of TTL eviction.
 */
public final class AggregationEngine implements FlowAggregator
{
    /** The {@code view} label value of the main view's table metrics. */
    public static final String MAIN_VIEW_NAME = "main";

    /**
     * Least time between two TTL eviction slices: each slice examines up to
     * {@link AggregationView#EVICTION_BUDGET} records per table (a cache miss each), so at most
     * about 40k records per second and table are examined whatever the batch rate; a 100k table is
     * swept every 2.5 s. Scrapes hide expired series immediately; eviction only frees their slots.
     */
    public static final long EVICTION_INTERVAL_NS = 100_000_000L;

    private static final Logger LOGGER = LogManager.getLogger(AggregationEngine.class);

    private final AggregationView[] views;
    private final List<AggregationView> viewList;
    private final InterfaceCounterTable interfaces;
    private final SlidingWindows windows;
    private final EpochNanoClock clock;
    private final AtomicLong writerNowNs = new AtomicLong(Long.MIN_VALUE);
    private long lastEvictionNs;
    private final MetricsSettings metrics;
    private final FlowMetricsCollector collector;

    public AggregationEngine(final Settings settings)
    {
        this(settings.aggregation(), settings.metrics(), new SystemEpochNanoClock());
    }

    /**
     * @param clock epoch-ns clock of the scrape side; should be the clock the pipeline's
     *              {@code nowNs} values come from.
     */
    public AggregationEngine(
        final AggregationSettings aggregation, final MetricsSettings metrics, final EpochNanoClock clock)
    {
        this.clock = clock;
        final List<Long> windowsNs = new ArrayList<>(aggregation.timeWindowsNs());
        if (!windowsNs.contains(aggregation.bandwidthWindowNs()))
        {
            windowsNs.add(aggregation.bandwidthWindowNs());
        }
        this.windows = new SlidingWindows(windowsNs);
        final int bandwidthWindow = windowsNs.indexOf(aggregation.bandwidthWindowNs());

        final List<ViewSettings> extra = aggregation.views() == null ? List.of() : aggregation.views();
        this.views = new AggregationView[1 + extra.size()];
        views[0] = new AggregationView(
            MAIN_VIEW_NAME, "",
            SeriesKeyDescriptor.effectiveDimensions(aggregation.dimensions(), metrics.enabledLabels()),
            windows, bandwidthWindow, aggregation.maxSeries(), aggregation.topK(),
            aggregation.seriesTtlNs(), aggregation.spreadLongFlows());
        for (int i = 0; i < extra.size(); i++)
        {
            final ViewSettings view = extra.get(i);
            views[i + 1] = new AggregationView(
                view.name(), view.name() + "_",
                SeriesKeyDescriptor.effectiveDimensions(view.dimensions(), metrics.enabledLabels()),
                windows, bandwidthWindow, view.maxSeries() > 0 ? view.maxSeries() : aggregation.maxSeries(),
                view.topK(), aggregation.seriesTtlNs(), aggregation.spreadLongFlows());
        }
        this.viewList = Collections.unmodifiableList(Arrays.asList(views));
        this.interfaces = new InterfaceCounterTable(InterfaceCounterTable.CAPACITY_DEFAULT, aggregation.seriesTtlNs());

        for (final AggregationView view : views)
        {
            LOGGER.info("aggregation view {}: dimensions {}, {} series max, {} bytes per series, {} MiB",
                view.name(), dimensionNames(view), view.capacity(),
                view.memoryBytes() / Math.max(1, view.capacity() + 1), view.memoryBytes() >> 20);
        }
        LOGGER.info("aggregation memory: {} bytes in {} views plus {} bytes for {} interfaces",
            viewMemoryBytes(), views.length, interfaces.memoryBytes(), InterfaceCounterTable.CAPACITY_DEFAULT);
        this.metrics = metrics;
        this.collector = new FlowMetricsCollector(this, metrics);
    }

    @Override
    public void onFlowRecord(final FlowRecord record, final long nowNs)
    {
        if (record.kind == FlowRecord.Kind.FLOW)
        {
            for (final AggregationView view : views)
            {
                view.onFlowRecord(record, nowNs);
            }
        }
        else if (record.kind == FlowRecord.Kind.INTERFACE_COUNTERS)
        {
            interfaces.onInterfaceCounters(record, nowNs);
        }
    }

    @Override
    public void onInterfaceCounters(final FlowRecord record, final long nowNs)
    {
        interfaces.onInterfaceCounters(record, nowNs);
    }

    @Override
    public void onEndOfBatch(final long nowNs)
    {
        if (nowNs > writerNowNs.get())
        {
            writerNowNs.lazySet(nowNs);
        }
        if (nowNs - lastEvictionNs >= EVICTION_INTERVAL_NS)
        {
            lastEvictionNs = nowNs;
            for (final AggregationView view : views)
            {
                view.evictIdle(nowNs);
            }
            interfaces.evictIdle(nowNs);
        }
    }

    /** @return the collector exposing every view and the interface counters; register it once. */
    public Collector collector()
    {
        return collector;
    }

    /**
     * @return for an HTTP handler that streams the flow series itself: a collector of only the
     * table and interface metrics, to register instead of {@link #collector()}.
     */
    public Collector tableCollector()
    {
        return new FlowMetricsCollector(this, metrics, false);
    }

    /** @return the streaming text path for the flow series (see {@link FlowSeriesTextWriter}). */
    public FlowSeriesTextWriter flowSeriesTextWriter()
    {
        return new FlowSeriesTextWriter(this, metrics);
    }

    /** @return the main view followed by {@code aggregation.views}, in order. */
    public List<AggregationView> views()
    {
        return viewList;
    }

    public InterfaceCounterTable interfaces()
    {
        return interfaces;
    }

    public SlidingWindows windows()
    {
        return windows;
    }

    /** @return the time scrapes evaluate windows and TTLs at: {@code max(clock, writer's last nowNs)}. */
    public long readerNowNs()
    {
        return Math.max(clock.nanoTime(), writerNowNs.get());
    }

    /** @return bytes held by all view tables, fixed at construction. */
    public long viewMemoryBytes()
    {
        long total = 0;
        for (final AggregationView view : views)
        {
            total += view.memoryBytes();
        }
        return total;
    }

    private static List<String> dimensionNames(final AggregationView view)
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < view.keys().dimensionCount(); i++)
        {
            names.add(view.keys().dimension(i).labelName());
        }
        return names;
    }
}
