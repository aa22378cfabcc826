/**
 * Enrich stage: country, city and AS number of both ends of every flow from MaxMind databases
 * ({@code com.maxmind.db:maxmind-db}, memory-mapped), behind a per-shard address cache, with hot
 * reload of the files and age reporting. Entry point: {@link io.goflow.exporter.enrich.EnrichmentService}.
 *
 * <h2>Data path (per shard, single thread)</h2>
 * <pre>
 *   FlowRecord --&gt; special-purpose address? --yes--&gt; no labels (never looked up)
 *                         | no
 *                         v
 *                  AddressCache (2-way set associative, long[], negative entries too)
 *                         | miss
 *                         v
 *                  GeoIP Reader.get + ASN Reader.get (node cache of decoded records)
 * </pre>
 * {@code asn_source} then picks the database ASN, the flow's ({@code FlowRecord.srcAs/dstAs}), or
 * the database's with the flow's as fallback. Measured on the traffic.pcap address mix against
 * the test databases (2-core VM, quick nanoTime loop, see {@code EnrichmentThroughputMeasure}):
 * a cached address costs about 20-60 ns, an uncached one about 1-2 us with maxmind-db's node
 * cache and 3.5-5 us without it.
 *
 * <h2>Series and queries</h2>
 * The stage exports its state read-only as {@link io.goflow.exporter.enrich.EnrichmentStats} (per
 * database {@link io.goflow.exporter.enrich.DatabaseStats}); {@code expose.EnrichmentCollector} renders
 * it, and {@code expose.EnrichmentMetric} lists every series. The main queries:
 * <pre>
 * # AS organisation next to traffic by destination AS (info-metric join, no extra series)
 * sum by (dst_asn) (rate(flow_bytes_total[5m]))
 *   * on (dst_asn) group_left (org)
 *   label_replace(flow_asn_info, "dst_asn", "$1", "asn", "(.*)")
 *
 * # Grafana Geomap panel, bits/s by destination city (layer: markers, location from
 * # latitude/longitude fields, format: table, instant)
 * sum by (city, country, latitude, longitude) (rate(flow_city_bytes_total{side="dst"}[5m])) * 8
 *
 * # Database older than 30 days
 * time() - flow_enrichment_database_build_timestamp_seconds &gt; 30 * 86400
 *
 * # A database failed to load or to reload
 * flow_enrichment_database_loaded == 0 or increase(flow_enrichment_reload_errors_total[1h]) &gt; 0
 * </pre>
 *
 * <h2>Updating the databases</h2>
 * No download code: an external job (e.g. {@code geoipupdate}) replaces the files. Preferred is
 * writing the new file next to the old one and renaming it over ({@code mv -f new.mmdb
 * GeoLite2-City.mmdb}); a file rewritten in place also works once its size and modification time
 * have been stable for one {@code reload_interval}, but lookups made while it is being written may
 * fail (counted in {@code flow_enrichment_lookup_errors_total}). See
 * {@link io.goflow.exporter.enrich.DatabaseSlot}.
 */
package io.goflow.exporter.enrich;
