package io.goflow.exporter.acceptance;

import io.goflow.exporter.config.AggregationSettings;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code conf/alerts.yml} passes {@code promtool check rules}, and its unit tests
 * ({@code conf/alerts_test.yml}: every alert fires on series it should and stays quiet on the
 * others) pass {@code promtool test rules}. promtool comes from Debian's {@code prometheus}
 * package, which {@code .ci/run} installs.
 */
class AlertRulesTest
{
    @Test
    void shouldPassPromtoolCheckWhenAlertRulesAreLoaded() throws Exception
    {
        final Path conf = SharedDataConf.conf();
        assertPromtool(conf, "check", "rules", "alerts.yml");
    }

    @Test
    void shouldPassEveryUnitTestWhenAlertRulesAreEvaluated() throws Exception
    {
        final Path conf = SharedDataConf.conf();
        assertPromtool(conf, "test", "rules", "alerts_test.yml");
    }

    /**
     * The README's {@code scrape_configs} example is a valid Prometheus configuration and its
     * {@code sample_limit} admits a full default-layout scrape (16 samples x the default
     * {@code max_series}).
     */
    @Test
    void shouldPassPromtoolCheckWhenTheReadmeScrapeConfigIsLoaded() throws Exception
    {
        final String readme = Files.readString(SharedData.projectRoot().resolve("README.md"));
        final int at = readme.indexOf("<!-- readme-config: scrape -->");
        assertTrue(at >= 0, "README: no readme-config: scrape block");
        final int start = readme.indexOf("```yaml\n", at) + "```yaml\n".length();
        final String block = readme.substring(start, readme.indexOf("```", start));
        final Matcher limit = Pattern.compile("sample_limit: (\\d+)").matcher(block);
        assertTrue(limit.find(), block);
        assertTrue(
            Long.parseLong(limit.group(1)) > 16L * AggregationSettings.MAX_SERIES_DEFAULT,
            "sample_limit below a full default scrape: " + limit.group(1));
        final Path dir = Files.createTempDirectory("readme-scrape");
        Files.writeString(dir.resolve("prometheus.yml"), block);
        assertPromtool(dir, "check", "config", "prometheus.yml");
    }

    private static void assertPromtool(final Path dir, final String... args) throws Exception
    {
        final String promtool = which("promtool");
        assumeTrue(promtool != null, "promtool not on PATH: install Debian's prometheus package (apt-get install -y prometheus), as .ci/run does");
        final String[] cmd = new String[args.length + 1];
        cmd[0] = promtool;
        System.arraycopy(args, 0, cmd, 1, args.length);
        final Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + " in " + dir + ":\n" + out);
    }

    static String which(final String program)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            final File f = new File(dir, program);
            if (f.canExecute())
            {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /** The project's {@code conf/} directory. */
    private static final class SharedDataConf
    {
        static Path conf()
        {
            return SharedData.projectRoot().resolve("conf");
        }
    }
}
