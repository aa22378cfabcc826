/**
 * Decode and enrich shards: {@link io.goflow.exporter.decode.DecodeHandler} owns one decoder
 * ({@link io.goflow.exporter.decode.ShardDecoder}) and one enricher, and handles only the ring
 * events of its shard, so each exporter's templates and data are decoded in order on one thread.
 * Shard counters ({@link io.goflow.exporter.decode.DecodeStageCounters}) close the accounting
 * between datagrams taken from the ring and datagrams the decoder accepted: every other datagram
 * is counted undecoded by the reason of the decoder's whole-datagram rejection.
 *
 * <p>Exported view: {@link io.goflow.exporter.decode.ShardStats} per shard, implemented by the
 * handler: its {@link io.goflow.exporter.decode.DecodeStageStats} (read side of the shard thread's
 * single-writer {@code DecodeStageCounters}), its decoder's {@code DecodeCounters} and per-exporter
 * visitors. The exposition reads nothing else of a shard.
 */
package io.goflow.exporter.decode;
