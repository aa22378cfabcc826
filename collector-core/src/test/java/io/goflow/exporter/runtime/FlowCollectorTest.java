package io.goflow.exporter.runtime;

import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decode.DecodeHandler;
import io.goflow.exporter.decode.MiniV9Decoder;
import io.goflow.exporter.decode.ShardDecoder;
import io.goflow.exporter.decode.V9Datagrams;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.receive.BoundListener;
import io.goflow.exporter.receive.ReceiveCounters;
import io.goflow.exporter.runtime.PipelineFixture.RecordingAggregator;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static io.goflow.exporter.runtime.PipelineFixture.received;
import static io.goflow.exporter.runtime.PipelineFixture.send;
import static io.goflow.exporter.runtime.PipelineFixture.sender;
import static io.goflow.exporter.runtime.PipelineFixture.settings;
import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on loopback with ephemeral ports and the test v9 decoder. */
class FlowCollectorTest
{
    private static final long NO_TICKS_MS = 3_600_000;
    private static final int TEMPLATE_ID = 300;

    @Test
    void shouldAccountEveryDatagramExactlyWhenStalledConsumerFillsRing() throws Exception
    {
        final StallingAggregator aggregator = new StallingAggregator();
        try (FlowCollector collector = start(settings(List.of("127.0.0.1"), 2, 8), aggregator);
            DatagramSocket exporter = sender("127.0.0.1"))
        {
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            final int port = collector.boundListeners().get(0).port();
            send(exporter, to, port, V9Datagrams.template(1, 0, TEMPLATE_ID));
            assertTrue(aggregator.stalled.await(PipelineFixture.WAIT_LIMIT_MS, TimeUnit.MILLISECONDS));
            for (int i = 1; i < 50; i++)
            {
                send(exporter, to, port, V9Datagrams.data(1, i, TEMPLATE_ID, 100, 1));
            }
            awaitTrue(() -> received(collector) == 50);
            aggregator.release.countDown();
            collector.close();

            final ReceiveCounters rc = collector.readers().get(0).counters();
            assertEquals(42, rc.dropped(ReceiveCounters.QUEUE_FULL), "ring of 8 holds the template and 7 data");
            assertEquals(8, collector.aggregation().datagrams());
            assertEquals(50, collector.aggregation().datagrams() + rc.dropped(ReceiveCounters.QUEUE_FULL));
            assertEquals(8, processed(collector));
            assertEquals(14, collector.aggregation().flowRecords());
            assertEquals(7 * 101L, aggregator.bytesByExporter.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void shouldRunRealDecoderAggregationAndEnrichmentWhenStartedFromSettingsOnly() throws Exception
    {
        final Settings s = settings(List.of("127.0.0.1"), 2, 1024);
        final Settings noDatabases = new Settings(s.server(), s.performance(), s.aggregation(),
            new io.goflow.exporter.config.EnrichmentSettings(false, "", false, "", 1000, "flow", 0, false, 1_000_000_000L, 0),
            s.metrics(), s.logging(), s.decoder());
        try (FlowCollector collector = FlowCollector.start(noDatabases); DatagramSocket exporter = sender("127.0.0.1"))
        {
            assertEquals(3, collector.collectors().size(), "pipeline, aggregation and enrichment collectors");
            final int port = collector.boundListeners().get(0).port();
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            send(exporter, to, port, V9Datagrams.template(4, 0, TEMPLATE_ID));
            send(exporter, to, port, V9Datagrams.data(4, 1, TEMPLATE_ID, 1500, 40));
            awaitTrue(() -> collector.aggregation().datagrams() == 2);
            collector.close();
            assertEquals(2, collector.aggregation().flowRecords());
            final double aggregatedSamples = collector.collectors().get(1).collect().stream()
                .flatMap(f -> f.samples.stream()).filter(x -> x.value > 0).count();
            assertTrue(aggregatedSamples > 0, "the aggregation engine exposes the records");
        }
    }

    @Test
    void shouldWaitForRecordPoolWithoutLosingRecordsWhenAggregationStalls() throws Exception
    {
        final StallingAggregator aggregator = new StallingAggregator();
        final Settings s = settings(List.of("127.0.0.1"), 2, 256);
        final Settings tight = new Settings(s.server(), s.performance(), s.aggregation(), s.enrichment(), s.metrics(),
            s.logging(), new DecoderSettings(false, 4096, 1024, DecoderSettings.TEMPLATE_TIMEOUT_NS_DEFAULT, 0,
                DecoderSettings.PENDING_TIMEOUT_NS_DEFAULT, 4, 0, java.util.Map.of()));
        try (FlowCollector collector = FlowCollector.builder(tight)
            .aggregator(aggregator, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .decoders(shard -> new MiniV9Decoder())
            .recordsPerShard(4)
            .tickIntervalMs(NO_TICKS_MS)
            .start();
            DatagramSocket exporter = sender("127.0.0.1"))
        {
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            final int port = collector.boundListeners().get(0).port();
            send(exporter, to, port, V9Datagrams.template(1, 0, TEMPLATE_ID));
            assertTrue(aggregator.stalled.await(PipelineFixture.WAIT_LIMIT_MS, TimeUnit.MILLISECONDS));
            for (int i = 1; i <= 40; i++)
            {
                send(exporter, to, port, V9Datagrams.data(1, i, TEMPLATE_ID, i, 1000));
            }
            awaitTrue(() -> received(collector) == 41);
            awaitTrue(() -> collector.shards().stream().mapToLong(h -> h.counters().poolWaits()).sum() >= 1);
            aggregator.release.countDown();
            collector.close();
            assertEquals(41, collector.aggregation().datagrams());
            assertEquals(80, collector.aggregation().flowRecords());
            assertEquals(40 * 41 / 2 + 40 * 1000L, aggregator.bytesByExporter.get("ffff7f000001/1"));
        }
    }

    @Test
    void shouldDecodeInterleavedExportersIdenticallyWithOneOrFourWorkers() throws Exception
    {
        final RecordingAggregator single = runInterleaved(1, shard -> new MiniV9Decoder());
        assertEquals(24, single.recordsByExporter.size(), "12 exporters x 2 source IDs");
        for (int run = 0; run < 5; run++)
        {
            final RecordingAggregator sharded = runInterleaved(4, shard -> new MiniV9Decoder());
            assertEquals(single.bytesByExporter, sharded.bytesByExporter, "run " + run);
            assertEquals(single.recordsByExporter, sharded.recordsByExporter, "run " + run);
        }
    }

    @Test
    void shouldDecodeInterleavedExportersIdenticallyWithRealDecoderOnOneOrFourWorkers() throws Exception
    {
        final IntFunction<ShardDecoder> real =
            shard -> ShardDecoder.of(new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters()));
        final RecordingAggregator single = runInterleaved(1, real);
        assertEquals(24, single.recordsByExporter.size(), "12 exporters x 2 source IDs");
        for (int run = 0; run < 5; run++)
        {
            final RecordingAggregator sharded = runInterleaved(4, real);
            assertEquals(single.bytesByExporter, sharded.bytesByExporter, "run " + run);
            assertEquals(single.recordsByExporter, sharded.recordsByExporter, "run " + run);
        }
    }

    /**
     * 12 exporters (127.0.0.2-13), each with source IDs 1 and 2, send template then data back to
     * back, round-robin over exporters, then more data; a data set decoded before its template
     * would be counted as no_template and lose records.
     */
    private static RecordingAggregator runInterleaved(final int workers, final IntFunction<ShardDecoder> decoders)
        throws Exception
    {
        final RecordingAggregator aggregator = new RecordingAggregator();
        final List<DatagramSocket> exporters = new java.util.ArrayList<>();
        try (FlowCollector collector = FlowCollector.builder(settings(List.of("127.0.0.1"), workers, 4096))
            .aggregator(aggregator, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .decoders(decoders)
            .tickIntervalMs(NO_TICKS_MS)
            .start())
        {
            for (int e = 0; e < 12; e++)
            {
                exporters.add(sender("127.0.0." + (e + 2)));
            }
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            final int port = collector.boundListeners().get(0).port();
            int sent = 0;
            for (int round = 0; round < 4; round++)
            {
                for (int e = 0; e < exporters.size(); e++)
                {
                    for (int sourceId = 1; sourceId <= 2; sourceId++)
                    {
                        if (round == 0)
                        {
                            send(exporters.get(e), to, port, V9Datagrams.template(sourceId, sent, TEMPLATE_ID));
                            sent++;
                        }
                        send(exporters.get(e), to, port,
                            V9Datagrams.data(sourceId, sent, TEMPLATE_ID, e * 1000 + sourceId * 10 + round, 7));
                        sent++;
                    }
                }
            }
            final int expected = sent;
            awaitTrue(() -> received(collector) == expected);
            collector.close();
            assertEquals(expected, collector.aggregation().datagrams());
            long noTemplate = 0;
            for (final DecodeHandler shard : collector.shards())
            {
                noTemplate += shard.decodeCounters().errors(FlowType.NETFLOW_V9, DecodeError.NO_TEMPLATE);
            }
            assertEquals(0, noTemplate);
            assertEquals(12 * 2 * 4 * 2, collector.aggregation().flowRecords());
        }
        finally
        {
            exporters.forEach(DatagramSocket::close);
        }
        return aggregator;
    }

    @Test
    void shouldReceiveOnIpv6LoopbackListener() throws Exception
    {
        final RecordingAggregator aggregator = new RecordingAggregator();
        try (FlowCollector collector = start(settings(List.of("::1"), 1, 64), aggregator);
            DatagramSocket exporter = sender("::1"))
        {
            final BoundListener l = collector.boundListeners().get(0);
            assertEquals("::1", l.address());
            final InetAddress to = InetAddress.getByName("::1");
            send(exporter, to, l.port(), V9Datagrams.template(9, 0, TEMPLATE_ID));
            send(exporter, to, l.port(), V9Datagrams.data(9, 1, TEMPLATE_ID, 1234));
            awaitTrue(() -> aggregator.recordsByExporter.containsKey("1/9"));
            collector.close();
            assertEquals(Long.valueOf(1234), aggregator.bytesByExporter.get("1/9"));
        }
    }

    @Test
    void shouldReceiveIpv4AndIpv6WhenBothWildcardsShareOnePort() throws Exception
    {
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0))
        {
            port = probe.getLocalPort();
        }
        final Settings s = PipelineFixture.settings(
            new io.goflow.exporter.config.ServerSettings(
                port, -1, -1, List.of("0.0.0.0", "::"), "", List.of(), 0, "/metrics", "127.0.0.1"),
            1, 64, io.goflow.exporter.config.MetricsSettings.defaults());
        final RecordingAggregator aggregator = new RecordingAggregator();
        try (FlowCollector collector = start(s, aggregator);
            DatagramSocket v4 = sender("127.0.0.1");
            DatagramSocket v6 = sender("::1"))
        {
            assertTrue(collector.boundListeners().stream().allMatch(l -> l.port() == port));
            assertEquals("::", collector.boundListeners().get(0).address());
            send(v4, InetAddress.getByName("127.0.0.1"), port, V9Datagrams.template(1, 0, TEMPLATE_ID));
            send(v4, InetAddress.getByName("127.0.0.1"), port, V9Datagrams.data(1, 1, TEMPLATE_ID, 44));
            send(v6, InetAddress.getByName("::1"), port, V9Datagrams.template(2, 0, TEMPLATE_ID));
            send(v6, InetAddress.getByName("::1"), port, V9Datagrams.data(2, 1, TEMPLATE_ID, 66));
            awaitTrue(() -> received(collector) == 4);
            collector.close();
            assertEquals(Long.valueOf(44), aggregator.bytesByExporter.get("ffff7f000001/1"));
            assertEquals(Long.valueOf(66), aggregator.bytesByExporter.get("1/2"));
        }
    }

    @Test
    void shouldBindEveryAddressOfLoopbackInterface() throws Exception
    {
        final Settings s = PipelineFixture.settings(
            new io.goflow.exporter.config.ServerSettings(0, -1, -1, List.of(), "lo", List.of(), 0, "/metrics", ""),
            1, 64, io.goflow.exporter.config.MetricsSettings.defaults());
        final RecordingAggregator aggregator = new RecordingAggregator();
        try (FlowCollector collector = start(s, aggregator); DatagramSocket exporter = sender("127.0.0.1"))
        {
            final BoundListener v4 = collector.boundListeners().stream()
                .filter(l -> l.address().equals("127.0.0.1")).findFirst().orElseThrow();
            assertTrue(collector.boundListeners().stream().allMatch(l -> l.address().startsWith("127.") ||
                l.address().equals("::1")), collector.boundListeners().toString());
            send(exporter, InetAddress.getByName("127.0.0.1"), v4.port(), V9Datagrams.template(3, 0, TEMPLATE_ID));
            awaitTrue(() -> received(collector) == 1);
        }
    }

    @Test
    void shouldDrainEveryDatagramAlreadyInTheRingOnClose() throws Exception
    {
        final StallingAggregator aggregator = new StallingAggregator();
        final FlowCollector collector = start(settings(List.of("127.0.0.1"), 2, 64), aggregator);
        try (DatagramSocket exporter = sender("127.0.0.1"))
        {
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            final int port = collector.boundListeners().get(0).port();
            send(exporter, to, port, V9Datagrams.template(1, 0, TEMPLATE_ID));
            assertTrue(aggregator.stalled.await(PipelineFixture.WAIT_LIMIT_MS, TimeUnit.MILLISECONDS));
            for (int i = 1; i <= 30; i++)
            {
                send(exporter, to, port, V9Datagrams.data(1, i, TEMPLATE_ID, i));
            }
            awaitTrue(() -> received(collector) == 31);
            final Thread closer = new Thread(collector::close);
            closer.start();
            awaitTrue(() -> !collector.isReady() && !collector.readers().get(0).isReceiving());
            aggregator.release.countDown();
            closer.join(PipelineFixture.WAIT_LIMIT_MS);
            assertFalse(closer.isAlive());
        }
        assertEquals(0, collector.readers().get(0).counters().totalDropped());
        assertEquals(31, collector.aggregation().datagrams());
        assertEquals(30 * 31 / 2L, aggregator.bytesByExporter.get("ffff7f000001/1"));
    }

    @Test
    void shouldCountExceptionAndKeepProcessingWhenEnricherThrows() throws Exception
    {
        final RecordingAggregator aggregator = new RecordingAggregator();
        final FlowCollector collector = FlowCollector.builder(settings(List.of("127.0.0.1"), 2, 64))
            .aggregator(aggregator, List.of())
            .decoders(shard -> new MiniV9Decoder())
            .enrichers(() -> record ->
            {
                if (record.bytes == 13)
                {
                    throw new IllegalStateException("enricher failure injected by test");
                }
            })
            .tickIntervalMs(NO_TICKS_MS)
            .start();
        try (collector; DatagramSocket exporter = sender("127.0.0.1"))
        {
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            final int port = collector.boundListeners().get(0).port();
            send(exporter, to, port, V9Datagrams.template(1, 0, TEMPLATE_ID));
            for (int bytes = 10; bytes <= 15; bytes++)
            {
                send(exporter, to, port, V9Datagrams.data(1, bytes, TEMPLATE_ID, bytes));
            }
            awaitTrue(() -> received(collector) == 7);
            collector.close();
            assertEquals(1, collector.exceptionHandler().exceptions());
            assertEquals(7, collector.aggregation().datagrams());
            assertEquals(5, collector.aggregation().flowRecords());
            assertEquals(5, collector.shards().stream().mapToLong(h -> h.counters().totalParsedRecords()).sum(),
                "the failed datagram's record is not counted as parsed");
            assertEquals(10 + 11 + 12 + 14 + 15L, aggregator.bytesByExporter.get("ffff7f000001/1"));
        }
    }

    private static long processed(final FlowCollector collector)
    {
        long n = 0;
        for (final DecodeHandler shard : collector.shards())
        {
            n += shard.counters().totalProcessed();
        }
        return n;
    }

    static FlowCollector start(final Settings settings, final RecordingAggregator aggregator) throws Exception
    {
        return FlowCollector.builder(settings)
            .aggregator(aggregator, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .decoders(shard -> new MiniV9Decoder())
            .tickIntervalMs(NO_TICKS_MS)
            .start();
    }

    /** Blocks the aggregation thread at its first flush until released. */
    static final class StallingAggregator extends RecordingAggregator
    {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onEndOfBatch(final long nowNs)
        {
            stalled.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
