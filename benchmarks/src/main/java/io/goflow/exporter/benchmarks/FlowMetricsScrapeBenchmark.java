package io.goflow.exporter.benchmarks;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.decoders.FlowRecord;
import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.prometheus.client.Collector;
import io.prometheus.client.exporter.common.TextFormat;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scrape cost for {@code series} live 5-tuple series with the four default windows (16 samples per
 * series): building simpleclient samples ({@link #collect}) and that plus the 0.0.4 text
 * exposition into a counting writer ({@link #collectAndFormat}), against the same text streamed from
 * the tables ({@link #streamText}). Run with {@code -prof gc} for the
 * garbage per scrape.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class FlowMetricsScrapeBenchmark
{
    @Param({"10000", "100000"})
    int series;

    private Collector collector;
    private FlowSeriesTextWriter textWriter;

    @Setup(Level.Trial)
    public void setUp()
    {
        final AggregationEngine engine = AggregationFixtures.engine(series);
        for (final FlowRecord record : AggregationFixtures.records(series, 7))
        {
            engine.onFlowRecord(record, AggregationFixtures.T0_NS);
        }
        collector = engine.collector();
        textWriter = engine.flowSeriesTextWriter();
    }

    @Benchmark
    public List<Collector.MetricFamilySamples> collect()
    {
        return collector.collect();
    }

    /** @return characters of exposition text written. */
    @Benchmark
    public long collectAndFormat() throws IOException
    {
        final CountingWriter writer = new CountingWriter();
        TextFormat.write004(writer, Collections.enumeration(collector.collect()));
        return writer.chars;
    }

    /** @return characters of exposition text streamed from the tables, without sample objects. */
    @Benchmark
    public long streamText() throws IOException
    {
        final CountingWriter writer = new CountingWriter();
        textWriter.write(writer);
        return writer.chars;
    }

    /** Discards text, counting it. */
    static final class CountingWriter extends Writer
    {
        long chars;

        @Override
        public void write(final char[] buffer, final int offset, final int length)
        {
            chars += length;
        }

        @Override
        public void write(final String text)
        {
            chars += text.length();
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
}
