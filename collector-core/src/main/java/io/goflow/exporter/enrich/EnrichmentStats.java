package io.goflow.exporter.enrich;

import java.util.List;

/**
 * What the enrich stage exports, read-only: the databases, the shards' cache and lookup counters
 * summed, the AS organisations seen and the per-city traffic of the Geomap. Implemented by
 * {@link EnrichmentService}; read by scrape threads. Each shard's counters have one writer (its
 * shard thread, opaque or ordered stores); the registries are concurrent maps written on the
 * shards' uncached path; nothing here writes.
 */
public interface EnrichmentStats
{
    /** Side of the flow's source address. */
    int SRC = CityTable.SRC;
    /** Side of the flow's destination address. */
    int DST = CityTable.DST;

    /** @return the databases enabled in the settings, GeoIP first. */
    List<DatabaseStats> databases();

    /** @return address cache hits, all shards. */
    long cacheHits();

    /** @return address cache misses (database lookups), all shards. */
    long cacheMisses();

    /** @return address cache entries evicted to make room, all shards. */
    long cacheEvictions();

    /** @return database lookups that failed, all shards. */
    long lookupErrors();

    /** @return flow ends whose city was refused a Geomap series ({@code max_city_series}), all shards. */
    long cityOverflowFlows();

    /** Visits the organisation of every AS number admitted (at most {@code cache_size}). */
    void forEachAsn(AsnVisitor visitor);

    /** @return AS organisations not admitted because the registry was full. */
    long asnInfoRefused();

    /**
     * Visits the traffic of every city with a Geomap series, summed over shards: once per city
     * and side ({@link #SRC}, {@link #DST}), source first, including sides without flows.
     */
    void forEachCity(CityVisitor visitor);

    /** Receives one AS organisation. */
    interface AsnVisitor
    {
        void asn(long asn, String organisation);
    }

    /** Receives one city end's traffic; bytes and packets are scaled by sampling. */
    interface CityVisitor
    {
        void city(long cityId, String country, String name, double latitude, double longitude, int side,
            long flows, long bytes, long packets);
    }
}
