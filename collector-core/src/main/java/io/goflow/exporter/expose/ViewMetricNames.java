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

    private static final long NS_PER_SECOND = 1_000_000_000L;

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

    /** @return the {@code window} label of a window: {@code Nh}, {@code Nm}, {@code Ns}, {@code Nms} or {@code Nns}, largest unit first. */
    static String durationText(final long ns)
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
}
