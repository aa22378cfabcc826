package io.goflow.exporter.app;

import io.goflow.exporter.config.ConfigLoader;
import io.goflow.exporter.config.Settings;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectorAppTest
{
    private static Settings settings(final boolean jvmMetrics) throws Exception
    {
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final StringBuilder udp = new StringBuilder();
        for (final String key : new String[] {"netflow_port", "sflow_port", "ipfix_port"})
        {
            try (DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
            {
                udp.append("  ").append(key).append(": ").append(d.getLocalPort()).append('\n');
            }
        }
        return ConfigLoader.loadString("server:\n" + udp + "  listen_addr: \"127.0.0.1\"\n  metrics_addr: \"127.0.0.1\"\n" +
            "  metrics_port: " + port + "\n  metrics_path: /prom\nenrichment:\n  geoip_enabled: false\n" +
            "  asn_enabled: false\nmetrics:\n  jvm_metrics: " + jvmMetrics + "\n  custom_labels:\n    site: lab\n", "t");
    }

    private static HttpResponse<String> get(final int port, final String path) throws Exception
    {
        return HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeHealthAndJvmMetricsWithCustomLabelsWhenStarted() throws Exception
    {
        try (CollectorApp app = CollectorApp.start(settings(true)))
        {
            assertEquals(200, get(app.httpPort(), "/healthz").statusCode());
            final String body = get(app.httpPort(), "/prom").body();
            assertTrue(body.contains("jvm_threads_current{site=\"lab\"}"), body);
            assertFalse(body.contains("job="), body);
            assertFalse(body.contains("instance="), body);
        }
    }

    @Test
    void shouldLeaveOutJvmMetricsWhenDisabled() throws Exception
    {
        try (CollectorApp app = CollectorApp.start(settings(false)))
        {
            assertFalse(get(app.httpPort(), "/prom").body().contains("jvm_"));
        }
    }

    @Test
    void shouldReleaseHttpPortWhenClosed() throws Exception
    {
        final Settings s = settings(false);
        final int port;
        try (CollectorApp app = CollectorApp.start(s))
        {
            port = app.httpPort();
        }
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress()))
        {
            assertEquals(port, again.getLocalPort());
        }
    }
}
