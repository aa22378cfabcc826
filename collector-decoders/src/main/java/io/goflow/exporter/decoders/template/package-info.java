/**
 * Template and exporter state shared by NetFlow v9 (RFC 3954) and IPFIX (RFC 7011): templates
 * compiled at arrival into an {@code int[]} program ({@link io.goflow.exporter.decoders.template.Template}),
 * the record walker that executes it into a preallocated {@code FlowRecord}
 * ({@link io.goflow.exporter.decoders.template.DataSetDecoder}), the one set walker for both
 * protocols ({@link io.goflow.exporter.decoders.template.TemplateSetWalker}, their differences as a
 * {@link io.goflow.exporter.decoders.template.SetLayout}), per exporter stream state
 * ({@link io.goflow.exporter.decoders.template.ExporterState}: templates, sampling rates, sequence
 * tracking, held sets) and the bounded table of streams with its scrape-safe statistics snapshot
 * ({@link io.goflow.exporter.decoders.template.ExporterTable}).
 *
 * <h2>Deliberate differences from Wireshark 4.0 (and so from the truth files)</h2>
 * <ul>
 *   <li>Data sets that arrive before their template are held and decoded when it arrives; Wireshark
 *       (single pass) leaves them undecoded.</li>
 *   <li>The v9 header's Count is not trusted: every FlowSet present is decoded. Wireshark stops after
 *       Count records ({@code gl_netflow_v9_1}, {@code ls_netflow9_invalid01},
 *       {@code graylog-plugin-netflow_netflow9}).</li>
 *   <li>RFC 5103 reverse records are emitted from reverse IE 1/2, else reverse IE 85/86 (YAF);
 *       truth.py sums reverse bytes from reverse IE 1 only.</li>
 *   <li>A record with both IPv4 and IPv6 address fields keeps the non-zero pair; Wireshark keys on
 *       the IPv4 field even when it is 0.0.0.0 (Procera).</li>
 *   <li>A v9 field length of 65535 is variable-length, as in IPFIX (H3C); Wireshark agrees.</li>
 *   <li>IPFIX sysUpTime times (IE 21/22) without a systemInitTimeMilliseconds (IE 160, in the record
 *       or in options) cannot be placed on the calendar and are left 0 (Barracuda).</li>
 * </ul>
 *
 * <p>Every class here belongs to the decoding thread, except
 * {@link io.goflow.exporter.decoders.template.ExporterTable#forEachExporter} and the immutable
 * {@link io.goflow.exporter.decoders.template.ExporterStats}.
 */
package io.goflow.exporter.decoders.template;
