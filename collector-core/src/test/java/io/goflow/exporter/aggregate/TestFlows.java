package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.ViewSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;

import java.util.List;
import java.util.Map;

/** Builders shared by the aggregation tests. */
final class TestFlows
{
    static final long SECOND_NS = 1_000_000_000L;
    static final long MINUTE_NS = 60 * SECOND_NS;
    /** A round epoch time (2026-01-01T00:00:00Z) so that every window's buckets align on it. */
    static final long T0_NS = 1_767_225_600L * SECOND_NS;

    private TestFlows()
    {
    }

    static AggregationSettings aggregation(
        final List<Dimension> dimensions, final int maxSeries, final long ttlNs, final List<ViewSettings> views)
    {
        return new AggregationSettings(
            AggregationSettings.TIME_WINDOWS_DEFAULT, dimensions, MINUTE_NS, maxSeries, ttlNs, false, 0, views);
    }

    static MetricsSettings metrics(final List<LabelGroup> enabled, final Map<String, String> custom)
    {
        return new MetricsSettings("flow", "", enabled, custom, false);
    }

    static FlowRecord ipv4Flow(final int src, final int dst, final int proto, final int srcPort, final int dstPort,
        final long bytes, final long packets)
    {
        final FlowRecord r = new FlowRecord();
        r.srcIpv4(src);
        r.dstIpv4(dst);
        r.ipVersion = 4;
        r.proto = proto;
        r.srcPort = srcPort;
        r.dstPort = dstPort;
        r.bytes = bytes;
        r.packets = packets;
        return r;
    }

    static int ipv4(final int a, final int b, final int c, final int d)
    {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    static CollectorRegistry registry(final Collector collector)
    {
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(collector);
        return registry;
    }

    /** @return the values of every sample named {@code sampleName} in one scrape. */
    static List<Double> values(final Collector collector, final String sampleName)
    {
        final List<Double> values = new java.util.ArrayList<>();
        for (final Collector.MetricFamilySamples family : collector.collect())
        {
            for (final Collector.MetricFamilySamples.Sample sample : family.samples)
            {
                if (sample.name.equals(sampleName))
                {
                    values.add(sample.value);
                }
            }
        }
        return values;
    }

    /** @return the sum over all samples named {@code sampleName}. */
    static double sum(final Collector collector, final String sampleName)
    {
        double total = 0;
        for (final double value : values(collector, sampleName))
        {
            total += value;
        }
        return total;
    }

    /** @return every sample of one scrape keyed by {@code name|labelValue|labelValue...}. */
    static Map<String, Double> scrape(final Collector collector)
    {
        final Map<String, Double> samples = new java.util.HashMap<>();
        for (final Collector.MetricFamilySamples family : collector.collect())
        {
            for (final Collector.MetricFamilySamples.Sample sample : family.samples)
            {
                samples.put(sample.name + "|" + String.join("|", sample.labelValues), sample.value);
            }
        }
        return samples;
    }

    /** @return the number of samples named {@code sampleName}. */
    static int count(final Collector collector, final String sampleName)
    {
        return values(collector, sampleName).size();
    }
}
