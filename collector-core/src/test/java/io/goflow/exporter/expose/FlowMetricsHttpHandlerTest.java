package io.goflow.exporter.expose;

import com.sun.net.httpserver.HttpServer;
import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.LabelGroup;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.FlowRecord;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowMetricsHttpHandlerTest
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;

    private HttpServer server;
    private AggregationEngine engine;

    @BeforeEach
    void start() throws IOException
    {
        final AggregationSettings aggregation = new AggregationSettings(AggregationSettings.TIME_WINDOWS_DEFAULT,
            List.of(Dimension.DST_PORT), AggregationSettings.MINUTE_NS, 10, 65 * AggregationSettings.MINUTE_NS,
            false, 0, List.of());
        final MetricsSettings metrics = new MetricsSettings("flow", "", List.of(LabelGroup.values()), Map.of(), false);
        engine = new AggregationEngine(aggregation, metrics, () -> T0_NS);
        final FlowRecord r = new FlowRecord();
        r.proto = 6;
        r.dstPort = 443;
        r.bytes = 1234;
        r.packets = 2;
        engine.onFlowRecord(r, T0_NS);
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(engine.tableCollector());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/metrics", new FlowMetricsHttpHandler(registry, engine.flowSeriesTextWriter()));
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.stop(0);
    }

    private String expectedText() throws IOException
    {
        final CollectorRegistry registry = new CollectorRegistry();
        registry.register(engine.tableCollector());
        final StringWriter text = new StringWriter();
        new FlowMetricsHttpHandler(registry, engine.flowSeriesTextWriter()).write(text);
        return text.toString();
    }

    private HttpURLConnection get(final boolean gzip) throws IOException
    {
        final URL url = new URL("http", "127.0.0.1", server.getAddress().getPort(), "/metrics");
        final HttpURLConnection connection = (HttpURLConnection)url.openConnection();
        if (gzip)
        {
            connection.setRequestProperty("Accept-Encoding", "gzip");
        }
        return connection;
    }

    @Test
    void shouldServeTableMetricsAndStreamedFlowSeriesWhenScraped() throws IOException
    {
        final HttpURLConnection connection = get(false);
        final String body;
        try (InputStream in = connection.getInputStream())
        {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertEquals(200, connection.getResponseCode());
        assertEquals(TextFormat.CONTENT_TYPE_004, connection.getHeaderField("Content-Type"));
        assertTrue(body.contains("flow_bytes_total{dst_port=\"443\"} 1234\n"), body);
        assertTrue(body.contains("flow_aggregation_series{view=\"main\"} 1\n"), body);
        assertEquals(1, body.split("# TYPE flow_bytes_total counter").length - 1, "flow series not also in the registry");
        assertEquals(expectedText(), body);
    }

    @Test
    void shouldGzipWhenScraperAcceptsIt() throws IOException
    {
        final HttpURLConnection connection = get(true);
        final String body;
        try (InputStream in = new GZIPInputStream(connection.getInputStream()))
        {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertEquals("gzip", connection.getHeaderField("Content-Encoding"));
        assertEquals(expectedText(), body);
        assertFalse(body.isEmpty());
    }
}
