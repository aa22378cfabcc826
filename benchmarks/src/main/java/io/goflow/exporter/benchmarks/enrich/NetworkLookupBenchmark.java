package io.goflow.exporter.benchmarks.enrich;

import io.goflow.exporter.config.NetworkSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.enrich.network.LabelStrings;
import io.goflow.exporter.enrich.network.NetworkTable;
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
 * Longest-prefix match of {@link NetworkTable#lookup} with 100k networks; score in lookups per
 * second on one thread.
 *
 * <p>Networks: {@code prefixes} random prefixes of the family, lengths drawn as routing tables have
 * them (IPv4: /8../32, most /16../24; IPv6: /16../64, most /32../48), fixed seed. Lookups: 4096
 * addresses, every second one inside a random network (a random host below its prefix), the others
 * uniformly random, so both hits and misses are measured; the array is walked in order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(NetworkLookupBenchmark.LOOKUPS)
public class NetworkLookupBenchmark
{
    static final int LOOKUPS = 4096;

    @Param({"ipv4", "ipv6"})
    public String family;

    @Param({"100000"})
    public int prefixes;

    private NetworkTable table;
    private final long[] his = new long[LOOKUPS];
    private final long[] los = new long[LOOKUPS];

    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final boolean ipv4 = family.equals("ipv4");
        final List<NetworkSettings> networks = new ArrayList<>(prefixes);
        for (int i = 0; i < prefixes; i++)
        {
            final int length = ipv4 ? (random.nextInt(10) < 8 ? 16 + random.nextInt(9) : 8 + random.nextInt(25)) :
                (random.nextInt(10) < 8 ? 32 + random.nextInt(17) : 16 + random.nextInt(49));
            final long hi = ipv4 ? (random.nextLong() & 0xFFFF_FFFF_0000_0000L) : random.nextLong();
            networks.add(new NetworkSettings("n" + i, hi, 0, length, ipv4, "net-" + i,
                Map.of("role", "r" + (i % 16))));
        }
        table = NetworkTable.build(networks, List.of("role"), new LabelStrings());
        for (int i = 0; i < LOOKUPS; i++)
        {
            long hi = random.nextLong();
            if (i % 2 == 0)
            {
                final NetworkSettings n = networks.get(random.nextInt(prefixes));
                final long host = n.length() >= 64 ? 0 : random.nextLong() >>> n.length();
                hi = n.hi() | host;
            }
            if (ipv4)
            {
                his[i] = 0;
                los[i] = FlowRecord.ipv4MappedLo((int)(hi >>> 32));
            }
            else
            {
                his[i] = hi;
                los[i] = random.nextLong();
            }
        }
    }

    @Benchmark
    public long lookup()
    {
        long fold = 0;
        for (int i = 0; i < LOOKUPS; i++)
        {
            fold += table.lookup(his[i], los[i]);
        }
        return fold;
    }
}
