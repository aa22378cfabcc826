package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.enrich.network.LabelStrings;
import io.goflow.exporter.enrich.network.Networks;

import java.util.List;

/**
 * What the exposition may read of the aggregation: the views' tables, the windows, the interface
 * tables and the label strings, all safe to read from scrape threads while the aggregation thread
 * writes (tables under their sequence locks). Nothing here changes aggregation state.
 * {@link AggregationEngine} is the one implementation.
 */
public interface AggregationReader
{
    /** @return the {@code metrics} settings the views were built for (names and labels of the series). */
    MetricsSettings metricsSettings();

    /** @return the main view followed by {@code aggregation.views}, in order. */
    List<AggregationView> views();

    /** @return the latest sFlow interface counters per (exporter, ifIndex). */
    InterfaceCounterTable interfaces();

    /** @return names and speeds of interfaces, configured and learned. */
    InterfaceInfoTable interfaceInfo();

    /** @return the networks behind {@code src_net}/{@code dst_net}, or null when no view uses them. */
    Networks networks();

    /** @return the interned label strings of names, attribute values and interface names. */
    LabelStrings labelStrings();

    SlidingWindows windows();

    /** @return the time scrapes evaluate windows and TTLs at, epoch ns. */
    long readerNowNs();
}
