package io.goflow.exporter.expose;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

import java.io.IOException;
import java.io.Writer;
import java.util.Collections;
import java.util.List;

/**
 * The body of a Prometheus scrape, streamed: the registry's families (which should hold
 * {@code AggregationStateCollector.of(engine)} plus every other
 * collector) through {@link ExpositionText}, then the flow series straight from
 * the aggregation tables through {@link FlowSeriesTextWriter}. The HTTP server decides status,
 * headers and content coding and hands a writer over its response stream.
 *
 * <p>Why: simpleclient's {@code HTTPMetricHandler} builds one {@code Sample} object per series and
 * window and buffers the whole text before sending. At the default {@code max_series} of 100k with
 * four windows a scrape is 1.6 million samples and about 240 MB of text, which does not fit the
 * default 512 MB heap next to the sample objects (measured: out of memory at 100k series with
 * -Xmx512m; 1.46 GB allocated per scrape at 10k series, mostly by {@code OutputStreamWriter}
 * encoding every small string). Here memory per scrape is the registry's own families plus the
 * writers' buffers (about 0.2 MB allocated per scrape at 100k series, see
 * {@link FlowSeriesTextWriter}), whatever the text size.
 *
 * <p>Always text format 0.0.4 ({@link #CONTENT_TYPE}). Thread-safe; runs on the HTTP server's
 * threads and never blocks the aggregation writer.
 */
public final class ScrapeExposition
{
    /** {@code Content-Type} of the body. */
    public static final String CONTENT_TYPE = TextFormat.CONTENT_TYPE_004;

    private final CollectorRegistry registry;
    private final FlowSeriesTextWriter flowSeries;

    /**
     * @param flowSeries written after the registry; null for the registry alone.
     */
    public ScrapeExposition(final CollectorRegistry registry, final FlowSeriesTextWriter flowSeries)
    {
        this.registry = registry;
        this.flowSeries = flowSeries;
    }

    /** Writes the whole exposition (registry, then flow series) to {@code writer}; does not close it. */
    public void write(final Writer writer) throws IOException
    {
        write(writer, collectRegistry());
    }

    /**
     * Collects the registry's families (small: everything but the flow series), so that a collector
     * that throws can still be answered with an error status before any byte of the body is sent.
     *
     * @throws RuntimeException whatever a collector throws.
     */
    public List<Collector.MetricFamilySamples> collectRegistry()
    {
        return Collections.list(registry.metricFamilySamples());
    }

    /**
     * Writes {@code registryFamilies} (from {@link #collectRegistry()}), then the flow series, to
     * {@code writer}; does not flush or close it.
     */
    public void write(final Writer writer, final List<Collector.MetricFamilySamples> registryFamilies)
        throws IOException
    {
        ExpositionText.write(writer, Collections.enumeration(registryFamilies));
        if (flowSeries != null)
        {
            flowSeries.write(writer);
        }
    }
}
