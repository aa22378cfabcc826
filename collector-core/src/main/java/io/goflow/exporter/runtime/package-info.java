/**
 * Assembly and lifecycle: {@link io.goflow.exporter.runtime.FlowCollector} builds the listeners,
 * ring, shards and aggregation from one {@code Settings}, starts them, exposes their collectors
 * and drains the ring on close.
 */
package io.goflow.exporter.runtime;
