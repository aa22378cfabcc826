package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.FlowType;

/**
 * Immutable snapshot of one exporter stream's state, published by {@link ExporterTable#onTimer}.
 *
 * @param type            {@link FlowType#NETFLOW_V9} or {@link FlowType#IPFIX}.
 * @param addrHi          exporter address, high 64 bits (IPv4-mapped for IPv4).
 * @param addrLo          exporter address, low 64 bits.
 * @param port            source port when templates are keyed by port, otherwise -1.
 * @param domain          v9 source ID / IPFIX observation domain ID.
 * @param templates       templates and options templates currently known.
 * @param sequenceGaps    forward sequence jumps seen.
 * @param sequenceLost    datagrams (v9) or records (IPFIX) estimated lost from the jumps.
 * @param sequenceResets  jumps taken as exporter restarts.
 * @param lastSeenNs      receive time of the last datagram, epoch ns.
 * @param heldSetsNow     data sets currently held waiting for their template.
 * @param heldSets        data sets held since the exporter was first seen.
 * @param replayedSets    held sets decoded once their template arrived.
 * @param expiredSets     held sets dropped at expiry.
 */
public record ExporterStats(
    FlowType type,
    long addrHi,
    long addrLo,
    int port,
    long domain,
    int templates,
    long sequenceGaps,
    long sequenceLost,
    long sequenceResets,
    long lastSeenNs,
    int heldSetsNow,
    long heldSets,
    long replayedSets,
    long expiredSets)
{
    static ExporterStats of(final ExporterState s)
    {
        return new ExporterStats(
            s.type, s.addrHi, s.addrLo, s.port, s.domain, s.templateCount(), s.sequenceGaps, s.sequenceLost,
            s.sequenceResets, s.lastSeenNs, s.held.count(), s.heldSets, s.replayedSets, s.expiredSets);
    }
}
