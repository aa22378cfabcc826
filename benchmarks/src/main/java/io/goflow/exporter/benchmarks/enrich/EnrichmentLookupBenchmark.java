package io.goflow.exporter.benchmarks.enrich;

import io.goflow.exporter.benchmarks.Captures;
import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.enrich.EnrichmentService;
import io.goflow.exporter.enrich.FlowEnricher;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GeoIP country + ASN enrichment of the flow records of the softflowd v9 capture (6,297 records,
 * 12,594 address lookups per invocation), against the MaxMind test databases in
 * {@code shared/testdata/geoip}; score in records per second.
 *
 * <ul>
 *   <li>{@code cacheSize = 100000}: the shipped default; after the first pass every address hits
 *       the per-shard cache (the capture has far fewer distinct addresses).</li>
 *   <li>{@code cacheSize = 0}: no cache, every address goes to the mmdb trees.</li>
 *   <li>{@link #noEnrichment}: baseline, {@link FlowEnricher#NONE} over the same records.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(EnrichmentLookupBenchmark.TRUTH_FLOWS)
public class EnrichmentLookupBenchmark
{
    static final String CAPTURE = "softflowd_v9.pcap";
    static final int TRUTH_FLOWS = 6297;

    @Param({"100000", "0"})
    public int cacheSize;

    private FlowRecord[] records;
    private EnrichmentService service;
    private FlowEnricher enricher;

    @Setup(Level.Trial)
    public void setUp()
    {
        final List<FlowRecord> decoded = Captures.flowRecords(CAPTURE);
        Captures.requireRecords(CAPTURE, TRUTH_FLOWS, decoded.size());
        records = decoded.toArray(new FlowRecord[0]);
        final EnrichmentSettings d = EnrichmentSettings.defaults();
        final EnrichmentSettings settings = new EnrichmentSettings(
            true, Captures.geoipDir().resolve("GeoLite2-Country-Test.mmdb").toString(),
            true, Captures.geoipDir().resolve("GeoLite2-ASN-Test.mmdb").toString(),
            cacheSize, d.asnSource(), Long.MAX_VALUE / 2, true, d.reloadIntervalNs(), d.maxCitySeries());
        service = EnrichmentService.open(settings);
        enricher = service.newShardEnricher();
        long matched = 0;
        for (final FlowRecord r : records)
        {
            enricher.enrich(r);
            matched += r.srcCountry != 0 || r.dstCountry != 0 ? 1 : 0;
        }
        if (matched == 0)
        {
            throw new IllegalStateException("no record got a country: the test databases were not used");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        service.close();
    }

    @Benchmark
    public long enrich()
    {
        long fold = 0;
        for (final FlowRecord r : records)
        {
            enricher.enrich(r);
            fold += r.srcCountry + r.dstAsn;
        }
        return fold;
    }

    @Benchmark
    public long noEnrichment()
    {
        long fold = 0;
        for (final FlowRecord r : records)
        {
            FlowEnricher.NONE.enrich(r);
            fold += r.srcCountry + r.dstAsn;
        }
        return fold;
    }
}
