/**
 * Sampling rates: configured overrides ({@link io.goflow.exporter.decoders.sampling.SamplingOverrides}),
 * where a record's rate came from ({@link io.goflow.exporter.decoders.sampling.SamplingSource}) and the
 * bounded per-exporter table of announced rates
 * ({@link io.goflow.exporter.decoders.sampling.ExporterSamplingTable}) shared by NetFlow v5, v9,
 * IPFIX and sFlow. Imports only {@code api}.
 */
package io.goflow.exporter.decoders.sampling;
