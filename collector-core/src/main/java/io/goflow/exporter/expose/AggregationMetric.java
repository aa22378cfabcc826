package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.InterfaceCounterTable;
import io.prometheus.client.Collector;

import java.util.List;

/**
 * Every metric of the aggregation's tables and interfaces, declared once (the flow series
 * themselves are {@link ViewMetricNames}); {@link AggregationStateCollector} reads the values at
 * scrape time.
 */
enum AggregationMetric implements SelfMetric
{
    SERIES("aggregation_series", Collector.Type.GAUGE, List.of("view"),
        "Live series in the view's table (the overflow series not included)."),
    MEMORY_BYTES("aggregation_memory_bytes", Collector.Type.GAUGE, List.of("view"),
        "Memory held by the view's table, fixed at start."),
    OVERFLOW_RECORDS("aggregation_overflow_records", Collector.Type.COUNTER, List.of("view"),
        "Records counted into the view's overflow series because its table was full."),
    EVICTED_SERIES("aggregation_evicted_series", Collector.Type.COUNTER, List.of("view"),
        "Series removed from the view after being idle longer than the series TTL."),
    AT_CAPACITY("aggregation_at_capacity", Collector.Type.GAUGE, List.of("view"),
        "1 while the view's table holds max_series series, so records of new keys go to the __overflow__ " +
        "series; raise max_series, drop a dimension or use top_k."),
    NETWORKS("aggregation_networks", Collector.Type.GAUGE, List.of(),
        "Networks in force for src_net/dst_net."),
    NETWORKS_RELOADS("aggregation_networks_reloads", Collector.Type.COUNTER, List.of(),
        "Networks lists loaded and swapped in (the start included)."),
    NETWORKS_RELOAD_ERRORS("aggregation_networks_reload_errors", Collector.Type.COUNTER, List.of(),
        "Networks file versions refused because they did not parse or fit; the networks in force were kept."),
    LABEL_STRINGS("aggregation_label_strings", Collector.Type.GAUGE, List.of(),
        "Interned network names, attribute values and interface names."),
    LABEL_STRINGS_REFUSED("aggregation_label_strings_refused", Collector.Type.COUNTER, List.of(),
        "Names not interned because the label string table was full (shown as empty labels)."),
    INTERFACE_INFO_DROPPED_UPDATES("aggregation_interface_info_dropped_updates", Collector.Type.COUNTER, List.of(),
        "Learned interface names or speeds not kept because the interface table was full."),
    INTERFACE_DROPPED_SAMPLES("aggregation_interface_dropped_samples", Collector.Type.COUNTER, List.of(),
        "Interface counter samples dropped because the interface table was full."),
    INTERFACE_SPEED("interface_speed_bps", Collector.Type.GAUGE, List.of("exporter", "if_index", "if_name"),
        "Interface speed, bits per second: from aggregation.interfaces, else as sFlow counter samples report " +
        "ifSpeed. if_name as configured, else from options data (IE 82/83)."),
    INTERFACE_IN_OCTETS("interface_in_octets", InterfaceCounterTable.Field.IN_OCTETS),
    INTERFACE_OUT_OCTETS("interface_out_octets", InterfaceCounterTable.Field.OUT_OCTETS),
    INTERFACE_IN_PACKETS("interface_in_packets", InterfaceCounterTable.Field.IN_PACKETS),
    INTERFACE_OUT_PACKETS("interface_out_packets", InterfaceCounterTable.Field.OUT_PACKETS),
    INTERFACE_IN_ERRORS("interface_in_errors", InterfaceCounterTable.Field.IN_ERRORS),
    INTERFACE_OUT_ERRORS("interface_out_errors", InterfaceCounterTable.Field.OUT_ERRORS),
    INTERFACE_IN_DISCARDS("interface_in_discards", InterfaceCounterTable.Field.IN_DISCARDS),
    INTERFACE_OUT_DISCARDS("interface_out_discards", InterfaceCounterTable.Field.OUT_DISCARDS),
    INTERFACE_DIRECTION("interface_direction", Collector.Type.GAUGE, List.of("exporter", "if_index"),
        "sFlow ifDirection as last reported by the agent: 0 unknown, 1 full-duplex, 2 half-duplex, " +
        "3 in, 4 out (a half-duplex link shares its speed between in and out).",
        InterfaceCounterTable.Field.DIRECTION);

    private static final String INTERFACE_COUNTER_HELP = "Interface counter as last reported by the sFlow agent.";

    private final Spec spec;
    /** The interface table column of an {@code exporter, if_index} metric, else null. */
    private final InterfaceCounterTable.Field field;

    AggregationMetric(final String name, final Collector.Type type, final List<String> labelNames, final String help)
    {
        this(name, type, labelNames, help, null);
    }

    AggregationMetric(final String name, final InterfaceCounterTable.Field field)
    {
        this(name, Collector.Type.COUNTER, List.of("exporter", "if_index"), INTERFACE_COUNTER_HELP, field);
    }

    AggregationMetric(
        final String name,
        final Collector.Type type,
        final List<String> labelNames,
        final String help,
        final InterfaceCounterTable.Field field)
    {
        this.spec = new Spec(name, type, labelNames, help);
        this.field = field;
    }

    @Override
    public Spec spec()
    {
        return spec;
    }

    /** @return the interface table column read for this metric, or null when it is not one. */
    InterfaceCounterTable.Field interfaceField()
    {
        return field;
    }
}
