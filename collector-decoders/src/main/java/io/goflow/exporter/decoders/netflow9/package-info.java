/**
 * NetFlow v9 (RFC 3954): packet header and FlowSet walking
 * ({@link io.goflow.exporter.decoders.netflow9.Netflow9Decoder}), layout constants
 * ({@link io.goflow.exporter.decoders.netflow9.Netflow9Descriptor}) and the header view
 * ({@link io.goflow.exporter.decoders.netflow9.Netflow9HeaderFlyweight}). Templates and records are
 * handled by the shared {@code template} package; times relative to sysUptime are placed with the
 * header's unix_secs.
 */
package io.goflow.exporter.decoders.netflow9;
