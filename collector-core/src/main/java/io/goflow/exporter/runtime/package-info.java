/**
 * Assembly and lifecycle: {@link io.goflow.exporter.runtime.FlowCollector} builds the listeners,
 * ring, shards and aggregation from one {@code Settings}, starts them, hands each stage's read-only
 * view to the exposition's collectors and drains the ring on close.
 *
 * <h2>Package order</h2>
 * The packages form layers, and a package imports only from layers before it (checked by
 * {@code ArchitectureTest} in collector-app, with ArchUnit, over the compiled classes of every module,
 * which also fails on any package cycle):
 * <pre>
 *   log, config        shared: rate-limited logging; settings records and their loader
 *   ring               the Disruptor ring, its event, record pool and wait strategy
 *   receive            UDP readers that publish datagrams into the ring          (reader threads)
 *   enrich             GeoIP/ASN/network lookups, called by the decode shards
 *   decode             ring consumers that decode and enrich one shard each       (shard threads)
 *   aggregate          ring consumer and windowed tables                          (aggregation thread)
 *   expose             Prometheus exposition of the tables and every stage's counters (scrape threads)
 *   runtime            wires all of the above (this package)
 * </pre>
 * The decoders module ({@code io.goflow.exporter.decoders}) is below all of them; the application
 * module's {@code http} and {@code app} packages are above.
 */
package io.goflow.exporter.runtime;
