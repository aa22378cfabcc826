package io.goflow.exporter.aggregate;

import io.goflow.exporter.decoders.api.FlowRecord;

/**
 * The aggregation stage as the pipeline sees it.
 *
 * <p>Thread ownership: {@link #onFlowRecord}, {@link #onInterfaceCounters} and
 * {@link #onEndOfBatch} are called only from the single aggregation thread (the writer).
 * Reading for exposition happens on scrape threads through the implementation's Prometheus
 * collector and never blocks the writer.
 */
public interface FlowAggregator
{
    /**
     * Adds one decoded and enriched flow record to every view.
     *
     * @param record the record; only read, valid for the duration of the call.
     * @param nowNs  epoch ns of the aggregation clock, used for window placement.
     */
    void onFlowRecord(FlowRecord record, long nowNs);

    /**
     * Records an sFlow generic interface counter sample ({@link FlowRecord.Kind#INTERFACE_COUNTERS}).
     */
    void onInterfaceCounters(FlowRecord record, long nowNs);

    /**
     * End of a batch from the ring: make everything added so far visible to scrapes and run
     * housekeeping (window rotation, TTL eviction) that is due at {@code nowNs}.
     */
    void onEndOfBatch(long nowNs);
}
