package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationReader;
import io.goflow.exporter.aggregate.AggregationView;
import io.goflow.exporter.aggregate.InterfaceCounterTable;
import io.goflow.exporter.aggregate.InterfaceInfoTable;
import io.goflow.exporter.aggregate.SlidingWindows;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.enrich.network.LabelStrings;
import io.goflow.exporter.enrich.network.Networks;
import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prometheus collector reading the {@link AggregationReader}'s tables at scrape time. Every name
 * goes through {@link MetricsSettings#metricName} ({@code namespace_subsystem_...}) and every series
 * carries {@code metrics.custom_labels} after its own labels (a custom label whose name equals one
 * of the series' own labels is left out of that series).
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
 * All carry the view's dimension labels in configuration order; the three counters carry exactly
 * the same label sets. {@code window} is the window's duration as configured ({@code 1m}, {@code 5m},
 * {@code 15m}, {@code 1h}, otherwise the largest unit that divides it: {@code 90s}, {@code 1500ms}).
 * The overflow series has every dimension label equal to {@code __overflow__}. With {@code top_k},
 * only the K series with most bytes in the bandwidth window are exported, plus the overflow series
 * and one {@code __other__} series summing all the rest, so sums over a top-K view stay exact.
 *
 * <h2>Tables and interfaces</h2>
 * <pre>
 * aggregation_series{view}                    gauge    live series (without the overflow series)
 * aggregation_memory_bytes{view}              gauge    memory of the view's table, fixed at start
 * aggregation_overflow_records_total{view}    counter  records counted into the overflow series
 * aggregation_evicted_series_total{view}      counter  series removed after their TTL
 * aggregation_interface_dropped_samples_total counter  counter samples dropped, interface table full
 * interface_{in,out}_{octets,packets,errors,discards}_total{exporter,if_index}  counter, as reported
 * interface_speed_bps{exporter,if_index,if_name} gauge speed: configured, else sFlow ifSpeed
 * aggregation_at_capacity{view}               gauge    1 while the view's table is full
 * aggregation_networks, aggregation_networks_reloads_total, aggregation_networks_reload_errors_total
 *                                             the networks list (only when a view uses networks)
 * aggregation_label_strings, aggregation_label_strings_refused_total,
 * aggregation_interface_info_dropped_updates_total   the bounds of names and interfaces
 * </pre>
 * Label values: addresses in canonical text (dotted quad, RFC 5952), protocol as the decimal IP
 * protocol number ({@code 6}, {@code 17}, {@code 58}), ports, interface indexes and ASNs in
 * decimal, countries as ISO alpha-2 upper case; an unknown value is the empty string.
 *
 * <p>Thread-safe: each {@link #collect()} uses its own cursors and never blocks the writer.
 */
public final class FlowMetricsCollector extends Collector
{
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final AggregationReader engine;
    private final MetricsSettings metrics;
    private final ViewMetricNames[] viewNames;
    private final FlowLabelSet viewLabels;
    private final FlowLabelSet interfaceLabels;
    private final FlowLabelSet speedLabels;
    private final FlowLabelSet noLabels;
    private final String[] windowLabelValues;
    private final boolean includeFlowSeries;

    /** @return a collector of every metric of {@code engine}: flow series, table and interface metrics. */
    public static FlowMetricsCollector of(final AggregationReader engine)
    {
        return new FlowMetricsCollector(engine, engine.metricsSettings(), true);
    }

    /**
     * @return for an HTTP handler that streams the flow series itself ({@link FlowSeriesTextWriter}):
     * a collector of only the table and interface metrics of {@code engine}.
     */
    public static FlowMetricsCollector tables(final AggregationReader engine)
    {
        return new FlowMetricsCollector(engine, engine.metricsSettings(), false);
    }

    /** A collector of every metric: flow series, table and interface metrics. */
    public FlowMetricsCollector(final AggregationReader engine, final MetricsSettings metrics)
    {
        this(engine, metrics, true);
    }

    /**
     * @param includeFlowSeries false to leave the views' flow series out, for an HTTP handler that
     *                          streams them with {@link FlowSeriesTextWriter} instead.
     */
    public FlowMetricsCollector(
        final AggregationReader engine, final MetricsSettings metrics, final boolean includeFlowSeries)
    {
        this.engine = engine;
        this.includeFlowSeries = includeFlowSeries;
        this.metrics = metrics;
        final List<AggregationView> views = engine.views();
        this.viewNames = new ViewMetricNames[views.size()];
        for (int i = 0; i < viewNames.length; i++)
        {
            viewNames[i] = new ViewMetricNames(views.get(i), metrics);
        }
        final SlidingWindows windows = engine.windows();
        this.windowLabelValues = new String[windows.count()];
        for (int w = 0; w < windowLabelValues.length; w++)
        {
            windowLabelValues[w] = durationText(windows.windowNs(w));
        }
        this.viewLabels = new FlowLabelSet(List.of("view"), metrics.customLabels());
        this.interfaceLabels = new FlowLabelSet(List.of("exporter", "if_index"), metrics.customLabels());
        this.speedLabels = new FlowLabelSet(List.of("exporter", "if_index", "if_name"), metrics.customLabels());
        this.noLabels = new FlowLabelSet(List.of(), metrics.customLabels());
    }

    /** @return the duration as {@code Nh}, {@code Nm}, {@code Ns}, {@code Nms} or {@code Nns}, largest unit first. */
    public static String durationText(final long ns)
    {
        final long[] units = {3600 * NS_PER_SECOND, 60 * NS_PER_SECOND, NS_PER_SECOND, 1_000_000L, 1L};
        final String[] suffixes = {"h", "m", "s", "ms", "ns"};
        for (int i = 0; i < units.length; i++)
        {
            if (ns % units[i] == 0)
            {
                return (ns / units[i]) + suffixes[i];
            }
        }
        return ns + "ns";
    }

    @Override
    public List<MetricFamilySamples> collect()
    {
        final long nowNs = engine.readerNowNs();
        final List<MetricFamilySamples> families = new ArrayList<>();
        final List<AggregationView> views = engine.views();
        for (int i = 0; includeFlowSeries && i < viewNames.length; i++)
        {
            collectView(views.get(i), viewNames[i], nowNs, families);
        }
        collectTables(views, families);
        collectInterfaces(nowNs, families);
        return families;
    }

    private void collectView(
        final AggregationView view, final ViewMetricNames names, final long nowNs, final List<MetricFamilySamples> families)
    {
        final int windowCount = windowLabelValues.length;
        final int expected = Math.min(view.seriesCount() + 1, view.topK() > 0 ? view.topK() + 1 : Integer.MAX_VALUE);
        final List<MetricFamilySamples.Sample> flows = new ArrayList<>(expected);
        final List<MetricFamilySamples.Sample> bytes = new ArrayList<>(expected);
        final List<MetricFamilySamples.Sample> packets = new ArrayList<>(expected);
        final List<MetricFamilySamples.Sample> bandwidth = new ArrayList<>(expected);
        final List<MetricFamilySamples.Sample> windowBytes = new ArrayList<>(expected * windowCount);
        final List<MetricFamilySamples.Sample> windowPackets = new ArrayList<>(expected * windowCount);
        final List<MetricFamilySamples.Sample> windowFlows = new ArrayList<>(expected * windowCount);
        final SeriesSink sink = new SeriesSink(view, names, flows, bytes, packets, bandwidth,
            windowBytes, windowPackets, windowFlows);

        final AggregationView.Cursor cursor = view.newCursor().at(nowNs);
        if (view.topK() > 0)
        {
            for (final int id : cursor.topSeries(view.topK()))
            {
                if (cursor.read(id))
                {
                    sink.add(cursor);
                }
            }
            if (cursor.readOther())
            {
                sink.add(cursor);
            }
        }
        else
        {
            final int limit = cursor.limit();
            for (int id = 0; id < limit; id++)
            {
                if (cursor.read(id))
                {
                    sink.add(cursor);
                }
            }
        }
        if (cursor.readOverflow())
        {
            sink.add(cursor);
        }

        families.add(new MetricFamilySamples(names.flows, Type.COUNTER,
            ViewMetricNames.FLOWS_HELP, flows));
        families.add(new MetricFamilySamples(names.bytes, Type.COUNTER,
            ViewMetricNames.BYTES_HELP, bytes));
        families.add(new MetricFamilySamples(names.packets, Type.COUNTER,
            ViewMetricNames.PACKETS_HELP, packets));
        families.add(new MetricFamilySamples(names.bandwidth, Type.GAUGE,
            String.format(ViewMetricNames.BANDWIDTH_HELP, windowLabelValues[view.bandwidthWindow()]), bandwidth));
        if (!metrics.windowRates())
        {
            return;
        }
        families.add(new MetricFamilySamples(names.windowBytes, Type.GAUGE,
            ViewMetricNames.WINDOW_BYTES_HELP, windowBytes));
        families.add(new MetricFamilySamples(names.windowPackets, Type.GAUGE,
            ViewMetricNames.WINDOW_PACKETS_HELP, windowPackets));
        families.add(new MetricFamilySamples(names.windowFlows, Type.GAUGE,
            ViewMetricNames.WINDOW_FLOWS_HELP, windowFlows));
    }

    private void collectTables(final List<AggregationView> views, final List<MetricFamilySamples> families)
    {
        final List<MetricFamilySamples.Sample> series = new ArrayList<>(views.size());
        final List<MetricFamilySamples.Sample> memory = new ArrayList<>(views.size());
        final List<MetricFamilySamples.Sample> overflow = new ArrayList<>(views.size());
        final List<MetricFamilySamples.Sample> evicted = new ArrayList<>(views.size());
        final String seriesName = metrics.metricName("aggregation_series");
        final String memoryName = metrics.metricName("aggregation_memory_bytes");
        final String overflowName = metrics.metricName("aggregation_overflow_records");
        final String evictedName = metrics.metricName("aggregation_evicted_series");
        for (final AggregationView view : views)
        {
            final List<String> values = viewLabels.values(view.name());
            series.add(new MetricFamilySamples.Sample(seriesName, viewLabels.names, values, view.seriesCount()));
            memory.add(new MetricFamilySamples.Sample(memoryName, viewLabels.names, values, view.memoryBytes()));
            overflow.add(new MetricFamilySamples.Sample(
                overflowName + "_total", viewLabels.names, values, view.overflowRecords()));
            evicted.add(new MetricFamilySamples.Sample(
                evictedName + "_total", viewLabels.names, values, view.evictedSeries()));
        }
        families.add(new MetricFamilySamples(seriesName, Type.GAUGE,
            "Live series in the view's table (the overflow series not included).", series));
        families.add(new MetricFamilySamples(memoryName, Type.GAUGE,
            "Memory held by the view's table, fixed at start.", memory));
        families.add(new MetricFamilySamples(overflowName, Type.COUNTER,
            "Records counted into the view's overflow series because its table was full.", overflow));
        families.add(new MetricFamilySamples(evictedName, Type.COUNTER,
            "Series removed from the view after being idle longer than the series TTL.", evicted));

        final List<MetricFamilySamples.Sample> full = new ArrayList<>(views.size());
        final String fullName = metrics.metricName("aggregation_at_capacity");
        for (final AggregationView view : views)
        {
            full.add(new MetricFamilySamples.Sample(fullName, viewLabels.names, viewLabels.values(view.name()),
                view.atCapacity() ? 1 : 0));
        }
        families.add(new MetricFamilySamples(fullName, Type.GAUGE,
            "1 while the view's table holds max_series series, so records of new keys go to the __overflow__ " +
            "series; raise max_series, drop a dimension or use top_k.", full));
        collectNetworks(families);

        final String droppedName = metrics.metricName("aggregation_interface_dropped_samples");
        families.add(new MetricFamilySamples(droppedName, Type.COUNTER,
            "Interface counter samples dropped because the interface table was full.",
            List.of(new MetricFamilySamples.Sample(droppedName + "_total", noLabels.names, noLabels.values(),
                engine.interfaces().droppedSamples()))));
    }

    private void collectNetworks(final List<MetricFamilySamples> families)
    {
        final Networks networks = engine.networks();
        if (networks != null)
        {
            families.add(single("aggregation_networks", Type.GAUGE, "Networks in force for src_net/dst_net.",
                networks.current().size()));
            families.add(single("aggregation_networks_reloads", Type.COUNTER,
                "Networks lists loaded and swapped in (the start included).", networks.reloads()));
            families.add(single("aggregation_networks_reload_errors", Type.COUNTER,
                "Networks file versions refused because they did not parse or fit; the networks in force were kept.",
                networks.reloadErrors()));
        }
        final LabelStrings strings = engine.labelStrings();
        families.add(single("aggregation_label_strings", Type.GAUGE,
            "Interned network names, attribute values and interface names.", strings.size()));
        families.add(single("aggregation_label_strings_refused", Type.COUNTER,
            "Names not interned because the label string table was full (shown as empty labels).", strings.refused()));
        families.add(single("aggregation_interface_info_dropped_updates", Type.COUNTER,
            "Learned interface names or speeds not kept because the interface table was full.",
            engine.interfaceInfo().droppedUpdates()));
    }

    private MetricFamilySamples single(final String suffix, final Type type, final String help, final double value)
    {
        final String name = metrics.metricName(suffix);
        return new MetricFamilySamples(name, type, help, List.of(new MetricFamilySamples.Sample(
            type == Type.COUNTER ? name + "_total" : name, noLabels.names, noLabels.values(), value)));
    }

    private void collectInterfaces(final long nowNs, final List<MetricFamilySamples> families)
    {
        final InterfaceCounterTable.Field[] fields = InterfaceCounterTable.Field.values();
        final String[] names = new String[fields.length];
        final List<List<MetricFamilySamples.Sample>> samples = new ArrayList<>(fields.length);
        for (int f = 0; f < fields.length; f++)
        {
            names[f] = metrics.metricName(interfaceMetric(fields[f]));
            samples.add(new ArrayList<>());
        }

        final InterfaceCounterTable.Cursor cursor = engine.interfaces().newCursor().at(nowNs);
        final StringBuilder sb = new StringBuilder(48);
        final int limit = cursor.limit();
        for (int id = 0; id < limit; id++)
        {
            if (!cursor.read(id))
            {
                continue;
            }
            sb.setLength(0);
            final List<String> values = interfaceLabels.values(
                cursor.appendExporter(sb).toString(), Long.toString(cursor.ifIndex()));
            for (int f = 0; f < fields.length; f++)
            {
                if (fields[f] != InterfaceCounterTable.Field.SPEED_BPS)
                {
                    samples.get(f).add(new MetricFamilySamples.Sample(
                        isGauge(fields[f]) ? names[f] : names[f] + "_total", interfaceLabels.names, values,
                        cursor.value(fields[f])));
                }
            }
        }
        for (int f = 0; f < fields.length; f++)
        {
            if (isGauge(fields[f]))
            {
                families.add(new MetricFamilySamples(names[f], Type.GAUGE,
                    "sFlow ifDirection as last reported by the agent: 0 unknown, 1 full-duplex, 2 half-duplex, " +
                    "3 in, 4 out (a half-duplex link shares its speed between in and out).", samples.get(f)));
            }
            else if (fields[f] != InterfaceCounterTable.Field.SPEED_BPS)
            {
                families.add(new MetricFamilySamples(names[f], Type.COUNTER,
                    "Interface counter as last reported by the sFlow agent.", samples.get(f)));
            }
        }

        final String speedName = metrics.metricName(interfaceMetric(InterfaceCounterTable.Field.SPEED_BPS));
        final List<MetricFamilySamples.Sample> speeds = new ArrayList<>();
        for (final InterfaceInfoTable.Entry e : engine.interfaceInfo().snapshot())
        {
            if (e.speedBps() > 0)
            {
                speeds.add(new MetricFamilySamples.Sample(speedName, speedLabels.names,
                    speedLabels.values(e.exporter(), Long.toString(e.ifIndex()), e.name()), e.speedBps()));
            }
        }
        families.add(new MetricFamilySamples(speedName, Type.GAUGE,
            "Interface speed, bits per second: from aggregation.interfaces, else as sFlow counter samples report " +
            "ifSpeed. if_name as configured, else from options data (IE 82/83).", speeds));
    }

    private static String interfaceMetric(final InterfaceCounterTable.Field field)
    {
        switch (field)
        {
            case SPEED_BPS:
                return "interface_speed_bps";
            case IN_OCTETS:
                return "interface_in_octets";
            case OUT_OCTETS:
                return "interface_out_octets";
            case IN_PACKETS:
                return "interface_in_packets";
            case OUT_PACKETS:
                return "interface_out_packets";
            case IN_ERRORS:
                return "interface_in_errors";
            case OUT_ERRORS:
                return "interface_out_errors";
            case IN_DISCARDS:
                return "interface_in_discards";
            case OUT_DISCARDS:
                return "interface_out_discards";
            default:
                return "interface_direction";
        }
    }

    private static boolean isGauge(final InterfaceCounterTable.Field field)
    {
        return field == InterfaceCounterTable.Field.DIRECTION;
    }

    /** Turns the cursor's current series into samples. */
    private final class SeriesSink
    {
        private final AggregationView view;
        private final ViewMetricNames names;
        private final List<MetricFamilySamples.Sample> flows;
        private final List<MetricFamilySamples.Sample> bytes;
        private final List<MetricFamilySamples.Sample> packets;
        private final List<MetricFamilySamples.Sample> bandwidth;
        private final List<MetricFamilySamples.Sample> windowBytes;
        private final List<MetricFamilySamples.Sample> windowPackets;
        private final List<MetricFamilySamples.Sample> windowFlows;
        private final String flowsTotal;
        private final String bytesTotal;
        private final String packetsTotal;
        private final StringBuilder sb = new StringBuilder(64);
        private final String[] own;

        @SuppressWarnings("checkstyle:ParameterNumber")
        SeriesSink(
            final AggregationView view,
            final ViewMetricNames names,
            final List<MetricFamilySamples.Sample> flows,
            final List<MetricFamilySamples.Sample> bytes,
            final List<MetricFamilySamples.Sample> packets,
            final List<MetricFamilySamples.Sample> bandwidth,
            final List<MetricFamilySamples.Sample> windowBytes,
            final List<MetricFamilySamples.Sample> windowPackets,
            final List<MetricFamilySamples.Sample> windowFlows)
        {
            this.view = view;
            this.names = names;
            this.flows = flows;
            this.bytes = bytes;
            this.packets = packets;
            this.bandwidth = bandwidth;
            this.windowBytes = windowBytes;
            this.windowPackets = windowPackets;
            this.windowFlows = windowFlows;
            this.flowsTotal = names.flows + "_total";
            this.bytesTotal = names.bytes + "_total";
            this.packetsTotal = names.packets + "_total";
            this.own = new String[view.keys().dimensionCount()];
        }

        void add(final AggregationView.Cursor cursor)
        {
            for (int i = 0; i < own.length; i++)
            {
                sb.setLength(0);
                own[i] = cursor.appendLabelValue(sb, i).toString();
            }
            final List<String> values = names.labels.values(own);
            final List<String> labelNames = names.labels.names;
            flows.add(new MetricFamilySamples.Sample(flowsTotal, labelNames, values, cursor.flows()));
            bytes.add(new MetricFamilySamples.Sample(bytesTotal, labelNames, values, cursor.bytes()));
            packets.add(new MetricFamilySamples.Sample(packetsTotal, labelNames, values, cursor.packets()));
            final SlidingWindows windows = view.windows();
            final int bw = view.bandwidthWindow();
            bandwidth.add(new MetricFamilySamples.Sample(names.bandwidth, labelNames, values,
                8.0 * cursor.windowBytes(bw) * NS_PER_SECOND / windows.windowNs(bw)));

            final List<String> windowNames = names.windowLabels.names;
            for (int w = 0; w < windowLabelValues.length; w++)
            {
                final List<String> windowValues = new ArrayList<>(windowNames.size());
                windowValues.addAll(Arrays.asList(own));
                windowValues.add(windowLabelValues[w]);
                windowValues.addAll(names.windowLabels.customValues);
                final double seconds = windows.windowNs(w) / (double)NS_PER_SECOND;
                windowBytes.add(new MetricFamilySamples.Sample(
                    names.windowBytes, windowNames, windowValues, cursor.windowBytes(w) / seconds));
                windowPackets.add(new MetricFamilySamples.Sample(
                    names.windowPackets, windowNames, windowValues, cursor.windowPackets(w) / seconds));
                windowFlows.add(new MetricFamilySamples.Sample(
                    names.windowFlows, windowNames, windowValues, cursor.windowFlows(w) / seconds));
            }
        }
    }
}
