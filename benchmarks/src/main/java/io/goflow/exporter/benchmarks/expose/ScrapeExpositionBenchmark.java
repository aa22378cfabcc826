package io.goflow.exporter.benchmarks.expose;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.benchmarks.Captures;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.expose.AggregationStateCollector;
import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.goflow.exporter.expose.ScrapeExposition;
import io.prometheus.client.CollectorRegistry;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Prometheus scrape of the aggregation at 10k and 100k live series (4 windows, eleven
 * dimensions), into a writer that only counts characters:
 * <ul>
 *   <li>{@link #scrape}: the product's whole scrape, {@code ScrapeExposition} over a registry
 *       holding {@code AggregationStateCollector} and then the streamed flow series;</li>
 *   <li>{@link #streamingWriter}: the flow series alone, {@code FlowSeriesTextWriter.of(engine)}.</li>
 * </ul>
 * (Until issue 16, {@code scrape} measured simpleclient's {@code collect()} + {@code TextFormat.write004}
 * of a collector that built sample objects for every series; that second rendering is gone, its
 * figures stay in BENCHMARKS.md's history.)
 * Time per scrape in ms; run with {@code -prof gc} for bytes allocated per scrape
 * ({@code gc.alloc.rate.norm}).
 *
 * <p>Series come from the softflowd v9 capture's records with source addresses varied as in
 * {@code AggregationUpdateBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScrapeExpositionBenchmark
{
    static final String CAPTURE = "softflowd_v9.pcap";
    static final int DISTINCT_FIVE_TUPLES = 6009;

    @Param({"10000", "100000"})
    public int series;

    private AggregationEngine engine;
    private FlowSeriesTextWriter streaming;
    private ScrapeExposition exposition;
    private final CountingWriter writer = new CountingWriter();

    /** Counts characters and keeps nothing. */
    static final class CountingWriter extends Writer
    {
        long chars;

        @Override
        public void write(final char[] buffer, final int offset, final int length)
        {
            chars += length;
        }

        @Override
        public void write(final String text, final int offset, final int length)
        {
            chars += length;
        }

        @Override
        public void write(final int c)
        {
            chars++;
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        final List<FlowRecord> decoded = Captures.flowRecords(CAPTURE);
        final AggregationSettings d = AggregationSettings.defaults();
        final AggregationSettings settings = new AggregationSettings(
            d.timeWindowsNs(), d.dimensions(), d.bandwidthWindowNs(), series, d.seriesTtlNs(), false, 0, List.of());
        engine = new AggregationEngine(settings, MetricsSettings.defaults(), new SystemEpochNanoClock());
        final long nowNs = System.currentTimeMillis() * 1_000_000L;
        final int variants = (series + DISTINCT_FIVE_TUPLES - 1) / DISTINCT_FIVE_TUPLES;
        for (int v = 0; v < variants; v++)
        {
            for (final FlowRecord r : decoded)
            {
                final long lo = r.srcAddrLo;
                r.srcAddrLo = lo ^ v;
                engine.onFlowRecord(r, nowNs);
                r.srcAddrLo = lo;
            }
        }
        engine.onEndOfBatch(nowNs);
        streaming = FlowSeriesTextWriter.of(engine);
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(AggregationStateCollector.of(engine));
        exposition = new ScrapeExposition(registry, streaming);
    }

    @Benchmark
    public long scrape() throws IOException
    {
        writer.chars = 0;
        exposition.write(writer);
        return writer.chars;
    }

    @Benchmark
    public long streamingWriter() throws IOException
    {
        writer.chars = 0;
        streaming.write(writer);
        return writer.chars;
    }
}
