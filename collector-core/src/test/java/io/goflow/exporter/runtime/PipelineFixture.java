package io.goflow.exporter.runtime;

import io.goflow.exporter.aggregate.FlowAggregator;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.LoggingSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.PerformanceSettings;
import io.goflow.exporter.config.ServerSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.receive.DatagramReader;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Settings, senders and a recording aggregator for pipeline tests on loopback. */
final class PipelineFixture
{
    static final long WAIT_LIMIT_MS = io.goflow.exporter.testing.Await.WAIT_LIMIT_MS;
    static final int RCVBUF_BYTES = 1 << 20;

    private PipelineFixture()
    {
    }

    /** NetFlow listener only, on an ephemeral port of each address. */
    static Settings settings(final List<String> listenAddrs, final int workers, final int queueSize)
    {
        return settings(new ServerSettings(0, -1, -1, listenAddrs, "", List.of(), 0, "/metrics", "127.0.0.1"),
            workers, queueSize, MetricsSettings.defaults());
    }

    static Settings settings(
        final ServerSettings server, final int workers, final int queueSize, final MetricsSettings metrics)
    {
        return new Settings(
            server,
            new PerformanceSettings(RCVBUF_BYTES, workers, 100, queueSize, "blocking"),
            AggregationSettings.defaults(),
            EnrichmentSettings.defaults(),
            metrics,
            LoggingSettings.defaults(),
            DecoderSettings.defaults());
    }

    static ServerSettings explicitListener(final ListenerSettings listener)
    {
        return new ServerSettings(0, -1, -1, List.of("127.0.0.1"), "", List.of(listener), 0, "/metrics", "127.0.0.1");
    }

    static void send(final DatagramSocket from, final InetAddress to, final int port, final byte[] payload)
        throws Exception
    {
        from.send(new DatagramPacket(payload, payload.length, to, port));
    }

    static DatagramSocket sender(final String address) throws Exception
    {
        return new DatagramSocket(new InetSocketAddress(address, 0));
    }

    static long received(final FlowCollector collector)
    {
        long n = 0;
        for (final DatagramReader reader : collector.readers())
        {
            n += reader.counters().totalPackets();
        }
        return n;
    }

    static long droppedByReaders(final FlowCollector collector)
    {
        long n = 0;
        for (final DatagramReader reader : collector.readers())
        {
            n += reader.counters().totalDropped();
        }
        return n;
    }

    /** Sums bytes and records per (exporter, observation domain); thread-safe for reading after close. */
    static class RecordingAggregator implements FlowAggregator
    {
        final Map<String, Long> bytesByExporter = new ConcurrentHashMap<>();
        final Map<String, Long> recordsByExporter = new ConcurrentHashMap<>();

        @Override
        public void onFlowRecord(final FlowRecord record, final long nowNs)
        {
            final String key = Long.toHexString(record.samplerAddrLo) + "/" + record.observationDomainId;
            bytesByExporter.merge(key, record.bytes, Long::sum);
            recordsByExporter.merge(key, 1L, Long::sum);
        }

        @Override
        public void onInterfaceCounters(final FlowRecord record, final long nowNs)
        {
        }

        @Override
        public void onEndOfBatch(final long nowNs)
        {
        }
    }
}
