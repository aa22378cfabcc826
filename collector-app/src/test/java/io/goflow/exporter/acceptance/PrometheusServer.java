package io.goflow.exporter.acceptance;

import org.apache.logging.log4j.layout.template.json.util.JsonReader;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Prometheus (Debian's {@code prometheus}) on a free loopback port with a temporary
 * TSDB, scraping the given collectors every second, as {@code ../shared/tools/run_queries.py}
 * does. Stopped by its own PID; its directory is deleted on close.
 */
final class PrometheusServer implements AutoCloseable
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One sample of an instant query result. */
    record Sample(Map<String, String> labels, double value)
    {
    }

    /** An instant query's outcome: {@code error} non-null when it failed. */
    record Result(String query, String error, String resultType, List<Sample> samples)
    {
        boolean empty()
        {
            return samples.isEmpty();
        }

        double single()
        {
            if (samples.size() != 1)
            {
                throw new AssertionError(query + ": expected one sample, got " + samples);
            }
            return samples.get(0).value();
        }
    }

    private final Process process;
    private final Path dir;
    private final String base;
    private final int targets;
    private Instant evaluationTime;

    private PrometheusServer(final Process process, final Path dir, final String base, final int targets)
    {
        this.process = process;
        this.dir = dir;
        this.base = base;
        this.targets = targets;
    }

    static PrometheusServer start(final List<CollectorProcess> collectors) throws IOException, InterruptedException
    {
        return start(collectors, List.of());
    }

    /** @param ruleFiles rule files to load ({@code rule_files}), evaluated every second. */
    static PrometheusServer start(final List<CollectorProcess> collectors, final List<Path> ruleFiles) throws IOException, InterruptedException
    {
        return start(collectors, ruleFiles, CollectorProcess.freeTcpPort());
    }

    /** @param port Prometheus's own HTTP port on 127.0.0.1. */
    static PrometheusServer start(final List<CollectorProcess> collectors, final List<Path> ruleFiles, final int port)
        throws IOException, InterruptedException
    {
        return start(collectors, ruleFiles, port, "");
    }

    /**
     * @param scrapeOptions JSON members added to the scrape config, each followed by a comma, e.g.
     *                      {@code "scheme": "https", "tls_config": {...}, "basic_auth": {...},}.
     */
    static PrometheusServer start(final List<CollectorProcess> collectors, final List<Path> ruleFiles, final int port,
        final String scrapeOptions) throws IOException, InterruptedException
    {
        final String binary = AlertRulesTest.which("prometheus");
        if (binary == null)
        {
            throw new AssertionError("prometheus not on PATH: apt-get install -y prometheus (.ci/run installs it)");
        }
        final Path dir = Files.createTempDirectory("goflow-prom-");
        final StringBuilder targetList = new StringBuilder();
        for (final CollectorProcess c : collectors)
        {
            targetList.append(targetList.length() == 0 ? "" : ", ").append("\"127.0.0.1:").append(c.metricsPort()).append('"');
        }
        final Path cfg = dir.resolve("prometheus.yml");
        final StringBuilder rules = new StringBuilder();
        for (final Path r : ruleFiles)
        {
            rules.append(rules.length() == 0 ? "" : ", ").append('"').append(r.toAbsolutePath()).append('"');
        }
        Files.writeString(cfg, "{\"global\": {\"scrape_interval\": \"1s\", \"evaluation_interval\": \"1s\", \"scrape_timeout\": \"1s\"},\n"
            + " \"rule_files\": [" + rules + "],\n"
            + " \"scrape_configs\": [{\"job_name\": \"goflow\", " + scrapeOptions + " \"static_configs\": [{\"targets\": [" + targetList + "]}]}]}\n");
        final Process p = new ProcessBuilder(binary, "--config.file=" + cfg, "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1d", "--log.level=warn")
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        final PrometheusServer server = new PrometheusServer(p, dir, "http://127.0.0.1:" + port, collectors.size());
        try
        {
            server.awaitReady();
        }
        catch (final IOException | InterruptedException | RuntimeException | AssertionError e)
        {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!process.isAlive())
            {
                throw new AssertionError("prometheus exited " + process.exitValue() + ": " + log());
            }
            try
            {
                if (get("/-/ready").statusCode() == 200 && upTargets() == targets)
                {
                    return;
                }
            }
            catch (final IOException e)
            {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new AssertionError("prometheus or its targets not up after 60 s: " + get("/api/v1/targets").body() + "\n" + log());
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> activeTargets() throws IOException, InterruptedException
    {
        final Map<String, Object> r = (Map<String, Object>)JsonReader.read(get("/api/v1/targets").body());
        return (List<Map<String, Object>>)((Map<String, Object>)r.get("data")).get("activeTargets");
    }

    /** @return the scrape targets as {@code /api/v1/targets} lists them (health, lastError, ...). */
    List<Map<String, Object>> targets() throws IOException, InterruptedException
    {
        return activeTargets();
    }

    private int upTargets() throws IOException, InterruptedException
    {
        return (int)activeTargets().stream().filter(t -> "up".equals(t.get("health"))).count();
    }

    /**
     * Waits until every target's last scrape started after {@code since} plus {@code scrapes}
     * intervals and succeeded, and fixes the evaluation time of all later {@link #query} calls just
     * after those scrapes. A later scrape that times out (the machine is shared) writes staleness
     * markers that would empty instant queries at "now"; at the fixed time they cannot.
     */
    void awaitScrapesAfter(final Instant since, final int scrapes) throws IOException, InterruptedException
    {
        final Instant after = since.plusSeconds(scrapes);
        final long deadlineNs = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - deadlineNs < 0)
        {
            final List<Map<String, Object>> t = activeTargets();
            if (t.size() == targets && t.stream().allMatch(x -> "up".equals(x.get("health")) && lastScrape(x).isAfter(after)))
            {
                final Instant first = t.stream().map(PrometheusServer::lastScrape).min(Instant::compareTo).orElseThrow();
                final Instant last = t.stream().map(PrometheusServer::lastScrape).max(Instant::compareTo).orElseThrow();
                if (Duration.between(first, last).toMillis() < 900)
                {
                    evaluationTime = last.plusMillis(50);
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("targets not all scraped successfully after " + after + ": " + activeTargets());
    }

    private static Instant lastScrape(final Map<String, Object> target)
    {
        return OffsetDateTime.parse((String)target.get("lastScrape")).toInstant();
    }

    /** @return every loaded rule: name, health and last error, from {@code /api/v1/rules}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules() throws IOException, InterruptedException
    {
        final Map<String, Object> r = (Map<String, Object>)JsonReader.read(get("/api/v1/rules").body());
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Map<String, Object> group : (List<Map<String, Object>>)((Map<String, Object>)r.get("data")).get("groups"))
        {
            out.addAll((List<Map<String, Object>>)group.get("rules"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Result query(final String promql) throws IOException, InterruptedException
    {
        final String body = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + (evaluationTime == null ? "" : "&time=" + evaluationTime.getEpochSecond() + "." + String.format("%03d", evaluationTime.getNano() / 1_000_000));
        final HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/query")).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        final HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        final Map<String, Object> r = (Map<String, Object>)JsonReader.read(resp.body());
        if (!"success".equals(r.get("status")))
        {
            return new Result(promql, r.get("errorType") + ": " + r.get("error"), null, List.of());
        }
        final Map<String, Object> data = (Map<String, Object>)r.get("data");
        final String type = (String)data.get("resultType");
        final List<Sample> samples = new ArrayList<>();
        if ("vector".equals(type))
        {
            for (final Map<String, Object> s : (List<Map<String, Object>>)data.get("result"))
            {
                samples.add(new Sample((Map<String, String>)(Map<?, ?>)s.get("metric"), number(((List<Object>)s.get("value")).get(1))));
            }
        }
        else if ("scalar".equals(type))
        {
            samples.add(new Sample(Map.of(), number(((List<Object>)data.get("result")).get(1))));
        }
        else
        {
            return new Result(promql, "unexpected result type " + type, type, List.of());
        }
        return new Result(promql, null, type, samples);
    }

    private static double number(final Object o)
    {
        final String s = String.valueOf(o);
        return switch (s)
        {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private String log()
    {
        try
        {
            return Files.readString(dir.resolve("prometheus.log"));
        }
        catch (final IOException e)
        {
            return "(no log)";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException
    {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        TempFiles.deleteRecursively(dir);
    }

    /** @return the queries of a markdown file: every non-comment line inside ```promql fences. */
    static List<String> queriesOf(final Path markdown) throws IOException
    {
        final List<String> out = new ArrayList<>();
        boolean in = false;
        for (final String raw : Files.readAllLines(markdown))
        {
            final String line = raw.strip();
            if (line.startsWith("```"))
            {
                in = !in && line.equals("```promql");
                continue;
            }
            if (in && !line.isEmpty() && !line.startsWith("#"))
            {
                out.add(line);
            }
        }
        return out;
    }
}
