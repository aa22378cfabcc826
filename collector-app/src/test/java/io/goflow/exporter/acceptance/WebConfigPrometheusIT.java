package io.goflow.exporter.acceptance;

import io.goflow.exporter.http.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tarball behind a web-config file with TLS, client certificates required and verified, and
 * basic auth: a real Prometheus scrapes it with {@code tls_config} and {@code basic_auth} and
 * stores exactly the truth of a real export; curl (another TLS client) is refused without a
 * client certificate or with a wrong password; a password changed in the file is in force
 * without a restart (Prometheus's next scrape is answered 401).
 */
class WebConfigPrometheusIT
{
    private static final Path CAPTURE = SharedData.testdata("exports/softflowd_v9.pcap");

    @TempDir
    Path dir;

    @Test
    void shouldBeScrapedByPrometheusOverMutualTlsWithBasicAuthAndFollowAPasswordChange() throws Exception
    {
        final TestCertificates certs = TestCertificates.make(dir);
        final Path web = dir.resolve("web-config.yml");
        Files.writeString(web, webConfig(TestCertificates.htpasswd("prometheus", "scrape secret", 10)));
        final int[] udp = CollectorProcess.freeUdpPorts(3);
        final int port = CollectorProcess.freeTcpPort();
        final String yaml = CollectorProcess.yaml(new CollectorProcess.Config(), udp, port)
            .replace("  metrics_addr: \"127.0.0.1\"\n", "  metrics_addr: \"127.0.0.1\"\n  web_config_file: \"" + web + "\"\n");
        final CollectorProcess.Access access = new CollectorProcess.Access("https",
            HttpClient.newBuilder().sslContext(certs.clientContext("client.p12")).connectTimeout(Duration.ofSeconds(5)).build(),
            "Basic " + Base64.getEncoder().encodeToString("prometheus:scrape secret".getBytes(StandardCharsets.UTF_8)));
        final FlowExpectations.Totals truth = FlowExpectations.totals(Truth.of(CAPTURE));
        final String scrapeOptions = readmeScrapeOptions(certs);
        try (CollectorProcess c = CollectorProcess.start("web-config", yaml, udp, port, "-Xmx1g", access))
        {
            final int sent = PcapReplayer.send(PcapReplayer.read(CAPTURE), c.ipv4(),
                InetAddress.getByName("127.41.0.1"), 4_000);
            c.awaitQuiet(sent, Duration.ofSeconds(120), MetricNames.FLOWS, MetricNames.BYTES, MetricNames.PACKETS);
            try (PrometheusServer prometheus = PrometheusServer.start(List.of(c), List.of(),
                CollectorProcess.freeTcpPort(), scrapeOptions))
            {
                prometheus.awaitScrapesAfter(Instant.now(), 2);
                assertEquals(1.0, single(prometheus, "up"), "Prometheus scraped over TLS with basic auth");
                assertEquals(truth.flows(), Math.round(single(prometheus, "sum(" + MetricNames.FLOWS + ")")));
                assertEquals(truth.bytes(), Math.round(single(prometheus, "sum(" + MetricNames.BYTES + ")")));
                assertEquals(truth.packets(), Math.round(single(prometheus, "sum(" + MetricNames.PACKETS + ")")));

                final String url = "https://127.0.0.1:" + port + "/metrics";
                final List<String> withCert = List.of("--cacert", certs.file("ca.crt").toString(),
                    "--cert", certs.file("client.crt").toString(), "--key", certs.file("client.key").toString());
                final Curl ok = curl(withCert, "prometheus:scrape secret", url);
                assertEquals("200", ok.status, ok.output);
                assertTrue(ok.output.matches("(?is).*\r\nstrict-transport-security: max-age=31536000\r\n.*"), ok.output);
                assertEquals("401", curl(withCert, "prometheus:guess", url).status);
                final Curl noCert = curl(List.of("--cacert", certs.file("ca.crt").toString()), "prometheus:scrape secret", url);
                assertNotEquals(0, noCert.exit, "no client certificate: " + noCert.output);
                assertTrue(curl(withCert, "prometheus:scrape secret", url).output
                    .contains("flow_http_requests_rejected_total{reason=\"unauthorized\""), "401s counted");

                Files.writeString(web, webConfig(TestCertificates.htpasswd("prometheus", "rotated secret", 10)));
                awaitTargetDown(prometheus, "401");
                final Curl rotated = curl(withCert, "prometheus:rotated secret", url);
                assertEquals("200", rotated.status, rotated.output);
                assertTrue(rotated.output.contains("flow_http_web_config_reloads_total{result=\"success\""), rotated.output);
                assertTrue(rotated.output.matches("(?s).*flow_http_web_config_reloads_total\\{result=\"success\"[^}]*} 1\n.*"),
                    "one reload");
                assertFalse(c.healthy(), "the old password is refused");
            }
        }
    }

    /**
     * The README's {@code scrape-tls} job, its {@code scheme}, {@code tls_config} and
     * {@code basic_auth} as they are, with the example's files replaced by this test's: the CA and
     * client certificate made here and a password file holding "scrape secret".
     */
    @SuppressWarnings("unchecked")
    private String readmeScrapeOptions(final TestCertificates certs) throws IOException
    {
        final String readme = Files.readString(SharedData.projectRoot().resolve("README.md"));
        final int at = readme.indexOf("<!-- readme-config: scrape-tls -->");
        assertTrue(at >= 0, "README: no readme-config: scrape-tls block");
        final int start = readme.indexOf("```yaml\n", at) + "```yaml\n".length();
        final Map<String, Object> config = new org.yaml.snakeyaml.Yaml().load(readme.substring(start, readme.indexOf("```", start)));
        final Map<String, Object> job = ((List<Map<String, Object>>)config.get("scrape_configs")).get(0);
        final Map<String, Object> tls = (Map<String, Object>)job.get("tls_config");
        assertEquals(Map.of("ca_file", "/etc/prometheus/goflow-ca.crt", "cert_file", "/etc/prometheus/client.crt",
            "key_file", "/etc/prometheus/client.key"), tls, "the README's tls_config, as this test replaces it");
        tls.put("ca_file", certs.file("ca.crt").toString());
        tls.put("cert_file", certs.file("client.crt").toString());
        tls.put("key_file", certs.file("client.key").toString());
        final Map<String, Object> auth = (Map<String, Object>)job.get("basic_auth");
        final Path password = dir.resolve("goflow-password");
        Files.writeString(password, "scrape secret\n");
        assertTrue(auth.containsKey("password_file"), auth.toString());
        auth.put("password_file", password.toString());
        final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        return "\"scheme\": " + json.writeValueAsString(job.get("scheme")) + ", \"tls_config\": " +
            json.writeValueAsString(tls) + ", \"basic_auth\": " + json.writeValueAsString(auth) + ",";
    }

    private static String webConfig(final String hash)
    {
        return "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
            "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n" +
            "http_server_config:\n  headers:\n    Strict-Transport-Security: max-age=31536000\n" +
            "basic_auth_users:\n  prometheus: " + hash + "\n";
    }

    private static double single(final PrometheusServer p, final String promql) throws IOException, InterruptedException
    {
        final PrometheusServer.Result r = p.query(promql);
        assertEquals(1, r.samples().size(), promql + ": " + r);
        return r.samples().get(0).value();
    }

    private static void awaitTargetDown(final PrometheusServer p, final String error) throws Exception
    {
        final long deadlineNs = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Map<String, Object>> targets = p.targets();
        while (System.nanoTime() - deadlineNs < 0)
        {
            targets = p.targets();
            if (targets.size() == 1 && "down".equals(targets.get(0).get("health")) &&
                String.valueOf(targets.get(0).get("lastError")).contains(error))
            {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("target not down with " + error + " within 30 s: " + targets);
    }

    private record Curl(int exit, String status, String output)
    {
    }

    private static Curl curl(final List<String> tls, final String user, final String url) throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "10", "-w", "\n%{http_code}"));
        cmd.addAll(tls);
        cmd.addAll(List.of("-u", user, url));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "curl did not end");
        final String status = out.substring(out.lastIndexOf('\n') + 1).strip();
        return new Curl(p.exitValue(), status, out);
    }
}
