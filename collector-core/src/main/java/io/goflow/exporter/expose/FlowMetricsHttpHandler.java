package io.goflow.exporter.expose;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Prometheus scrape handler that streams: the registry's families (which should hold
 * {@code AggregationEngine.tableCollector()} rather than {@code collector()}, plus every other
 * collector) through {@link ExpositionText}, then the flow series straight from
 * the aggregation tables through {@link FlowSeriesTextWriter}, into a chunked response (gzip when
 * the scraper accepts it).
 *
 * <p>Why: simpleclient's {@code HTTPMetricHandler} builds one {@code Sample} object per series and
 * window and buffers the whole text before sending. At the default {@code max_series} of 100k with
 * four windows a scrape is 1.6 million samples and about 240 MB of text, which does not fit the
 * default 512 MB heap next to the sample objects (measured: out of memory at 100k series with
 * -Xmx512m; 1.46 GB allocated per scrape at 10k series, mostly by {@code OutputStreamWriter}
 * encoding every small string). Here memory per scrape is the view snapshot (about 600 bytes per
 * series with all eleven dimensions) plus 64 KiB buffers, whatever the text size.
 *
 * <p>Always answers text format 0.0.4; {@code HEAD} gets the headers only. Runs on the HTTP
 * server's threads; never blocks the aggregation writer.
 */
public final class FlowMetricsHttpHandler implements HttpHandler
{
    private static final int WRITER_BUFFER_CHARS = 64 * 1024;

    private final CollectorRegistry registry;
    private final FlowSeriesTextWriter flowSeries;

    /** @param flowSeries the streamed flow series, or null for the registry alone. */
    public FlowMetricsHttpHandler(final CollectorRegistry registry, final FlowSeriesTextWriter flowSeries)
    {
        this.registry = registry;
        this.flowSeries = flowSeries;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        // Collected before the exchange is committed, so that the caller can still answer a
        // collector that throws with a 500.
        final List<MetricFamilySamples> families = Collections.list(registry.metricFamilySamples());
        try (exchange)
        {
            exchange.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE_004);
            if ("HEAD".equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            final boolean gzip = acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"));
            if (gzip)
            {
                exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            exchange.sendResponseHeaders(200, 0);
            final OutputStream body = gzip ? new GZIPOutputStream(exchange.getResponseBody(), WRITER_BUFFER_CHARS) :
                exchange.getResponseBody();
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), WRITER_BUFFER_CHARS))
            {
                write(writer, families);
            }
        }
    }

    /** Writes the whole exposition (registry, then flow series) to {@code writer}. */
    public void write(final Writer writer) throws IOException
    {
        write(writer, Collections.list(registry.metricFamilySamples()));
    }

    private void write(final Writer writer, final List<MetricFamilySamples> families) throws IOException
    {
        ExpositionText.write(writer, Collections.enumeration(families));
        if (flowSeries != null)
        {
            flowSeries.write(writer);
        }
    }

    private static boolean acceptsGzip(final List<String> acceptEncoding)
    {
        if (acceptEncoding != null)
        {
            for (final String value : acceptEncoding)
            {
                for (final String part : value.split(","))
                {
                    if (part.trim().toLowerCase(java.util.Locale.ROOT).startsWith("gzip"))
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
