package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationView;
import io.goflow.exporter.config.MetricsSettings;

import java.util.ArrayList;
import java.util.List;

/** Metric family names (without {@code _total}) and label sets of one view's flow series. */
final class ViewMetricNames
{
    static final String FLOWS_HELP = "Flow records counted (not scaled by sampling).";
    static final String BYTES_HELP = "Bytes, scaled by the sampling rate.";
    static final String PACKETS_HELP = "Packets, scaled by the sampling rate.";
    static final String BANDWIDTH_HELP = "Bits per second over the bandwidth window (%s).";
    static final String WINDOW_BYTES_HELP = "Bytes per second over the sliding window named by the window label.";
    static final String WINDOW_PACKETS_HELP = "Packets per second over the sliding window named by the window label.";
    static final String WINDOW_FLOWS_HELP = "Flow records per second over the sliding window named by the window label.";

    final String flows;
    final String bytes;
    final String packets;
    final String bandwidth;
    final String windowBytes;
    final String windowPackets;
    final String windowFlows;
    final FlowLabelSet labels;
    final FlowLabelSet windowLabels;

    ViewMetricNames(final AggregationView view, final MetricsSettings metrics)
    {
        final String prefix = view.metricPrefix();
        flows = metrics.metricName(prefix + "flows");
        bytes = metrics.metricName(prefix + "bytes");
        packets = metrics.metricName(prefix + "packets");
        bandwidth = metrics.metricName(prefix + "bandwidth_bps");
        windowBytes = metrics.metricName(prefix + "window_bytes_per_second");
        windowPackets = metrics.metricName(prefix + "window_packets_per_second");
        windowFlows = metrics.metricName(prefix + "window_flows_per_second");
        final List<String> dimensionLabels = new ArrayList<>();
        for (int i = 0; i < view.keys().dimensionCount(); i++)
        {
            dimensionLabels.add(view.keys().dimension(i).labelName());
        }
        labels = new FlowLabelSet(dimensionLabels, metrics.customLabels());
        final List<String> withWindow = new ArrayList<>(dimensionLabels);
        withWindow.add("window");
        windowLabels = new FlowLabelSet(withWindow, metrics.customLabels());
    }
}
