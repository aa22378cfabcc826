package io.goflow.exporter.enrich;

import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A quick {@code System.nanoTime} measurement (not JMH, not run by surefire) of the enrich stage on
 * the address mix of {@code shared/testdata/source/traffic.pcap}: every 5-tuple of its truth file
 * as one flow, IPv4 and IPv6, private and public ends, against the City and ASN test databases.
 * Special-purpose ends are filtered before the cache, so "ns/address lookup" counts only the
 * addresses that reach the cache.
 *
 * <p>Run: {@code java -cp <test classpath> io.goflow.exporter.enrich.EnrichmentThroughputMeasure}.
 */
final class EnrichmentThroughputMeasure
{
    private static final int ROUNDS = 5;

    private EnrichmentThroughputMeasure()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final FlowRecord[] flows = flows();
        System.out.printf("address mix: %d flows%n", flows.length);

        measure("uncached, node cache   ", flows, 0, true);
        measure("uncached, no node cache", flows, 0, false);
        measure("cached (100000 entries)", flows, 100_000, true);
        sharedVersusPerShard(flows);
    }

    private static void measure(final String label, final FlowRecord[] flows, final int cacheSize, final boolean nodeCache)
    {
        final EnrichmentSettings settings = GeoTestData.settings(
            GeoTestData.mmdb(GeoTestData.CITY), GeoTestData.mmdb(GeoTestData.ASN), cacheSize, "database_then_flow");
        try (EnrichmentService service = EnrichmentService.open(
            settings, System::nanoTime, false, nodeCache))
        {
            final FlowEnricher enricher = service.newShardEnricher();
            final int iterations = cacheSize == 0 ? 100 : 2_000;
            for (int warm = 0; warm < iterations; warm++)
            {
                for (final FlowRecord r : flows)
                {
                    enricher.enrich(r);
                }
            }
            final ShardEnricher shard = (ShardEnricher)enricher;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long misses0 = shard.cache().misses();
                final long hits0 = shard.cache().hits();
                final long startNs = System.nanoTime();
                for (int i = 0; i < iterations; i++)
                {
                    for (final FlowRecord r : flows)
                    {
                        enricher.enrich(r);
                    }
                }
                final long elapsedNs = System.nanoTime() - startNs;
                final long records = (long)iterations * flows.length;
                final long lookups = shard.cache().misses() - misses0 + shard.cache().hits() - hits0;
                System.out.printf("%s: %6.1f ns/record, %6.1f ns/address lookup, %5.2f M lookups/s (%d lookups, %d misses)%n",
                    label, (double)elapsedNs / records, (double)elapsedNs / Math.max(1, lookups),
                    lookups * 1e3 / elapsedNs, lookups, shard.cache().misses() - misses0);
            }
        }
    }

    /** Two threads on the cache alone: each its own table, or one table behind a lock. */
    private static void sharedVersusPerShard(final FlowRecord[] flows) throws InterruptedException
    {
        final long[] keys = new long[flows.length * 4];
        for (int i = 0; i < flows.length; i++)
        {
            keys[4 * i] = flows[i].srcAddrHi;
            keys[4 * i + 1] = flows[i].srcAddrLo;
            keys[4 * i + 2] = flows[i].dstAddrHi;
            keys[4 * i + 3] = flows[i].dstAddrLo;
        }
        final AddressCache shared = new AddressCache(100_000);
        for (int round = 0; round < ROUNDS; round++)
        {
            final double perShard = twoThreads(keys, new AddressCache(100_000), new AddressCache(100_000), false);
            final double locked = twoThreads(keys, shared, shared, true);
            System.out.printf("cache get, 2 threads: per-shard %.1f ns/lookup, shared+lock %.1f ns/lookup%n",
                perShard, locked);
        }
    }

    private static double twoThreads(final long[] keys, final AddressCache a, final AddressCache b, final boolean lock)
        throws InterruptedException
    {
        final int passes = 3_000;
        final long[] elapsed = new long[2];
        final Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++)
        {
            final AddressCache cache = t == 0 ? a : b;
            final int id = t;
            threads[t] = new Thread(() ->
            {
                long sink = 0;
                final long startNs = System.nanoTime();
                for (int p = 0; p < passes; p++)
                {
                    for (int i = 0; i < keys.length; i += 2)
                    {
                        sink += lock ? lockedGet(cache, keys[i], keys[i + 1]) : getOrPut(cache, keys[i], keys[i + 1]);
                    }
                }
                elapsed[id] = System.nanoTime() - startNs;
                if (sink == 42)
                {
                    System.out.print("");
                }
            });
        }
        for (final Thread t : threads)
        {
            t.start();
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        return (double)Math.max(elapsed[0], elapsed[1]) / (passes * (keys.length / 2));
    }

    private static long lockedGet(final AddressCache cache, final long hi, final long lo)
    {
        synchronized (cache)
        {
            return getOrPut(cache, hi, lo);
        }
    }

    private static long getOrPut(final AddressCache cache, final long hi, final long lo)
    {
        final long v = cache.get(hi, lo);
        if (v == AddressCache.MISSING)
        {
            cache.put(hi, lo, AddressCache.OCCUPIED | (lo << 32), 0);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static FlowRecord[] flows() throws Exception
    {
        final LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        final Map<String, Object> truth;
        try (Reader in = Files.newBufferedReader(
            GeoTestData.sharedDir().resolve("testdata/source/traffic.truth.json"), StandardCharsets.UTF_8))
        {
            truth = (Map<String, Object>)new Yaml(options).load(in);
        }
        final Map<String, Object> tuples = (Map<String, Object>)truth.get("by_5tuple");
        final List<FlowRecord> out = new ArrayList<>();
        for (final String key : tuples.keySet())
        {
            final String[] parts = key.split("\\|");
            final FlowRecord r = GeoTestData.flow(parts[0], parts[1]);
            r.srcAs = 64_500;
            out.add(r);
        }
        return out.toArray(new FlowRecord[0]);
    }
}
