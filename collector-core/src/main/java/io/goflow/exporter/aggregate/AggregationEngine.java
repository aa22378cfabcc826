package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.config.ViewSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.enrich.network.LabelStrings;
import io.goflow.exporter.enrich.network.NetworkTable;
import io.goflow.exporter.enrich.network.Networks;
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
 * go into the {@link InterfaceCounterTable}; package {@code expose} exposes it all to Prometheus.
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
 * <h2>Networks and interface names</h2>
 * When a view groups by {@code src_net}, {@code dst_net} or a network attribute, each flow record's
 * addresses are looked up once, in the {@link NetworkTable} in force when the record arrives
 * ({@link Networks}, reloaded from {@code aggregation.networks_file} by its own thread), and every
 * view packs from that one lookup. Interface names and speeds ({@link InterfaceInfoTable}) come from
 * {@code aggregation.interfaces}, options records with IE 82/83 and sFlow counter samples; names are
 * looked up once per record when a view groups by {@code in_if_name}/{@code out_if_name}.
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
public final class AggregationEngine implements FlowAggregator, AggregationReader, AutoCloseable
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
    private final InterfaceInfoTable interfaceInfo;
    private final LabelStrings strings = new LabelStrings();
    private final Networks networks;
    private final boolean resolveInterfaceNames;
    private final RecordLabels labels = new RecordLabels();
    private final boolean[] viewFull;
    private final SlidingWindows windows;
    private final EpochNanoClock clock;
    private final AtomicLong writerNowNs = new AtomicLong(Long.MIN_VALUE);
    private long lastEvictionNs;
    private final MetricsSettings metrics;

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
        final List<Long> windowsNs = windowsNs(aggregation);
        this.windows = new SlidingWindows(windowsNs);
        final int bandwidthWindow = windowsNs.indexOf(aggregation.bandwidthWindowNs());

        final List<ViewSettings> extra = aggregation.views() == null ? List.of() : aggregation.views();
        final List<List<Dimension>> effective = new ArrayList<>();
        effective.add(SeriesKeyDescriptor.effectiveDimensions(aggregation.dimensions(), metrics.enabledLabels()));
        for (final ViewSettings view : extra)
        {
            effective.add(SeriesKeyDescriptor.effectiveDimensions(view.dimensions(), metrics.enabledLabels()));
        }
        final List<String> attributes = new ArrayList<>();
        boolean needsNetworks = false;
        boolean needsNames = false;
        for (final List<Dimension> dims : effective)
        {
            for (final Dimension d : dims)
            {
                needsNetworks |= d.isNetwork();
                needsNames |= d.kind() == Dimension.Kind.IN_IF_NAME || d.kind() == Dimension.Kind.OUT_IF_NAME;
                if (d.attribute() != null && !attributes.contains(d.attribute()))
                {
                    attributes.add(d.attribute());
                }
            }
        }
        this.networks = needsNetworks ? new Networks(aggregation, attributes, strings) : null;
        this.resolveInterfaceNames = needsNames;
        this.views = new AggregationView[1 + extra.size()];
        views[0] = new AggregationView(
            MAIN_VIEW_NAME, "",
            new SeriesKeyDescriptor(effective.get(0), strings, aggregation.prefixLengths(), attributes),
            windows, bandwidthWindow, aggregation.maxSeries(), aggregation.topK(),
            aggregation.seriesTtlNs(), aggregation.spreadLongFlows());
        for (int i = 0; i < extra.size(); i++)
        {
            final ViewSettings view = extra.get(i);
            views[i + 1] = new AggregationView(
                view.name(), view.name() + "_",
                new SeriesKeyDescriptor(effective.get(i + 1), strings, aggregation.prefixLengths(), attributes),
                windows, bandwidthWindow, view.maxSeries() > 0 ? view.maxSeries() : aggregation.maxSeries(),
                view.topK(), aggregation.seriesTtlNs(), aggregation.spreadLongFlows());
        }
        this.viewList = Collections.unmodifiableList(Arrays.asList(views));
        this.viewFull = new boolean[views.length];
        this.interfaces = new InterfaceCounterTable(InterfaceCounterTable.CAPACITY_DEFAULT, aggregation.seriesTtlNs());
        this.interfaceInfo = new InterfaceInfoTable(InterfaceInfoTable.CAPACITY_DEFAULT, aggregation.interfaces(), strings);

        for (final AggregationView view : views)
        {
            LOGGER.info("aggregation view {}: dimensions {}, {} series max, {} bytes per series, {} MiB",
                view.name(), dimensionNames(view), view.capacity(),
                view.memoryBytes() / Math.max(1, view.capacity() + 1), view.memoryBytes() >> 20);
        }
        LOGGER.info("aggregation memory: {} bytes in {} views plus {} bytes for {} interfaces",
            viewMemoryBytes(), views.length, interfaces.memoryBytes(), InterfaceCounterTable.CAPACITY_DEFAULT);
        this.metrics = metrics;
    }

    /** @return the configured windows, plus the bandwidth window when it is not one of them. */
    private static List<Long> windowsNs(final AggregationSettings aggregation)
    {
        final List<Long> windowsNs = new ArrayList<>(aggregation.timeWindowsNs());
        if (!windowsNs.contains(aggregation.bandwidthWindowNs()))
        {
            windowsNs.add(aggregation.bandwidthWindowNs());
        }
        return windowsNs;
    }

    /**
     * @return the off-heap bytes an engine of these settings allocates at construction (every
     * view's table and the interface counters), computed without allocating them, so that start-up
     * can refuse a configuration that does not fit the direct memory limit.
     */
    public static long offHeapBytes(final AggregationSettings aggregation, final MetricsSettings metrics)
    {
        final SlidingWindows windows = new SlidingWindows(windowsNs(aggregation));
        long bytes = AggregationView.offHeapBytes(aggregation.maxSeries(), new SeriesKeyDescriptor(
            SeriesKeyDescriptor.effectiveDimensions(aggregation.dimensions(), metrics.enabledLabels())).keyLength(),
            windows);
        for (final ViewSettings view : aggregation.views() == null ? List.<ViewSettings>of() : aggregation.views())
        {
            bytes += AggregationView.offHeapBytes(view.maxSeries() > 0 ? view.maxSeries() : aggregation.maxSeries(),
                new SeriesKeyDescriptor(SeriesKeyDescriptor.effectiveDimensions(
                view.dimensions(), metrics.enabledLabels())).keyLength(), windows);
        }
        return bytes + InterfaceCounterTable.offHeapBytes(InterfaceCounterTable.CAPACITY_DEFAULT);
    }

    @Override
    public void onFlowRecord(final FlowRecord record, final long nowNs)
    {
        if (record.kind == FlowRecord.Kind.FLOW)
        {
            resolve(record);
            for (final AggregationView view : views)
            {
                view.onFlowRecord(record, labels, nowNs);
            }
        }
        else
        {
            onInterfaceCounters(record, nowNs);
        }
    }

    /** Looks up, once for every view, the record's networks and interface names. */
    private void resolve(final FlowRecord record)
    {
        if (networks != null)
        {
            final NetworkTable table = networks.current();
            labels.table = table;
            labels.srcEntry = record.srcAddrPresent ? table.lookup(record.srcAddrHi, record.srcAddrLo) : -1;
            labels.dstEntry = record.dstAddrPresent ? table.lookup(record.dstAddrHi, record.dstAddrLo) : -1;
        }
        if (resolveInterfaceNames)
        {
            labels.inIfNameId = interfaceInfo.nameId(record.samplerAddrHi, record.samplerAddrLo, record.inIf);
            labels.outIfNameId = interfaceInfo.nameId(record.samplerAddrHi, record.samplerAddrLo, record.outIf);
        }
    }

    /**
     * Records an sFlow counter sample (counters and ifSpeed) or an options record (interface
     * names); other records are ignored.
     */
    @Override
    public void onInterfaceCounters(final FlowRecord record, final long nowNs)
    {
        if (record.kind == FlowRecord.Kind.INTERFACE_COUNTERS)
        {
            interfaces.onInterfaceCounters(record, nowNs);
        }
        interfaceInfo.learn(record);
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
            for (int i = 0; i < views.length; i++)
            {
                views[i].evictIdle(nowNs);
                final boolean full = views[i].atCapacity();
                if (full != viewFull[i])
                {
                    viewFull[i] = full;
                    if (full)
                    {
                        LOGGER.warn("aggregation view {} is at capacity ({} series): records of new keys now count " +
                            "into its __overflow__ series; raise max_series, drop a dimension or use top_k",
                            views[i].name(), views[i].capacity());
                    }
                }
            }
            interfaces.evictIdle(nowNs);
        }
    }

    /**
     * @return the {@code metrics} settings the views were built for; the exposition
     * ({@code expose.FlowSeriesTextWriter}, {@code expose.AggregationStateCollector}) names and labels
     * the series by them.
     */
    @Override
    public MetricsSettings metricsSettings()
    {
        return metrics;
    }

    /** @return the main view followed by {@code aggregation.views}, in order. */
    @Override
    public List<AggregationView> views()
    {
        return viewList;
    }

    @Override
    public InterfaceCounterTable interfaces()
    {
        return interfaces;
    }

    /** @return names and speeds of interfaces, configured and learned. */
    @Override
    public InterfaceInfoTable interfaceInfo()
    {
        return interfaceInfo;
    }

    /** @return the networks behind {@code src_net}/{@code dst_net}, or null when no view uses them. */
    @Override
    public Networks networks()
    {
        return networks;
    }

    /** @return the interned label strings of names, attribute values and interface names. */
    @Override
    public LabelStrings labelStrings()
    {
        return strings;
    }

    /** Starts the networks file watcher, if there is a networks file; call once the pipeline runs. */
    public void start()
    {
        if (networks != null)
        {
            networks.start();
        }
    }

    /** Stops the networks file watcher. */
    @Override
    public void close()
    {
        if (networks != null)
        {
            networks.close();
        }
    }

    @Override
    public SlidingWindows windows()
    {
        return windows;
    }

    /** @return the time scrapes evaluate windows and TTLs at: {@code max(clock, writer's last nowNs)}. */
    @Override
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
