/**
 * The Disruptor ring between readers and aggregation, and its consumers' plumbing. The ring
 * knows no stage: the handlers that consume it live in their stages' packages.
 *
 * <pre>
 *   readers ──DatagramPublisher.tryNext──▶ ring of DatagramEvent (MULTI producer, 2^n slots)
 *   TickPublisher (timer) ──────────────▶      │
 *                                               ├─▶ DecodeHandler 0..N-1 (package decode)
 *                                               └─▶ AggregationHandler (package aggregate, single writer)
 * </pre>
 * Slots are preallocated ({@link io.goflow.exporter.ring.DatagramEventFactory}) and hold the
 * datagram bytes and the records decoded from them; a datagram's shard is chosen by
 * {@link io.goflow.exporter.ring.ProtocolSlot#shard} from the exporter address and template
 * domain. Unexpected exceptions go to {@link io.goflow.exporter.ring.CountingExceptionHandler},
 * which counts and carries on. {@link io.goflow.exporter.ring.Rings} maps {@code performance}
 * settings to ring size and wait strategy.
 *
 * <p>Threads: readers publish (multi-producer); each slot is then owned by its shard's decode
 * thread until the aggregation thread has consumed it, by the Disruptor's sequence barriers.
 *
 * <p>Exported views: {@link io.goflow.exporter.ring.RingStats} (occupancy, slot and overflow
 * bytes, exceptions caught) and {@link io.goflow.exporter.ring.LatencyStats}, the read side of the
 * aggregation thread's {@link io.goflow.exporter.ring.LatencyHistogram}.
 */
package io.goflow.exporter.ring;
