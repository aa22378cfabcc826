/**
 * What the decoders give their callers, and nothing else: the record model
 * ({@link io.goflow.exporter.decoders.api.FlowRecord}, {@link io.goflow.exporter.decoders.api.FlowType}),
 * the sink records go to ({@link io.goflow.exporter.decoders.api.FlowSink}), where and when a datagram
 * came from ({@link io.goflow.exporter.decoders.api.DatagramSource}), why something was not
 * decoded ({@link io.goflow.exporter.decoders.api.DecodeError}) and where that is counted
 * ({@link io.goflow.exporter.decoders.api.DecodeCounters}), the settings
 * ({@link io.goflow.exporter.decoders.api.DecoderSettings},
 * {@link io.goflow.exporter.decoders.api.ListenerProtocol}) and address text.
 *
 * <p>Imports no other decoders package: the protocol packages, {@code template}, {@code sampling}
 * and {@code dispatch} all point here, so the decoders have no package cycle.
 */
package io.goflow.exporter.decoders.api;
