package io.goflow.exporter.runtime;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.aggregate.FlowAggregator;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decode.ShardDecoder;
import io.goflow.exporter.decode.V9Datagrams;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;
import java.nio.file.Path;
import java.util.function.IntFunction;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.goflow.exporter.runtime.PipelineFixture.received;
import static io.goflow.exporter.runtime.PipelineFixture.send;
import static io.goflow.exporter.runtime.PipelineFixture.sender;
import static io.goflow.exporter.runtime.PipelineFixture.settings;
import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bytes allocated by the pipeline's own threads (readers, shards, aggregation) per datagram in
 * steady state, from {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: first with
 * a stand-in decoder that allocates nothing and emits two records per datagram (receive, ring
 * handoff, record copy and aggregation dispatch only), then with the real decoder and aggregation.
 */
class SteadyStateAllocationTest
{
    /** Ring of 1,024 slots: warm-up must pass every slot once so that each has grown. */
    private static final int QUEUE_SIZE = 1024;
    private static final int WARM_UP = 4 * QUEUE_SIZE;
    private static final int MEASURED = 20_000;

    @Test
    void shouldNotAllocatePerDatagramInReaderAndHandlersWhenWarm() throws Exception
    {
        final byte[] datagram = V9Datagrams.data(1, 1, 300, 1, 2);
        final double bytesPerDatagram = measure(1, List.of(datagram), shard -> new TwoRecordDecoder(), null);
        assertTrue(bytesPerDatagram < 1.0, bytesPerDatagram + " B/datagram");
    }

    /**
     * The same with the real stages: the v9 decoder on the softflowd v9 capture (about 26 records
     * per datagram) and the aggregation engine with the default views. The decoders publish an
     * exporter statistics snapshot once a second (about 13 KB); the allowance of 64 B per datagram
     * covers that for a run of over a minute, while one small object per record would already
     * cost about 400 B per datagram.
     */
    @Test
    void shouldNotAllocatePerDatagramWithRealDecoderAndAggregationWhenWarm() throws Exception
    {
        final Settings s = settings(List.of("127.0.0.1"), 2, QUEUE_SIZE);
        final AggregationEngine engine = new AggregationEngine(s.aggregation(), s.metrics(), new SystemEpochNanoClock());
        final List<byte[]> capture = new java.util.ArrayList<>();
        try (PcapReader reader = PcapReader.open(Path.of(System.getProperty("shared.dir", "../shared"),
            "testdata", "exports", "softflowd_v9.pcap")))
        {
            final UdpDatagram d = new UdpDatagram();
            while (reader.next(d))
            {
                final byte[] payload = new byte[d.payloadLength];
                d.buffer.getBytes(d.payloadOffset, payload);
                capture.add(payload);
            }
        }
        final double bytesPerDatagram = measure(1, capture,
            shard -> ShardDecoder.of(new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters())), engine);
        assertTrue(bytesPerDatagram < 64.0, bytesPerDatagram + " B/datagram");
    }

    /**
     * Known cost: the JDK caches only the last sender's {@link java.net.InetSocketAddress}, so when
     * exporters alternate on one socket {@code DatagramChannel.receive} allocates one (about
     * 120 bytes with its {@code Inet4Address}) per change of sender. Nothing else allocates.
     */
    @Test
    void shouldAllocateOnlyTheJdkSenderAddressWhenExportersAlternate() throws Exception
    {
        final byte[] datagram = V9Datagrams.data(1, 1, 300, 1, 2);
        final double bytesPerDatagram = measure(2, List.of(datagram), shard -> new TwoRecordDecoder(), null);
        assertTrue(bytesPerDatagram <= 160, bytesPerDatagram + " B/datagram");
    }

    /**
     * @param datagrams  sent in turn, over and over.
     * @param aggregator null for none.
     * @return bytes allocated by the pipeline's threads per datagram after warm-up.
     */
    private static double measure(
        final int senders, final List<byte[]> datagrams, final IntFunction<ShardDecoder> decoders,
        final FlowAggregator aggregator) throws Exception
    {
        final List<DatagramSocket> exporters = new java.util.ArrayList<>();
        try (FlowCollector collector = FlowCollector.builder(settings(List.of("127.0.0.1"), 2, QUEUE_SIZE))
            .aggregator(aggregator == null ? FlowCollector.NO_AGGREGATION : aggregator, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .decoders(decoders)
            .tickIntervalMs(3_600_000)
            .start())
        {
            for (int i = 0; i < senders; i++)
            {
                exporters.add(sender("127.0.0." + (i + 1)));
            }
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            final int port = collector.boundListeners().get(0).port();
            pump(collector, exporters, to, port, datagrams, WARM_UP);
            final Map<String, Long> before = allocatedByPipelineThreads();
            final long aggregatedBefore = collector.aggregation().datagrams();
            pump(collector, exporters, to, port, datagrams, MEASURED);
            final Map<String, Long> after = allocatedByPipelineThreads();
            final long aggregated = collector.aggregation().datagrams() - aggregatedBefore;
            long total = 0;
            final StringBuilder report = new StringBuilder();
            for (final Map.Entry<String, Long> e : after.entrySet())
            {
                final long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                total += delta;
                report.append(e.getKey()).append('=').append(delta).append(" B; ");
            }
            System.out.printf("allocation, %d sender(s), over %d datagrams: %s total %.3f B/datagram%n",
                senders, aggregated, report, (double)total / aggregated);
            assertEquals(MEASURED, aggregated);
            assertEquals(0, PipelineFixture.droppedByReaders(collector), "every datagram reached aggregation");
            return (double)total / aggregated;
        }
        finally
        {
            exporters.forEach(DatagramSocket::close);
        }
    }

    /** Sends {@code n} datagrams, pacing to the pipeline so the ring never fills. */
    private static void pump(
        final FlowCollector collector, final List<DatagramSocket> exporters, final InetAddress to, final int port,
        final List<byte[]> datagrams, final int n) throws Exception
    {
        final long start = received(collector);
        for (int i = 0; i < n; i++)
        {
            send(exporters.get(i % exporters.size()), to, port, datagrams.get(i % datagrams.size()));
            if ((i & 255) == 255)
            {
                final long target = start + i + 1;
                awaitTrue(() -> collector.aggregation().datagrams() >= target);
            }
        }
        final long target = start + n;
        awaitTrue(() -> collector.aggregation().datagrams() >= target);
    }

    private static Map<String, Long> allocatedByPipelineThreads()
    {
        final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Map<String, Long> bytes = new TreeMap<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().startsWith("goflow-recv") || t.getName().startsWith("goflow-ring"))
            {
                bytes.put(t.getName(), mx.getThreadAllocatedBytes(t.getId()));
            }
        }
        return bytes;
    }

    /** Emits two fixed records per datagram from one preallocated record; allocates nothing. */
    private static final class TwoRecordDecoder implements ShardDecoder
    {
        private final DecodeCounters counters = new DecodeCounters();
        private final FlowRecord record = new FlowRecord();

        @Override
        public int decode(
            final DatagramSource source, final DirectBuffer buffer, final int offset, final int length,
            final FlowSink sink)
        {
            counters.datagram(FlowType.NETFLOW_V9);
            for (int i = 0; i < 2; i++)
            {
                record.reset();
                record.type = FlowType.NETFLOW_V9;
                record.samplerAddrLo = source.exporterAddrLo();
                record.bytes = length + i;
                counters.record(FlowType.NETFLOW_V9);
                sink.onFlowRecord(record);
            }
            return 2;
        }

        @Override
        public void onTimer(final long nowNs)
        {
        }

        @Override
        public DecodeCounters counters()
        {
            return counters;
        }
    }
}
