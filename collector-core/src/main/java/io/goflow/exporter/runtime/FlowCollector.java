package io.goflow.exporter.runtime;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.aggregate.AggregationHandler;
import io.goflow.exporter.aggregate.FlowAggregator;
import io.goflow.exporter.config.PerformanceSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decode.DecodeHandler;
import io.goflow.exporter.decode.ShardDecoder;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.template.StateBudget;
import io.goflow.exporter.enrich.EnrichmentService;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.expose.AggregationStateCollector;
import io.goflow.exporter.expose.EnrichmentCollector;
import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.goflow.exporter.expose.HttpCounters;
import io.goflow.exporter.expose.PipelineMetricsCollector;
import io.goflow.exporter.receive.BoundListener;
import io.goflow.exporter.receive.DatagramReader;
import io.goflow.exporter.receive.KernelUdpDrops;
import io.goflow.exporter.receive.ListenerPlan;
import io.goflow.exporter.receive.ListenerSpec;
import io.goflow.exporter.receive.ReceiveBufferAdvisor;
import io.goflow.exporter.ring.CountingExceptionHandler;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.ring.RecordPool;
import io.goflow.exporter.ring.RingOverflow;
import io.goflow.exporter.ring.RingStats;
import io.goflow.exporter.ring.Rings;
import io.goflow.exporter.ring.TickPublisher;
import io.prometheus.client.Collector;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The running collector: listeners, ring, decode/enrich shards and aggregation, built from one
 * {@link Settings}. The application starts it, registers {@link #collectors()} with the HTTP
 * endpoint's registry, and closes it on SIGTERM/SIGINT.
 *
 * <h2>Topology</h2>
 * <pre>
 *   reader (protocol, address, port) ──┐                       ┌─ DecodeHandler 0 ─┐
 *   reader ... (one thread each)     ──┼─ tryNext ─▶ ring ──▶──┼─ ...              ├─▶ AggregationHandler
 *   tick thread (every tick interval)──┘   (MULTI producer)    └─ DecodeHandler N-1┘   (single writer)
 * </pre>
 * Ring size is {@code performance.queue_size} rounded up to a power of two. Readers never block on
 * the ring: when it is full they count {@code queue_full} and drop. Decoded records live in one
 * {@link RecordPool} per shard (65,536 records over all shards by default, about 40 MiB), so
 * record memory does not grow with the ring; a shard whose pool is empty waits for aggregation.
 *
 * <h2>Shutdown</h2>
 * {@link #close()} stops the readers and closes their sockets, then lets the handlers drain every
 * datagram already in the ring into the aggregation (bounded by {@link #DRAIN_TIMEOUT_MS}) before
 * halting them.
 */
public final class FlowCollector implements AutoCloseable
{
    /** Interval of {@link DatagramEvent.Kind#TICK} events: decoder housekeeping and idle flushes. */
    public static final long TICK_INTERVAL_MS_DEFAULT = 500;
    /** Longest wait for the ring to drain on close. */
    public static final long DRAIN_TIMEOUT_MS = 5_000;
    static final long READER_JOIN_TIMEOUT_MS = 2_000;

    private static final Logger LOG = LogManager.getLogger(FlowCollector.class);

    /** Aggregation that discards everything; used until an aggregation engine is supplied. */
    public static final FlowAggregator NO_AGGREGATION = new FlowAggregator()
    {
        @Override
        public void onFlowRecord(final FlowRecord record, final long nowNs)
        {
        }

        @Override
        public void onInterfaceCounters(final FlowRecord record, final long nowNs)
        {
        }

        @Override
        public void onEndOfBatch(final long nowNs)
        {
        }
    };

    private final Settings settings;
    private final Disruptor<DatagramEvent> disruptor;
    private final RingBuffer<DatagramEvent> ring;
    private final RingOverflow overflow;
    private final StateBudget budget;
    private final List<DatagramReader> readers;
    private final List<DecodeHandler> shards;
    private final AggregationHandler aggregation;
    private final CountingExceptionHandler exceptionHandler;
    private final List<Collector> collectors;
    private final List<AutoCloseable> resources;
    private final FlowSeriesTextWriter flowSeries;
    private final HttpCounters http = new HttpCounters();
    private final Thread tickThread;
    private final TickPublisher ticks;
    private volatile boolean ready;
    private volatile boolean closed;

    private FlowCollector(final Builder b) throws IOException
    {
        this.settings = b.settings;
        this.resources = List.copyOf(b.resources);
        this.flowSeries = b.flowSeries;
        this.budget = b.budget;
        final PerformanceSettings perf = settings.performance();
        if (perf.workerCount() < 1)
        {
            throw new IllegalArgumentException("performance.worker_count must be >= 1, got " + perf.workerCount());
        }
        final int ringSize = Rings.ringSize(perf.queueSize());
        final int recordsPerShard = b.recordsPerShard > 0 ? b.recordsPerShard :
            RecordPool.defaultCapacity(perf.workerCount());
        final EpochNanoClock clock = b.clock;
        final List<ListenerSpec> specs = ListenerPlan.resolve(settings.server());
        if (specs.isEmpty())
        {
            throw new IllegalArgumentException("server: no listener configured");
        }

        exceptionHandler = new CountingExceptionHandler(clock);
        overflow = new RingOverflow(perf.ringOverflowBytes());
        disruptor = new Disruptor<>(
            new DatagramEventFactory(settings.decoder().maxRecordsPerDatagram(), perf.ringSlotBytes()),
            ringSize,
            new NamedThreadFactory("goflow-ring-"),
            ProducerType.MULTI,
            Rings.waitStrategy(perf.waitStrategy()));
        disruptor.setDefaultExceptionHandler(exceptionHandler);
        final List<DecodeHandler> handlers = new ArrayList<>();
        for (int i = 0; i < perf.workerCount(); i++)
        {
            handlers.add(new DecodeHandler(i, b.decoders.apply(i), b.enrichers.get(), clock, new RecordPool(recordsPerShard)));
        }
        shards = List.copyOf(handlers);
        aggregation = new AggregationHandler(b.aggregator, clock, perf.batchSize());
        disruptor.handleEventsWith(handlers.toArray(new DecodeHandler[0])).then(aggregation);
        ring = disruptor.start();
        ticks = new TickPublisher(ring, clock);

        final List<DatagramReader> bound = new ArrayList<>();
        try
        {
            bindAll(specs, bound, clock, perf);
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final DatagramReader reader : bound)
            {
                reader.close(READER_JOIN_TIMEOUT_MS);
            }
            disruptor.halt();
            throw ex;
        }
        readers = List.copyOf(bound);
        for (int i = 0; i < readers.size(); i++)
        {
            final BoundListener l = readers.get(i).bound();
            readers.get(i).start("goflow-recv-" + l.protocol().configName() + "-" + l.port() + "-" + i);
        }

        final List<Collector> all = new ArrayList<>();
        all.add(new PipelineMetricsCollector(
            settings.metrics(), readers, shards, aggregation, new RingStats(ring, overflow, exceptionHandler), budget,
            new KernelUdpDrops(), http));
        all.addAll(b.aggregatorCollectors);
        collectors = List.copyOf(all);

        final long tickMs = b.tickIntervalMs;
        final ReceiveBufferAdvisor advisor = new ReceiveBufferAdvisor(readers, new KernelUdpDrops(), System.nanoTime());
        tickThread = new Thread(() -> tickLoop(clock, tickMs, advisor), "goflow-tick");
        tickThread.setDaemon(true);
        tickThread.start();
        LOG.info("Pipeline started: {} listener(s), {} decode shard(s) with {} records each, ring of {} slots " +
            "(queue_size {}) of {} bytes plus {} overflow units of {} bytes, {} wait", readers.size(), shards.size(),
            recordsPerShard, ringSize, perf.queueSize(), perf.ringSlotBytes(), overflow.units(),
            RingOverflow.UNIT_BYTES, perf.waitStrategy());
        ready = true;
    }

    /**
     * Builds and starts everything (aggregation engine, enrichment service with its database
     * watcher, listeners), binding every listener before returning.
     *
     * @throws IOException when a listener cannot be bound (message names address and port).
     */
    public static FlowCollector start(final Settings settings) throws IOException
    {
        final EpochNanoClock clock = new OffsetEpochNanoClock();
        final AggregationEngine engine = new AggregationEngine(settings.aggregation(), settings.metrics(), clock);
        final EnrichmentService enrichment = EnrichmentService.open(settings.enrichment());
        try
        {
            final FlowCollector collector = builder(settings)
                .clock(clock)
                .aggregator(engine, List.of(
                    AggregationStateCollector.of(engine), new EnrichmentCollector(enrichment, settings.metrics())))
                .flowSeries(FlowSeriesTextWriter.of(engine))
                .enrichers(enrichment::newShardEnricher)
                .closeWith(enrichment)
                .closeWith(engine)
                .start();
            engine.start();
            return collector;
        }
        catch (final IOException | RuntimeException ex)
        {
            enrichment.close();
            engine.close();
            throw ex;
        }
    }

    /** @return a builder to supply the aggregation, enrichment and (in tests) decoders and clock. */
    public static Builder builder(final Settings settings)
    {
        return new Builder(settings);
    }

    /** @return the Prometheus collectors serving every metric of this collector. */
    public List<Collector> collectors()
    {
        return collectors;
    }

    /**
     * @return the writer that streams the per-series flow metrics (counters, bandwidth and window
     * gauges of every view) as text at scrape time, to be served after {@link #collectors()}; null
     * when the aggregation supplied none (then everything is in {@link #collectors()}).
     */
    public FlowSeriesTextWriter flowSeries()
    {
        return flowSeries;
    }

    /** @return the HTTP endpoint's counters, exported with the pipeline's self-metrics. */
    public HttpCounters httpCounters()
    {
        return http;
    }

    /** @return true once every listener is bound and the pipeline runs, false after close. */
    public boolean isReady()
    {
        return ready;
    }

    public Settings settings()
    {
        return settings;
    }

    /** @return every listener as bound, in bind order (ports resolved when 0 was configured). */
    public List<BoundListener> boundListeners()
    {
        final List<BoundListener> list = new ArrayList<>(readers.size());
        for (final DatagramReader reader : readers)
        {
            list.add(reader.bound());
        }
        return list;
    }

    /** @return the aggregation handler (counts of datagrams and records aggregated). */
    public AggregationHandler aggregation()
    {
        return aggregation;
    }

    /** @return the decode shards, in index order. */
    public List<DecodeHandler> shards()
    {
        return shards;
    }

    /** @return the readers, in bind order. */
    public List<DatagramReader> readers()
    {
        return readers;
    }

    public RingBuffer<DatagramEvent> ring()
    {
        return ring;
    }

    /** @return the v9/IPFIX exporter-state caps shared by the default decoders of every shard. */
    public StateBudget stateBudget()
    {
        return budget;
    }

    /** @return the ring's area for datagrams larger than a slot. */
    public RingOverflow ringOverflow()
    {
        return overflow;
    }

    public CountingExceptionHandler exceptionHandler()
    {
        return exceptionHandler;
    }

    /**
     * Stops receiving, drains the ring into the aggregates, halts the handlers. Datagrams already
     * in the ring are aggregated unless draining takes longer than {@link #DRAIN_TIMEOUT_MS}.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        ready = false;
        for (final DatagramReader reader : readers)
        {
            reader.close(READER_JOIN_TIMEOUT_MS);
        }
        tickThread.interrupt();
        try
        {
            tickThread.join(READER_JOIN_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        ticks.publishTick();
        try
        {
            disruptor.shutdown(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            LOG.warn("Ring not drained within {} ms: {} slot(s) left unaggregated",
                DRAIN_TIMEOUT_MS, ring.getBufferSize() - ring.remainingCapacity());
            for (final DecodeHandler shard : shards)
            {
                shard.halt();
            }
            disruptor.halt();
        }
        for (final AutoCloseable resource : resources)
        {
            try
            {
                resource.close();
            }
            catch (final Exception ex)
            {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), ex.toString());
            }
        }
        LOG.info("Pipeline stopped: {} datagram(s) aggregated", aggregation.datagrams());
    }

    private void bindAll(
        final List<ListenerSpec> specs, final List<DatagramReader> bound, final EpochNanoClock clock,
        final PerformanceSettings perf) throws IOException
    {
        final long kernelDefault = ReceiveBufferAdvisor.kernelDefaultBytes();
        final int request = ReceiveBufferAdvisor.requestBytes(perf.bufferSizeBytes(), kernelDefault);
        if (request != perf.bufferSizeBytes())
        {
            LOG.info("performance.buffer_size {} is below the kernel default net.core.rmem_default {}: requesting {} "
                + "(asking for less than the default would only lose datagrams)", perf.bufferSizeBytes(), kernelDefault,
                request);
        }
        for (final ListenerSpec spec : specs)
        {
            final DatagramReader reader = new DatagramReader(spec, ring, overflow, perf.workerCount(), clock, request);
            try
            {
                reader.bind();
            }
            catch (final IOException ex)
            {
                final BoundListener dualStack = coveringDualStack(spec, bound);
                if (dualStack != null && ex.getCause() instanceof BindException)
                {
                    LOG.info("Listener {}: IPv4 already received by dual-stack [::]:{} ({}), not bound separately",
                        spec.describe(), dualStack.port(), dualStack.protocol().configName());
                    continue;
                }
                throw ex;
            }
            bound.add(reader);
            final BoundListener l = reader.bound();
            LOG.info("Listening: protocol={} address={} port={} rcvbuf={} bytes granted (requested {})",
                l.protocol().configName(), l.address(), l.port(), l.receiveBufferBytes(), request);
            if (reader.receiveBufferCapped())
            {
                LOG.warn("Kernel capped SO_RCVBUF of {} at {} bytes (requested {}); raise the cap with: " +
                    "sysctl -w net.core.rmem_max={}", spec.describe(), l.receiveBufferBytes(), request, request);
            }
        }
    }

    /**
     * @return the bound IPv6 wildcard listener of the same protocol and port as IPv4-wildcard
     * {@code spec}, which (dual-stack) already receives its IPv4 traffic; null when there is none.
     */
    private static BoundListener coveringDualStack(final ListenerSpec spec, final List<DatagramReader> bound)
    {
        if (!(spec.bindAddress() instanceof Inet4Address) || !spec.bindAddress().isAnyLocalAddress() || spec.port() == 0)
        {
            return null;
        }
        for (final DatagramReader reader : bound)
        {
            final BoundListener l = reader.bound();
            if (l.dualStack() && l.port() == spec.port() && l.protocol() == spec.protocol())
            {
                return l;
            }
        }
        return null;
    }

    private void tickLoop(final EpochNanoClock clock, final long tickMs, final ReceiveBufferAdvisor advisor)
    {
        while (!closed)
        {
            try
            {
                Thread.sleep(tickMs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            if (clock instanceof OffsetEpochNanoClock)
            {
                ((OffsetEpochNanoClock)clock).sample();
            }
            ticks.publishTick();
            advisor.check(System.nanoTime());
        }
    }

    /** Options for {@link FlowCollector}; {@link #start()} builds and starts it. */
    public static final class Builder
    {
        private final Settings settings;
        private FlowAggregator aggregator = NO_AGGREGATION;
        private List<Collector> aggregatorCollectors = List.of();
        private Supplier<FlowEnricher> enrichers = () -> FlowEnricher.NONE;
        private final List<AutoCloseable> resources = new ArrayList<>();
        private FlowSeriesTextWriter flowSeries;
        private IntFunction<ShardDecoder> decoders;
        private final StateBudget budget;
        private EpochNanoClock clock = new OffsetEpochNanoClock();
        private long tickIntervalMs = TICK_INTERVAL_MS_DEFAULT;
        private int recordsPerShard;

        private Builder(final Settings settings)
        {
            this.settings = Objects.requireNonNull(settings, "settings");
            budget = StateBudget.of(settings.decoder());
            decoders = shard -> ShardDecoder.of(new DatagramDecoder(settings.decoder(), new DecodeCounters(), budget));
        }

        /** The aggregation stage and the collectors exposing it. */
        public Builder aggregator(final FlowAggregator aggregator, final List<Collector> collectors)
        {
            this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
            this.aggregatorCollectors = List.copyOf(collectors);
            return this;
        }

        /**
         * Streams the per-series flow metrics at scrape time, bypassing simpleclient's sample
         * objects (see {@link FlowCollector#flowSeries()}).
         */
        public Builder flowSeries(final FlowSeriesTextWriter flowSeries)
        {
            this.flowSeries = Objects.requireNonNull(flowSeries, "flowSeries");
            return this;
        }

        /** Adds a resource closed after the ring has drained on {@link FlowCollector#close()}. */
        public Builder closeWith(final AutoCloseable resource)
        {
            this.resources.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        /** Called once per shard for that shard's own enricher. */
        public Builder enrichers(final Supplier<FlowEnricher> enrichers)
        {
            this.enrichers = Objects.requireNonNull(enrichers, "enrichers");
            return this;
        }

        /** Called once per shard index for that shard's decoder (tests script decoders here). */
        public Builder decoders(final IntFunction<ShardDecoder> decoders)
        {
            this.decoders = Objects.requireNonNull(decoders, "decoders");
            return this;
        }

        public Builder clock(final EpochNanoClock clock)
        {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Records each shard may have in flight ({@link RecordPool}). Default
         * {@link RecordPool#defaultCapacity(int)}: 65,536 over all shards, at least 512 each.
         */
        public Builder recordsPerShard(final int recordsPerShard)
        {
            this.recordsPerShard = recordsPerShard;
            return this;
        }

        public Builder tickIntervalMs(final long tickIntervalMs)
        {
            this.tickIntervalMs = tickIntervalMs;
            return this;
        }

        /** @throws IOException when a listener cannot be bound. */
        public FlowCollector start() throws IOException
        {
            return new FlowCollector(this);
        }
    }

    private static final class NamedThreadFactory implements ThreadFactory
    {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger();

        NamedThreadFactory(final String prefix)
        {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(final Runnable r)
        {
            final Thread t = new Thread(r, prefix + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        }
    }
}
