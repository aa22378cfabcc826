package io.goflow.exporter.benchmarks.ring;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.goflow.exporter.aggregate.AggregationHandler;
import io.goflow.exporter.aggregate.FlowAggregator;
import io.goflow.exporter.benchmarks.Captures;
import io.goflow.exporter.config.PerformanceSettings;
import io.goflow.exporter.decode.DecodeHandler;
import io.goflow.exporter.decode.ShardDecoder;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.dispatch.ProtocolDetector;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.ring.DatagramPublisher;
import io.goflow.exporter.ring.ProtocolSlot;
import io.goflow.exporter.ring.RecordPool;
import io.goflow.exporter.ring.RingOverflow;
import io.goflow.exporter.ring.Rings;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cost of the ring: publish → decode shard → aggregation handler, as {@code FlowCollector} wires
 * it (the readers' {@link DatagramPublisher}, per-shard {@link RecordPool}s of the default size),
 * against the same decode and aggregation done inline on one thread.
 *
 * <pre>
 *   benchmark thread ──publish──▶ Disruptor ring (MULTI producer, product wait strategy)
 *                                   ├─▶ DecodeHandler 0 ─┐
 *                                   └─▶ DecodeHandler W-1┴─▶ AggregationHandler ─▶ counting aggregator
 * </pre>
 * One invocation publishes the softflowd v9 capture once from each of two exporters (chosen to
 * land on different shards when {@code workers = 2}) and waits until the aggregation handler has
 * seen every datagram: 2 × 6,297 flow records (truth file), so the score is records per second.
 * Enrichment is off and the aggregator only sums bytes, so the difference to {@link #inline}
 * is decode on shard threads plus the handoffs. On a 2-core machine the publisher, W shards and
 * the aggregation thread share the cores, as they do in the collector. Setup cycles once through
 * the whole ring first, so every slot has grown its record array before measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(RingHandoffBenchmark.RECORDS_PER_INVOCATION)
public class RingHandoffBenchmark
{
    static final String CAPTURE = "softflowd_v9.pcap";
    static final int TRUTH_FLOWS = 6297;
    static final int EXPORTERS = 2;
    static final int RECORDS_PER_INVOCATION = EXPORTERS * TRUTH_FLOWS;

    @Param({"1", "2"})
    public int workers;

    @Param({"blocking", "yielding"})
    public String waitStrategy;

    private Captures.Payloads payloads;
    private ByteBuffer[] datagrams;
    private final long[] exporterLo = new long[EXPORTERS];
    private Disruptor<DatagramEvent> disruptor;
    private RingBuffer<DatagramEvent> ring;
    private DatagramPublisher publisher;
    private AggregationHandler aggregation;
    private CountingAggregator sink;
    private long published;

    private DatagramDecoder inlineDecoder;
    private final DatagramSource inlineSource = new DatagramSource();
    private InlineSink inlineSink;

    /** Sums bytes; stands for aggregation so that only the handoff is measured. */
    static final class CountingAggregator implements FlowAggregator
    {
        long bytes;

        @Override
        public void onFlowRecord(final FlowRecord record, final long nowNs)
        {
            bytes += record.bytes;
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

    /** What {@code DecodeHandler} does per record, then what the aggregation handler does, inline. */
    static final class InlineSink implements FlowSink
    {
        final FlowRecord slot = new FlowRecord();
        final CountingAggregator aggregator = new CountingAggregator();

        @Override
        public void onFlowRecord(final FlowRecord record)
        {
            slot.copyFrom(record);
            FlowEnricher.NONE.enrich(slot);
            aggregator.onFlowRecord(slot, 0);
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        payloads = Captures.payloads(CAPTURE);
        datagrams = new ByteBuffer[payloads.count()];
        for (int i = 0; i < datagrams.length; i++)
        {
            final byte[] bytes = new byte[payloads.lengths[i]];
            payloads.buffer.getBytes(payloads.offsets[i], bytes);
            datagrams[i] = ByteBuffer.wrap(bytes);
        }
        exporterLo[0] = Captures.EXPORTER_LO;
        exporterLo[1] = Captures.EXPORTER_LO;
        final long domain = ProtocolDetector.domainId(payloads.buffer, payloads.offsets[0], payloads.lengths[0]);
        for (int candidate = 2; candidate < 256; candidate++)
        {
            final long lo = FlowRecord.ipv4MappedLo(0x7F00_0000 | candidate);
            if (workers == 1 || ProtocolSlot.shard(0, lo, domain, workers) != ProtocolSlot.shard(0, exporterLo[0], domain, workers))
            {
                exporterLo[1] = lo;
                break;
            }
        }

        final EpochNanoClock clock = new SystemEpochNanoClock();
        sink = new CountingAggregator();
        disruptor = new Disruptor<>(
            new DatagramEventFactory(DecoderSettings.MAX_RECORDS_PER_DATAGRAM_DEFAULT), Rings.ringSize(10_000),
            DaemonThreadFactory.INSTANCE, ProducerType.MULTI, Rings.waitStrategy(waitStrategy));
        final List<DecodeHandler> handlers = new ArrayList<>();
        for (int i = 0; i < workers; i++)
        {
            handlers.add(new DecodeHandler(
                i, ShardDecoder.of(new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters())), FlowEnricher.NONE, clock,
                new RecordPool(RecordPool.defaultCapacity(workers))));
        }
        aggregation = new AggregationHandler(sink, clock, 100);
        disruptor.handleEventsWith(handlers.toArray(new DecodeHandler[0])).then(aggregation);
        ring = disruptor.start();
        publisher = new DatagramPublisher(ring, new RingOverflow(PerformanceSettings.RING_OVERFLOW_BYTES_DEFAULT), workers);
        published = 0;
        while (published < ring.getBufferSize())
        {
            publishPass();
        }
        awaitDrained();
        final long before = aggregation.flowRecords();
        publishPass();
        awaitDrained();
        if (aggregation.flowRecords() - before != RECORDS_PER_INVOCATION)
        {
            throw new IllegalStateException("ring delivered " + (aggregation.flowRecords() - before) + " records per pass, expected " +
                RECORDS_PER_INVOCATION);
        }

        inlineDecoder = Captures.primedDecoder(payloads);
        inlineSink = new InlineSink();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        disruptor.halt();
    }

    @Benchmark
    public long ringHandoff()
    {
        publishPass();
        awaitDrained();
        return sink.bytes;
    }

    /** Baseline: the same decode, record copy and aggregation on the benchmark thread. */
    @Benchmark
    public long inline()
    {
        for (int e = 0; e < EXPORTERS; e++)
        {
            for (int i = 0; i < payloads.count(); i++)
            {
                inlineSource.set(ListenerProtocol.NETFLOW, 0, Captures.EXPORTER_LO, 2055, Captures.RECEIVED_NS);
                inlineDecoder.decode(
                    inlineSource, payloads.buffer, payloads.offsets[i], payloads.lengths[i], inlineSink);
            }
        }
        return inlineSink.aggregator.bytes;
    }

    /** Publishes through the readers' own path; a full ring is retried, not dropped. */
    private void publishPass()
    {
        for (int e = 0; e < EXPORTERS; e++)
        {
            for (int i = 0; i < datagrams.length; i++)
            {
                final ByteBuffer datagram = datagrams[i];
                final int length = datagram.limit();
                final int slot = ProtocolSlot.of(ProtocolDetector.detect(payloads.buffer, payloads.offsets[i], length));
                while (publisher.publish(datagram, length, slot, 0, exporterLo[e], 2055, ListenerProtocol.NETFLOW,
                    System.currentTimeMillis() * 1_000_000L) != DatagramPublisher.PUBLISHED)
                {
                    Thread.onSpinWait();
                }
                published++;
            }
        }
    }

    private void awaitDrained()
    {
        while (aggregation.datagrams() < published)
        {
            Thread.onSpinWait();
        }
    }
}
