package io.goflow.exporter.benchmarks;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.decoders.FlowRecord;
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

import java.util.concurrent.TimeUnit;

/**
 * Writer cost of {@link AggregationEngine#onFlowRecord}: one view of 5-tuples, the four default
 * windows, {@code liveKeys} series already in the table (all updates hit existing series), the clock
 * moving 1 µs per record so buckets rotate as in production.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class AggregationUpdateBenchmark
{
    @Param({"100000"})
    int liveKeys;

    private AggregationEngine engine;
    private FlowRecord[] records;
    private int next;
    private long nowNs;

    @Setup(Level.Trial)
    public void setUp()
    {
        engine = AggregationFixtures.engine(liveKeys + liveKeys / 4);
        records = AggregationFixtures.records(liveKeys, 42);
        nowNs = AggregationFixtures.T0_NS;
        for (final FlowRecord record : records)
        {
            engine.onFlowRecord(record, nowNs);
        }
    }

    /** @return the record's bytes so the record array access is not dead code. */
    @Benchmark
    public long onFlowRecord()
    {
        final FlowRecord record = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        nowNs += 1_000;
        engine.onFlowRecord(record, nowNs);
        return record.bytes;
    }

    /** Baseline: the same record selection without the update. */
    @Benchmark
    public long baselineSelectRecord()
    {
        final FlowRecord record = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        nowNs += 1_000;
        return record.bytes;
    }
}
