package io.goflow.exporter.app;

import io.goflow.exporter.config.ConfigException;
import io.goflow.exporter.config.ConfigLoader;
import io.goflow.exporter.config.LoggingSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.runtime.HeapBudget;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * Command line entry point.
 *
 * <pre>
 * goflow-exporter [--config FILE] [--check-config FILE] [--log-level LEVEL] [--version] [--help]
 * </pre>
 *
 * {@code goflow-exporter decode ...} is not handled here: the start script runs the offline tool of
 * collector-tools for it (see {@link #COMMAND_LIST}).
 *
 * Exit codes: {@value #EXIT_OK} success (also after SIGTERM/SIGINT), {@value #EXIT_RUNTIME}
 * runtime failure that a restart may cure (a port in use), {@value #EXIT_CONFIG} a configuration
 * this host cannot run: invalid, unreadable, or failing the {@link StartupCheck}. Errors are one
 * line on standard error; the stack trace follows only at log level debug.
 *
 * <p>Run sequence: load and validate the config (embedded defaults without {@code --config}),
 * configure logging, run the {@link StartupCheck} that {@code --check-config} runs, start the
 * {@link CollectorApp} (pipeline, then HTTP), then wait. A shutdown hook stops HTTP, drains and
 * closes the pipeline, flushes the log and halts with status 0.
 */
@Command(
    name = "goflow-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    sortOptions = false,
    description = "NetFlow v5/v9, IPFIX and sFlow v5 collector exporting aggregated Prometheus metrics.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success; also after SIGTERM/SIGINT",
        "1:runtime failure a restart may cure (port in use)",
        "2:configuration this host cannot run (invalid or unreadable file, missing required database,",
        "  unknown interface, address not on this host) or bad usage"})
public final class Main implements Callable<Integer>
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_RUNTIME = 1;
    public static final int EXIT_CONFIG = 2;

    /** Longest a SIGTERM/SIGINT shutdown may take before the process halts with status 1. */
    public static final long SHUTDOWN_TIMEOUT_MS = 10_000;

    @Option(names = "--config", paramLabel = "FILE",
        description = "YAML configuration; without it the embedded defaults (the spec's values) are used.")
    Path config;

    @Option(names = "--check-config", paramLabel = "FILE",
        description = "Check FILE as start-up would without binding its ports, print every problem, " +
            "exit 0 (can start) or 2 (cannot). Starts nothing.")
    Path checkConfig;

    @Option(names = "--log-level", paramLabel = "LEVEL",
        description = "Override logging.level: debug, info, warn or error.")
    String logLevel;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(final String[] args)
    {
        LoggingSetup.prepareAsync();
        System.exit(commandLine().execute(args));
    }

    /**
     * {@code --help}'s list of commands. {@code decode} is an offline tool in collector-tools, which
     * the collector does not depend on: {@code bin/goflow-exporter decode ...} runs it from the
     * tarball's {@code lib/}, so it is listed here rather than registered as a subcommand.
     */
    static final String COMMAND_LIST = String.format(
        "Commands:%n" +
        "  decode  Decode NetFlow v5/v9, IPFIX and sFlow v5 datagrams from pcap/pcapng%n" +
        "            captures to JSON lines (see goflow-exporter decode --help).%n");

    /** @return the command line with our exit-code mapping. */
    public static CommandLine commandLine()
    {
        final CommandLine cl = new CommandLine(new Main());
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> COMMAND_LIST);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            commandLine.getErr().println("goflow-exporter: error: " + describe(ex));
            return EXIT_RUNTIME;
        });
        return cl;
    }

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        if (logLevel != null && !LoggingSettings.LEVELS.contains(logLevel))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--log-level: unknown level \"" + logLevel + "\"; expected one of: " +
                String.join(", ", LoggingSettings.LEVELS));
        }
        if (checkConfig != null)
        {
            return checkConfig(err);
        }
        final Loaded result = config == null ? new Loaded(Settings.defaults(), false) : load(config, err);
        if (result.settings() == null)
        {
            return EXIT_CONFIG;
        }
        final Settings loaded = result.settings();
        LoggingSetup.configure(loaded.logging(), logLevel);
        final Logger log = LogManager.getLogger(Main.class);
        final StartupCheck.Result check = StartupCheck.run(loaded);
        // Warnings (a database that is missing) are logged by the enrichment service itself.
        if (!check.ok())
        {
            check.errors().forEach(e -> err.println("goflow-exporter: error: " + e));
            err.flush();
            LogManager.shutdown();
            return EXIT_CONFIG;
        }
        final boolean debug = "debug".equals(logLevel != null ? logLevel : loaded.logging().level());
        try
        {
            return run(loaded, result.empty(), log);
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("goflow-exporter: error: " + describe(ex));
            if (debug)
            {
                ex.printStackTrace(err);
            }
            err.flush();
            LogManager.shutdown();
            return EXIT_RUNTIME;
        }
    }

    /** {@code --check-config}: what start-up would say, without binding the configured ports. */
    private int checkConfig(final PrintWriter err)
    {
        final Loaded checked = load(checkConfig, err);
        if (checked.settings() == null)
        {
            return EXIT_CONFIG;
        }
        final StartupCheck.Result check = StartupCheck.run(checked.settings());
        check.warnings().forEach(w -> err.println("goflow-exporter: warning: " + w));
        check.errors().forEach(e -> err.println("goflow-exporter: error: " + e));
        final PrintWriter out = spec.commandLine().getOut();
        if (!check.ok())
        {
            out.println(checkConfig + ": cannot start (" + check.errors().size() + " error" +
                (check.errors().size() == 1 ? "" : "s") + "); not checked: " + StartupCheck.NOT_CHECKED);
            return EXIT_CONFIG;
        }
        out.println(checkConfig + ": OK" + (checked.empty() ? " (empty file: runs on the embedded defaults)" : "") +
            "; not checked: " + StartupCheck.NOT_CHECKED);
        return EXIT_OK;
    }

    /**
     * @param settings null after the errors were printed.
     * @param empty    the file held no document, so the settings are the embedded defaults.
     */
    private record Loaded(Settings settings, boolean empty)
    {
    }

    /** Every failure to read or validate the file is a configuration failure ({@value #EXIT_CONFIG}). */
    private static Loaded load(final Path file, final PrintWriter err)
    {
        try
        {
            final Settings settings = ConfigLoader.load(file);
            return new Loaded(settings, ConfigLoader.isEmptyDocument(Files.readString(file, StandardCharsets.UTF_8)));
        }
        catch (final ConfigException ex)
        {
            err.println(ex.getMessage());
            return new Loaded(null, false);
        }
        catch (final IOException ex)
        {
            err.println("goflow-exporter: error: cannot read config: " + describe(file, ex));
            return new Loaded(null, false);
        }
    }

    private int run(final Settings loaded, final boolean emptyConfig, final Logger log) throws IOException
    {
        log.info("goflow-exporter {} starting with {}", Version.get(),
            config == null ? "embedded defaults (no --config)" :
            "config " + config + (emptyConfig ? " (empty file: embedded defaults)" : ""));
        final HeapBudget budget = HeapBudget.of(loaded, Runtime.getRuntime().maxMemory());
        log.info("Memory budget: bounded state at most {} MiB of {} MiB allowed ({}% of the maximum heap): {}",
            budget.totalBytes() >> 20, budget.allowedBytes() >> 20, HeapBudget.HEAP_SHARE_PERCENT, budget.pieces());
        final CollectorApp app = CollectorApp.start(loaded);
        log.info("HTTP endpoint on {}:{} (metrics at {}, health at /healthz; {})",
            loaded.server().metricsAddr(), app.httpPort(), loaded.server().metricsPath(),
            loaded.server().webConfigFile().isEmpty() ? "plain HTTP, no authentication: no server.web_config_file" :
                app.security().describe() + ", from " + loaded.server().webConfigFile());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(app, log), "shutdown"));
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    /**
     * Runs on SIGTERM/SIGINT: stop HTTP, drain and close the pipeline, flush the log, then halt
     * with 0 (a plain return would let the JVM report the signal as status 143/130).
     */
    private void shutdown(final CollectorApp app, final Logger log)
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                Thread.sleep(SHUTDOWN_TIMEOUT_MS);
                System.err.println("goflow-exporter: error: shutdown did not finish within " +
                    SHUTDOWN_TIMEOUT_MS / 1000 + " s; halting");
                Runtime.getRuntime().halt(EXIT_RUNTIME);
            }
            catch (final InterruptedException ignored)
            {
                Thread.currentThread().interrupt();
            }
        }, "shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int status = EXIT_OK;
        try
        {
            log.info("signal received, shutting down");
            app.close();
            log.info("stopped");
        }
        catch (final RuntimeException ex)
        {
            System.err.println("goflow-exporter: error during shutdown: " + describe(ex));
            status = EXIT_RUNTIME;
        }
        finally
        {
            stopped.countDown();
            LogManager.shutdown();
            System.out.flush();
            System.err.flush();
        }
        Runtime.getRuntime().halt(status);
    }

    /** @return a one-line description of a failure to read {@code file}, naming it once. */
    static String describe(final Path file, final IOException ex)
    {
        if (Files.isDirectory(file))
        {
            return file + ": is a directory, not a file";
        }
        final String message = describe(ex);
        return message.contains(file.toString()) ? message : file + ": " + message;
    }

    /** @return a one-line description naming the file or address involved. */
    static String describe(final Throwable ex)
    {
        if (ex instanceof NoSuchFileException e)
        {
            return e.getFile() + ": no such file";
        }
        if (ex instanceof AccessDeniedException e)
        {
            return e.getFile() + ": permission denied";
        }
        final String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message.replace('\n', ' ');
    }

    /** Reports the build version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"goflow-exporter " + Version.get()};
        }
    }
}
