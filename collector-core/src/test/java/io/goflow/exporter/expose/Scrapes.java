package io.goflow.exporter.expose;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.LoggingSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.PerformanceSettings;
import io.goflow.exporter.config.ServerSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipeline settings, datagram sending and sample lookup shared by the self-metrics tests. */
final class Scrapes
{
    private Scrapes()
    {
    }

    /** Settings of a pipeline with one listener on 127.0.0.1, a 64-slot ring and no HTTP server. */
    static Settings settings(final ListenerSettings listener, final int workers, final String subsystem,
        final Map<String, String> customLabels)
    {
        return new Settings(
            new ServerSettings(0, -1, -1, List.of("127.0.0.1"), "", List.of(listener), 0, "/metrics", "127.0.0.1"),
            new PerformanceSettings(1 << 20, workers, 100, 64, "blocking"),
            AggregationSettings.defaults(),
            EnrichmentSettings.defaults(),
            new MetricsSettings("flow", subsystem, List.of(LabelGroup.values()), customLabels, false),
            LoggingSettings.defaults(),
            DecoderSettings.defaults());
    }

    static void send(final DatagramSocket from, final int port, final byte[] payload) throws Exception
    {
        from.send(new DatagramPacket(payload, payload.length, InetAddress.getByName("127.0.0.1"), port));
    }

    /** @return the samples named {@code name} whose labels include {@code labels}. */
    static List<Sample> samples(final List<MetricFamilySamples> scrape, final String name, final Map<String, String> labels)
    {
        return scrape.stream().flatMap(f -> f.samples.stream())
            .filter(s -> s.name.equals(name))
            .filter(s -> labels.entrySet().stream().allMatch(
                e -> e.getValue().equals(s.labelValues.get(s.labelNames.indexOf(e.getKey())))))
            .toList();
    }

    /** @return the sum of the matching samples; fails when there is none. */
    static double value(final List<MetricFamilySamples> scrape, final String name, final Map<String, String> labels)
    {
        final List<Sample> matching = samples(scrape, name, labels);
        assertTrue(!matching.isEmpty(), "no sample " + name + labels);
        return matching.stream().mapToDouble(s -> s.value).sum();
    }
}
