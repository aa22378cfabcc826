package io.goflow.exporter.benchmarks.aggregate;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.benchmarks.Captures;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.InterfaceSettings;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.NetworkSettings;
import io.goflow.exporter.config.PrefixLengths;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Aggregation updates grouped by networks and interface names; score in records per second.
 *
 * <p>Dimensions {@code exporter, src_net, dst_net, dst_net_role, protocol, in_if_name, dscp}, 4
 * windows, {@code networks} random IPv4 prefixes (/16../24) plus the /8 and /16 of the capture's
 * addresses, 16 configured interfaces. Input: the softflowd v9 capture's 6,297 records, their
 * {@code inIf} set to 1..16 in turn; all keys exist after setup, as in
 * {@link AggregationUpdateBenchmark}, whose {@code update} at 10k series is the comparison without
 * network lookups.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(NetworkAggregationBenchmark.RECORDS_PER_INVOCATION)
public class NetworkAggregationBenchmark
{
    static final int RECORDS_PER_INVOCATION = 10_000;
    static final int BATCH = 100;

    @Param({"100000"})
    public int networks;

    private FlowRecord[] records;
    private AggregationEngine engine;
    private long nowNs;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp()
    {
        records = Captures.flowRecords(AggregationUpdateBenchmark.CAPTURE).toArray(new FlowRecord[0]);
        final List<NetworkSettings> list = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < networks; i++)
        {
            final int length = 16 + random.nextInt(9);
            list.add(new NetworkSettings("n" + i, random.nextLong() & 0xFFFF_FFFF_0000_0000L, 0, length, true,
                "net-" + i, Map.of("role", "r" + (i % 8))));
        }
        list.add(new NetworkSettings("10/8", 0x0A00_0000L << 32, 0, 8, true, "ten", Map.of("role", "lan")));
        list.add(new NetworkSettings("10.10/16", 0x0A0A_0000L << 32, 0, 16, true, "campus", Map.of()));
        final List<InterfaceSettings> interfaces = new ArrayList<>();
        for (int i = 0; i < records.length; i++)
        {
            records[i].inIf = 1 + i % 16;
        }
        for (int i = 1; i <= 16; i++)
        {
            interfaces.add(new InterfaceSettings("exp", records[0].samplerAddrHi, records[0].samplerAddrLo, i,
                "xe-0/0/" + i, 10_000_000_000L));
        }
        final AggregationSettings d = AggregationSettings.defaults();
        final List<Dimension> dims = List.of(Dimension.EXPORTER, Dimension.SRC_NET, Dimension.DST_NET,
            Dimension.fromConfigName("dst_net_role"), Dimension.PROTOCOL, Dimension.IN_IF_NAME, Dimension.DSCP);
        final AggregationSettings settings = new AggregationSettings(
            d.timeWindowsNs(), dims, d.bandwidthWindowNs(), 100_000, d.seriesTtlNs(), false, 0, List.of())
            .withNetworks(list, "", AggregationSettings.NETWORKS_RELOAD_INTERVAL_DEFAULT_NS, PrefixLengths.defaults())
            .withInterfaces(interfaces);
        final MetricsSettings m = MetricsSettings.defaults();
        engine = new AggregationEngine(settings,
            new MetricsSettings(m.namespace(), m.subsystem(), List.of(LabelGroup.values()), m.customLabels(), false),
            new SystemEpochNanoClock());
        nowNs = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < 3; i++)
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
            final FlowRecord r = records[cursor];
            cursor = cursor + 1 == records.length ? 0 : cursor + 1;
            nowNs += 1_000;
            engine.onFlowRecord(r, nowNs);
            if (n % BATCH == BATCH - 1)
            {
                engine.onEndOfBatch(nowNs);
            }
            fold += r.bytes;
        }
        return fold;
    }
}
