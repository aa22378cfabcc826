package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationReader;
import io.goflow.exporter.aggregate.AggregationView;
import io.goflow.exporter.aggregate.InterfaceCounterTable;
import io.goflow.exporter.aggregate.InterfaceInfoTable;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.enrich.network.LabelStrings;
import io.goflow.exporter.enrich.network.Networks;
import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus collector of the aggregation's state ({@link AggregationMetric}): its tables, the
 * networks and label-string bounds, and the interface counters and speeds, read from the
 * {@link AggregationReader} at scrape time. The flow series themselves are not here: they have one
 * rendering, {@link FlowSeriesTextWriter}, streamed after the registry by {@link ScrapeExposition}.
 * Every name goes through {@link MetricsSettings#metricName} ({@code namespace_subsystem_...}) and
 * every series carries {@code metrics.custom_labels} after its own labels (a custom label whose
 * name equals one of the series' own labels is left out of that series).
 *
 * <pre>
 * aggregation_series{view}                    gauge    live series (without the overflow series)
 * aggregation_memory_bytes{view}              gauge    memory of the view's table, fixed at start
 * aggregation_overflow_records_total{view}    counter  records counted into the overflow series
 * aggregation_evicted_series_total{view}      counter  series removed after their TTL
 * aggregation_at_capacity{view}               gauge    1 while the view's table is full
 * aggregation_interface_dropped_samples_total counter  counter samples dropped, interface table full
 * interface_{in,out}_{octets,packets,errors,discards}_total{exporter,if_index}  counter, as reported
 * interface_direction{exporter,if_index}      gauge    sFlow ifDirection
 * interface_speed_bps{exporter,if_index,if_name} gauge speed: configured, else sFlow ifSpeed
 * aggregation_networks, aggregation_networks_reloads_total, aggregation_networks_reload_errors_total
 *                                             the networks list (only when a view uses networks)
 * aggregation_label_strings, aggregation_label_strings_refused_total,
 * aggregation_interface_info_dropped_updates_total   the bounds of names and interfaces
 * </pre>
 *
 * <p>Thread-safe: each {@link #collect()} uses its own cursors, allocates on the scrape thread and
 * never blocks the aggregation writer.
 */
public final class AggregationStateCollector extends Collector
{
    private final AggregationReader engine;
    private final MetricsSettings metrics;
    private final Map<AggregationMetric, FlowLabelSet> labels = new EnumMap<>(AggregationMetric.class);

    /** @return the collector of {@code engine}'s table, network and interface metrics. */
    public static AggregationStateCollector of(final AggregationReader engine)
    {
        return new AggregationStateCollector(engine, engine.metricsSettings());
    }

    public AggregationStateCollector(final AggregationReader engine, final MetricsSettings metrics)
    {
        this.engine = engine;
        this.metrics = metrics;
        for (final AggregationMetric metric : AggregationMetric.values())
        {
            labels.put(metric, new FlowLabelSet(metric.labelNames(), metrics.customLabels()));
        }
    }

    @Override
    public List<MetricFamilySamples> collect()
    {
        final List<MetricFamilySamples> families = new ArrayList<>();
        collectViews(engine.views(), families);
        collectNetworks(families);
        collectInterfaces(engine.readerNowNs(), families);
        return families;
    }

    private void collectViews(final List<AggregationView> views, final List<MetricFamilySamples> families)
    {
        final Family series = new Family(AggregationMetric.SERIES);
        final Family memory = new Family(AggregationMetric.MEMORY_BYTES);
        final Family overflow = new Family(AggregationMetric.OVERFLOW_RECORDS);
        final Family evicted = new Family(AggregationMetric.EVICTED_SERIES);
        final Family atCapacity = new Family(AggregationMetric.AT_CAPACITY);
        for (final AggregationView view : views)
        {
            series.add(view.seriesCount(), view.name());
            memory.add(view.memoryBytes(), view.name());
            overflow.add(view.overflowRecords(), view.name());
            evicted.add(view.evictedSeries(), view.name());
        }
        families.add(series.samples());
        families.add(memory.samples());
        families.add(overflow.samples());
        families.add(evicted.samples());
        for (final AggregationView view : views)
        {
            atCapacity.add(view.atCapacity() ? 1 : 0, view.name());
        }
        families.add(atCapacity.samples());
    }

    private void collectNetworks(final List<MetricFamilySamples> families)
    {
        final Networks networks = engine.networks();
        if (networks != null)
        {
            families.add(single(AggregationMetric.NETWORKS, networks.current().size()));
            families.add(single(AggregationMetric.NETWORKS_RELOADS, networks.reloads()));
            families.add(single(AggregationMetric.NETWORKS_RELOAD_ERRORS, networks.reloadErrors()));
        }
        final LabelStrings strings = engine.labelStrings();
        families.add(single(AggregationMetric.LABEL_STRINGS, strings.size()));
        families.add(single(AggregationMetric.LABEL_STRINGS_REFUSED, strings.refused()));
        families.add(single(AggregationMetric.INTERFACE_INFO_DROPPED_UPDATES, engine.interfaceInfo().droppedUpdates()));
        families.add(single(AggregationMetric.INTERFACE_DROPPED_SAMPLES, engine.interfaces().droppedSamples()));
    }

    private MetricFamilySamples single(final AggregationMetric metric, final double value)
    {
        final Family family = new Family(metric);
        family.add(value);
        return family.samples();
    }

    private void collectInterfaces(final long nowNs, final List<MetricFamilySamples> families)
    {
        final List<Family> columns = new ArrayList<>();
        for (final AggregationMetric metric : AggregationMetric.values())
        {
            if (metric.interfaceField() != null)
            {
                columns.add(new Family(metric));
            }
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
            final String exporter = cursor.appendExporter(sb).toString();
            final String ifIndex = Long.toString(cursor.ifIndex());
            for (final Family column : columns)
            {
                column.add(cursor.value(column.metric.interfaceField()), exporter, ifIndex);
            }
        }
        for (final Family column : columns)
        {
            families.add(column.samples());
        }

        final Family speeds = new Family(AggregationMetric.INTERFACE_SPEED);
        for (final InterfaceInfoTable.Entry e : engine.interfaceInfo().snapshot())
        {
            if (e.speedBps() > 0)
            {
                speeds.add(e.speedBps(), e.exporter(), Long.toString(e.ifIndex()), e.name());
            }
        }
        families.add(speeds.samples());
    }

    /** Samples of one family being built on the scrape thread, with the custom labels that fit it. */
    private final class Family
    {
        private final AggregationMetric metric;
        private final FlowLabelSet labelSet;
        private final String name;
        private final String sampleName;
        private final List<MetricFamilySamples.Sample> samples = new ArrayList<>();

        Family(final AggregationMetric metric)
        {
            this.metric = metric;
            this.labelSet = labels.get(metric);
            this.name = metrics.metricName(metric.baseName());
            this.sampleName = metric.sampleName(name);
        }

        void add(final double value, final String... labelValues)
        {
            samples.add(new MetricFamilySamples.Sample(sampleName, labelSet.names, labelSet.values(labelValues), value));
        }

        MetricFamilySamples samples()
        {
            return new MetricFamilySamples(name, metric.type(), metric.help(), samples);
        }
    }
}
