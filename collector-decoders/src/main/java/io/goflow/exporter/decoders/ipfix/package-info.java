/**
 * IPFIX (RFC 7011, information elements RFC 7012, biflows RFC 5103): message header and set walking
 * with template withdrawal and enterprise-specific field specifiers
 * ({@link io.goflow.exporter.decoders.ipfix.IpfixDecoder}), layout constants
 * ({@link io.goflow.exporter.decoders.ipfix.IpfixDescriptor}) and the header view
 * ({@link io.goflow.exporter.decoders.ipfix.IpfixHeaderFlyweight}). Templates and records are handled
 * by the shared {@code template} package.
 */
package io.goflow.exporter.decoders.ipfix;
