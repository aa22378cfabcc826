package io.goflow.exporter.decode;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.template.ExporterStatsVisitor;

/**
 * What the decode stage exports per shard: the stage's own counters, its decoder's counters and
 * per-exporter state. Implemented by {@link DecodeHandler}; every method is safe from any thread
 * (the shard thread is the only writer of what it reads) and writes nothing.
 */
public interface ShardStats
{
    /** @return the shard's stage counters, read side. */
    DecodeStageStats counters();

    /** @return the counters of the shard's decoder (single writer: the shard thread). */
    DecodeCounters decodeCounters();

    /** Visits this shard's per-exporter statistics. */
    void forEachExporter(ExporterStatsVisitor visitor);

    /** Visits this shard's per-exporter sampling sources. */
    void forEachSamplingState(ExporterSamplingTable.Visitor visitor);
}
