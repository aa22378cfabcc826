package io.goflow.exporter.benchmarks.aggregate;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.benchmarks.Captures;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Aggregation updates with the shipped configuration (4 windows 1m/5m/15m/1h, the spec's eleven
 * dimensions) at 10k, 100k and 1M live series; score in records per second.
 *
 * <p>Input: the 6,297 flow records of the softflowd v9 capture (6,009 distinct 5-tuples), enriched
 * by nothing. To reach {@code liveKeys} series the source address of each record is XORed, in its
 * low 16 bits, with a variant number {@code 0..V-1}, {@code V = ceil(liveKeys / 6009)}, the way
 * the load generator does. Setup inserts every variant once, so the measured updates hit existing
 * series; {@code max_series} is {@code liveKeys} plus 10% so the table never overflows. Time
 * advances 1 us per record (1M records/s) and {@code onEndOfBatch} runs every 100 records, as the
 * aggregation handler does with the default {@code batch_size}.
 *
 * <p>Baseline {@link #variantOnly}: the same loop of record selection and address rewriting
 * without the engine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(AggregationUpdateBenchmark.RECORDS_PER_INVOCATION)
public class AggregationUpdateBenchmark
{
    static final String CAPTURE = "softflowd_v9.pcap";
    static final int DISTINCT_FIVE_TUPLES = 6009;
    static final int RECORDS_PER_INVOCATION = 10_000;
    static final int BATCH = 100;
    static final long NS_PER_RECORD = 1_000;

    @Param({"10000", "100000", "1000000"})
    public int liveKeys;

    private FlowRecord[] records;
    private long[] srcLo;
    private int variants;
    private AggregationEngine engine;
    private long nowNs;
    private long cursor;

    @Setup(Level.Trial)
    public void setUp()
    {
        final List<FlowRecord> decoded = Captures.flowRecords(CAPTURE);
        records = decoded.toArray(new FlowRecord[0]);
        srcLo = new long[records.length];
        for (int i = 0; i < records.length; i++)
        {
            srcLo[i] = records[i].srcAddrLo;
        }
        variants = (liveKeys + DISTINCT_FIVE_TUPLES - 1) / DISTINCT_FIVE_TUPLES;
        final AggregationSettings d = AggregationSettings.defaults();
        final AggregationSettings settings = new AggregationSettings(
            d.timeWindowsNs(), d.dimensions(), d.bandwidthWindowNs(), liveKeys + liveKeys / 10, d.seriesTtlNs(),
            false, 0, List.of());
        engine = new AggregationEngine(settings, MetricsSettings.defaults(), new SystemEpochNanoClock());
        nowNs = System.currentTimeMillis() * 1_000_000L;
        final long total = (long)records.length * variants;
        for (long i = 0; i < total; i += RECORDS_PER_INVOCATION)
        {
            update();
        }
    }

    @Benchmark
    public long update()
    {
        long fold = 0;
        for (int n = 0; n < RECORDS_PER_INVOCATION; n++)
        {
            final FlowRecord r = next();
            nowNs += NS_PER_RECORD;
            engine.onFlowRecord(r, nowNs);
            if (n % BATCH == BATCH - 1)
            {
                engine.onEndOfBatch(nowNs);
            }
            fold += r.srcAddrLo;
        }
        return fold;
    }

    @Benchmark
    public long variantOnly()
    {
        long fold = 0;
        for (int n = 0; n < RECORDS_PER_INVOCATION; n++)
        {
            final FlowRecord r = next();
            nowNs += NS_PER_RECORD;
            fold += r.srcAddrLo ^ nowNs;
        }
        return fold;
    }

    private FlowRecord next()
    {
        final int index = (int)(cursor % records.length);
        final long variant = (cursor / records.length) % variants;
        cursor++;
        final FlowRecord r = records[index];
        r.srcAddrLo = srcLo[index] ^ variant;
        return r;
    }
}
