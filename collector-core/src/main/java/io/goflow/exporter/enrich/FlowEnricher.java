package io.goflow.exporter.enrich;

import io.goflow.exporter.decoders.api.FlowRecord;

/**
 * Fills the enrichment outputs of a {@link FlowRecord} ({@code srcCountry}, {@code dstCountry},
 * {@code srcAsn}, {@code dstAsn}, {@code srcCityId}, {@code dstCityId}).
 *
 * <p>Thread ownership: one instance per decode/enrich shard, called only from that shard's
 * thread; implementations may keep unsynchronised per-shard caches.
 */
public interface FlowEnricher
{
    /** An enricher that leaves every enrichment output at "no value", except flow-carried ASNs. */
    FlowEnricher NONE = record ->
    {
    };

    /**
     * Enriches {@code record} in place. Must not allocate on the cached path and must not throw.
     *
     * @param record a decoded {@link FlowRecord.Kind#FLOW} record.
     */
    void enrich(FlowRecord record);
}
