/**
 * Fixed-header checks shared by the stateless protocols, NetFlow v5 and sFlow v5
 * ({@link io.goflow.exporter.decoders.header.HeaderCheck}). Imports only {@code api}.
 */
package io.goflow.exporter.decoders.header;
