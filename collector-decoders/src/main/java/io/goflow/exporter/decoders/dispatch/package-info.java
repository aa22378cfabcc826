/**
 * The entry point: {@link io.goflow.exporter.decoders.dispatch.DatagramDecoder} detects a datagram's
 * protocol with {@link io.goflow.exporter.decoders.dispatch.ProtocolDetector} (which the collector's
 * readers use too) and hands it to that protocol's decoder. The only package that imports the protocol
 * packages; nothing in the decoders imports it back.
 */
package io.goflow.exporter.decoders.dispatch;
