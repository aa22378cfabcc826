/**
 * Windowed, bounded, exact aggregation of flow records into Prometheus series.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.goflow.exporter.aggregate.AggregationHandler}: the ring consumer that feeds
 *   the engine, batches {@code onEndOfBatch} and records latency; the aggregation thread.</li>
 *   <li>{@link io.goflow.exporter.aggregate.AggregationEngine}: the stage; owns one
 *   {@link io.goflow.exporter.aggregate.AggregationView} per view and the
 *   {@link io.goflow.exporter.aggregate.InterfaceCounterTable}.</li>
 *   <li>{@link io.goflow.exporter.aggregate.SeriesKeyDescriptor}: which dimensions a view keeps and
 *   how they pack into a fixed-width key and render as label text.</li>
 *   <li>{@link io.goflow.exporter.aggregate.SeriesTable}: the off-heap open-addressing table with
 *   backward-shift deletion and per-record sequence locks.</li>
 *   <li>{@link io.goflow.exporter.aggregate.SlidingWindows}: the sub-bucket rings behind
 *   {@code flow_bandwidth_bps} and the {@code window} gauges.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Fixed at start, logged, and exported as {@code flow_aggregation_memory_bytes{view}}. Per view:
 * <pre>
 * records = (max_series + 1) x roundUp64(24 + key + 24 + 8 x windows + 312 x windows)
 * index   = 8 x nextPowerOfTwo(2 x max_series)            (load factor at most 0.5)
 * free    = 4 x max_series                                 (on-heap id stack)
 * </pre>
 * {@code key} is the packed width of the view's dimensions rounded up to 8 (all eleven spec
 * dimensions: 57, so 64; a 5-tuple: 37, so 40). With the defaults (eleven dimensions, four
 * windows, 100,000 series) that is 1,408 bytes per record and 143,298,624 bytes (137 MiB) for the
 * main view.
 * Traffic never adds memory: new keys beyond {@code max_series} go to the overflow series.
 *
 * <h2>Threads</h2>
 * The aggregation thread is the only writer and never locks; scrape threads read each record
 * under its sequence lock and see every record as soon as {@code onFlowRecord} returns.
 *
 * <p>Nothing here knows the exposition: package {@code expose} reads the aggregation through the
 * read-only {@link io.goflow.exporter.aggregate.AggregationReader}
 * ({@code FlowSeriesTextWriter.of(reader)}, {@code AggregationStateCollector.of(reader)}), and the
 * ring consumer's counts and latency histogram through
 * {@link io.goflow.exporter.aggregate.AggregationStats} ({@code PipelineMetricsCollector}).
 */
package io.goflow.exporter.aggregate;
