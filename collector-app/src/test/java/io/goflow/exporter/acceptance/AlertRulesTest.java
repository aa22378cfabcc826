package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
