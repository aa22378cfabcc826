package io.goflow.exporter.enrich;

import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.log.RateLimitedLogger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * GeoIP and ASN enrichment: owns the two databases, watches their files for replacement, hands
 * out one {@link FlowEnricher} per decode shard and exports its state read-only as
 * {@link EnrichmentStats} (exposed by {@code expose.EnrichmentCollector}).
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Shard threads call their own enricher; they share only the database readers (volatile
 *       references), the {@link #generation()} counter and two bounded registries written on the
 *       uncached path (AS organisations, city labels).</li>
 *   <li>One watcher thread ({@code enrichment-watcher}, daemon) polls the files every
 *       {@code enrichment.reload_interval} and swaps readers; see {@link DatabaseSlot} for the
 *       replacement rules. A swap bumps the generation, and each shard clears its cache before its
 *       next lookup, without pausing or locking.</li>
 *   <li>Scrape threads read the shards' single-writer counters and the registries through
 *       {@link EnrichmentStats}; they write nothing.</li>
 * </ul>
 *
 * <h2>Cache placement</h2>
 * The address cache is per shard ({@link AddressCache}, 2-way set associative on a {@code long[]}),
 * not shared: a shared table needs atomic 128-bit key/value publication (a lock or a seqlock per
 * set) on every hit, while per-shard tables only cost memory ({@code cache_size} x 32 bytes per
 * shard) and a warm-up per shard (exporters are sharded by address, so each shard sees a stable
 * part of the traffic). Measured with two threads on the traffic.pcap address mix
 * ({@code EnrichmentThroughputMeasure}): 13-23 ns per lookup with a table per thread against
 * 31-59 ns for one table behind a lock.
 */
public final class EnrichmentService implements AutoCloseable, EnrichmentStats
{
    private static final Logger LOG = LogManager.getLogger(EnrichmentService.class);
    /** Largest accepted {@code enrichment.cache_size}: 64 Mi entries (2 GiB of table per shard). */
    static final int MAX_CACHE_SIZE = 1 << 26;

    private final EnrichmentSettings settings;
    private final AsnSource asnSource;
    private final LongSupplier epochNs;
    private final DatabaseSlot geo;
    private final DatabaseSlot asn;
    private final BoundedRegistry<String> asnRegistry;
    private final BoundedRegistry<CityInfo> cityRegistry;
    private final List<ShardEnricher> shards = new CopyOnWriteArrayList<>();
    private final RateLimitedLogger lookupErrorLog = new RateLimitedLogger(LOG, Level.ERROR);
    private final ScheduledExecutorService watcher;
    private volatile long generation;

    private EnrichmentService(
        final EnrichmentSettings settings,
        final LongSupplier epochNs,
        final DatabaseSlot geo,
        final DatabaseSlot asn,
        final ScheduledExecutorService watcher)
    {
        this.settings = settings;
        this.epochNs = epochNs;
        this.asnSource = AsnSource.fromConfigName(settings.asnSource());
        this.geo = geo;
        this.asn = asn;
        this.asnRegistry = new BoundedRegistry<>(settings.cacheSize());
        this.cityRegistry = new BoundedRegistry<>(settings.geoipEnabled() ? settings.maxCitySeries() : 0);
        this.watcher = watcher;
    }

    /**
     * Opens the configured databases and starts the file watcher.
     *
     * @throws IllegalStateException    when {@code enrichment.required} is true and an enabled
     *                                  database cannot be opened (the message names key and path).
     * @throws IllegalArgumentException for an invalid setting (the message names the key).
     */
    public static EnrichmentService open(final EnrichmentSettings settings)
    {
        return open(settings, EnrichmentService::epochNowNs, true, true);
    }

    /**
     * Opens with an injected clock; the watcher thread is started only when {@code startWatcher}
     * (tests drive {@link #pollDatabases()} themselves).
     *
     * @param epochNs   wall clock, epoch ns (database age, log rate limits).
     * @param nodeCache decode through maxmind-db's node cache on the uncached path.
     */
    static EnrichmentService open(
        final EnrichmentSettings settings,
        final LongSupplier epochNs,
        final boolean startWatcher,
        final boolean nodeCache)
    {
        validate(settings);
        final DatabaseSlot geo = new DatabaseSlot(
            DatabaseKind.GEOIP, path(settings.geoipPath()), settings.maxAgeNs(), nodeCache);
        final DatabaseSlot asn = new DatabaseSlot(
            DatabaseKind.ASN, path(settings.asnPath()), settings.maxAgeNs(), nodeCache);
        final long nowNs = epochNs.getAsLong();
        try
        {
            if (settings.geoipEnabled())
            {
                geo.openAtStart(settings.required(), nowNs);
            }
            if (settings.asnEnabled())
            {
                asn.openAtStart(settings.required(), nowNs);
            }
        }
        catch (final RuntimeException ex)
        {
            geo.close();
            asn.close();
            throw ex;
        }
        ScheduledExecutorService executor = null;
        if (startWatcher && (settings.geoipEnabled() || settings.asnEnabled()))
        {
            executor = Executors.newSingleThreadScheduledExecutor(runnable ->
            {
                final Thread t = new Thread(runnable, "enrichment-watcher");
                t.setDaemon(true);
                return t;
            });
        }
        final EnrichmentService service = new EnrichmentService(settings, epochNs, geo, asn, executor);
        if (executor != null)
        {
            final long periodNs = Math.max(TimeUnit.MILLISECONDS.toNanos(100), settings.reloadIntervalNs());
            executor.scheduleWithFixedDelay(service::pollSafely, periodNs, periodNs, TimeUnit.NANOSECONDS);
        }
        return service;
    }

    /** @return heap bytes of the caches one {@link #newShardEnricher} allocates (address cache, city table). */
    public static long shardCacheBytes(final EnrichmentSettings settings)
    {
        return AddressCache.bytes(settings.cacheSize()) +
            CityTable.bytes(settings.geoipEnabled() ? settings.maxCitySeries() : 0);
    }

    /**
     * Opens and closes each enabled database as {@link #open} would; any thread.
     *
     * @return one line per enabled database that cannot be used, naming key, path and reason.
     */
    public static List<String> databaseProblems(final EnrichmentSettings settings)
    {
        final List<String> problems = new ArrayList<>();
        if (settings.geoipEnabled())
        {
            addIfNotNull(problems, DatabaseSlot.problem(DatabaseKind.GEOIP, path(settings.geoipPath())));
        }
        if (settings.asnEnabled())
        {
            addIfNotNull(problems, DatabaseSlot.problem(DatabaseKind.ASN, path(settings.asnPath())));
        }
        return problems;
    }

    private static void addIfNotNull(final List<String> list, final String item)
    {
        if (item != null)
        {
            list.add(item);
        }
    }

    private static void validate(final EnrichmentSettings settings)
    {
        AsnSource.fromConfigName(settings.asnSource());
        if (settings.cacheSize() < 0 || settings.cacheSize() > MAX_CACHE_SIZE)
        {
            throw new IllegalArgumentException(
                "enrichment.cache_size: " + settings.cacheSize() + " is not in [0, " + MAX_CACHE_SIZE + "]");
        }
        if (settings.maxCitySeries() < 0)
        {
            throw new IllegalArgumentException("enrichment.max_city_series: " + settings.maxCitySeries() + " < 0");
        }
    }

    /**
     * @return a new enricher for one shard; its counters are included in the {@link EnrichmentStats}.
     *         Call once per shard, from any thread, before the shard starts.
     */
    public FlowEnricher newShardEnricher()
    {
        final ShardEnricher shard = new ShardEnricher(
            this, geo, asn, asnSource, settings.cacheSize(), settings.geoipEnabled() ? settings.maxCitySeries() : 0);
        shards.add(shard);
        return shard;
    }

    /**
     * Checks both files once and swaps in replacements (see {@link DatabaseSlot#poll}). Called by
     * the watcher thread; tests call it directly. Not thread-safe against itself.
     */
    void pollDatabases()
    {
        final long nowNs = epochNs.getAsLong();
        boolean swapped = false;
        if (settings.geoipEnabled())
        {
            swapped |= geo.poll(nowNs);
        }
        if (settings.asnEnabled())
        {
            swapped |= asn.poll(nowNs);
        }
        if (swapped)
        {
            generation = generation + 1;
        }
    }

    /** @return bumped after every database swap; shards compare it to clear their caches. */
    long generation()
    {
        return generation;
    }

    @Override
    public List<DatabaseStats> databases()
    {
        if (settings.geoipEnabled() && settings.asnEnabled())
        {
            return List.of(geo, asn);
        }
        return settings.geoipEnabled() ? List.of(geo) : settings.asnEnabled() ? List.of(asn) : List.of();
    }

    DatabaseSlot geo()
    {
        return geo;
    }

    DatabaseSlot asn()
    {
        return asn;
    }

    BoundedRegistry<String> asnRegistry()
    {
        return asnRegistry;
    }

    BoundedRegistry<CityInfo> cityRegistry()
    {
        return cityRegistry;
    }

    @Override
    public long cacheHits()
    {
        return sum(shard -> shard.cache().hits());
    }

    @Override
    public long cacheMisses()
    {
        return sum(shard -> shard.cache().misses());
    }

    @Override
    public long cacheEvictions()
    {
        return sum(shard -> shard.cache().evictions());
    }

    @Override
    public long lookupErrors()
    {
        return sum(shard -> shard.lookupErrors());
    }

    @Override
    public long cityOverflowFlows()
    {
        return sum(shard -> shard.cityOverflowFlows());
    }

    private long sum(final ToLongFunction<ShardEnricher> counter)
    {
        long sum = 0;
        for (final ShardEnricher shard : shards)
        {
            sum += counter.applyAsLong(shard);
        }
        return sum;
    }

    @Override
    public void forEachAsn(final AsnVisitor visitor)
    {
        asnRegistry.forEach(visitor::asn);
    }

    @Override
    public long asnInfoRefused()
    {
        return asnRegistry.refused();
    }

    /** Sums the shards' city tables into a map on the calling (scrape) thread. */
    @Override
    public void forEachCity(final CityVisitor visitor)
    {
        final Map<Long, long[]> totals = new HashMap<>();
        for (final ShardEnricher shard : shards)
        {
            shard.cities().forEach((id, sf, sb, sp, df, db, dp) ->
            {
                final long[] t = totals.computeIfAbsent(id, k -> new long[6]);
                t[0] += sf;
                t[1] += sb;
                t[2] += sp;
                t[3] += df;
                t[4] += db;
                t[5] += dp;
            });
        }
        totals.forEach((id, t) ->
        {
            final CityInfo info = cityRegistry.get(id);
            if (info == null)
            {
                return;
            }
            for (int side = SRC; side <= DST; side++)
            {
                visitor.city(id, info.country(), info.name(), info.latitude(), info.longitude(), side,
                    t[side * 3], t[side * 3 + 1], t[side * 3 + 2]);
            }
        });
    }

    EnrichmentSettings settings()
    {
        return settings;
    }

    void logLookupError(final DatabaseSlot slot, final Throwable error)
    {
        lookupErrorLog.log(epochNs.getAsLong(), "Lookup in {} failed: {}", slot, error.toString());
    }

    /** Stops the watcher and closes the readers; shards then see no database. */
    @Override
    public void close()
    {
        if (watcher != null)
        {
            watcher.shutdownNow();
        }
        geo.close();
        asn.close();
    }

    private void pollSafely()
    {
        try
        {
            pollDatabases();
        }
        catch (final Throwable t)
        {
            LOG.error("Enrichment watcher poll failed; will retry", t);
        }
    }

    private static Path path(final String configured)
    {
        return Path.of(configured == null ? "" : configured);
    }

    private static long epochNowNs()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
