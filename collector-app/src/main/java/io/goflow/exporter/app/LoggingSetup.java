package io.goflow.exporter.app;

import io.goflow.exporter.config.LoggingSettings;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

import java.util.Locale;

/**
 * Log4j2 set-up from {@code logging}: level and format (JSON lines or text) to standard output.
 *
 * <p>Logging is asynchronous: {@link #prepareAsync()} selects Log4j2's
 * {@code AsyncLoggerContextSelector} (Disruptor-backed; the Disruptor 4 jar ships in {@code lib/})
 * before the first logger exists, and a full queue discards INFO and below instead of blocking,
 * so a slow disk or pipe never stalls a receive thread. Shutdown flushing is done by the
 * application ({@link org.apache.logging.log4j.LogManager#shutdown()}), not by Log4j2's own hook.
 *
 * <p>When the system property {@code log4j2.configurationFile} is set, that file wins and
 * {@link #configure} leaves the configuration alone.
 */
public final class LoggingSetup
{
    /**
     * One JSON object per line: {@code timestamp} (UTC ISO-8601, ms), {@code level},
     * {@code logger}, {@code thread}, {@code message}, then every ThreadContext entry and every
     * {@link org.apache.logging.log4j.message.MapMessage} entry as top-level fields, and
     * {@code error} (stack trace text) when an exception is attached.
     */
    public static final String JSON_TEMPLATE = """
        {
          "timestamp": {"$resolver": "timestamp", "pattern": {"format": "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", "timeZone": "UTC"}},
          "level": {"$resolver": "level", "field": "name"},
          "logger": {"$resolver": "logger", "field": "name"},
          "thread": {"$resolver": "thread", "field": "name"},
          "message": {"$resolver": "message", "stringified": true},
          "context": {"$resolver": "mdc", "flatten": true, "stringified": true},
          "fields": {"$resolver": "map", "flatten": true, "stringified": true},
          "error": {"$resolver": "exception", "field": "stackTrace", "stackTrace": {"stringified": true}}
        }""";

    /** Text lines: time, level, thread, logger, message, ThreadContext fields. */
    public static final String TEXT_PATTERN =
        "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}{UTC} %-5level [%t] %c{1.} - %msg%notEmpty{ %X}%n%throwable";

    private LoggingSetup()
    {
    }

    /** Must run before any Log4j2 logger is created (first thing in {@code main}). */
    public static void prepareAsync()
    {
        setIfAbsent("log4j2.contextSelector", "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector");
        setIfAbsent("log4j2.asyncQueueFullPolicy", "Discard");
        setIfAbsent("log4j2.discardThreshold", "INFO");
        setIfAbsent("log4j2.shutdownHookEnabled", "false");
    }

    /**
     * Applies level and format.
     *
     * @param overrideLevel {@code --log-level}, or null to use {@code settings.level()}.
     */
    public static void configure(final LoggingSettings settings, final String overrideLevel)
    {
        if (System.getProperty("log4j2.configurationFile") != null)
        {
            return;
        }
        Configurator.reconfigure(build(settings, overrideLevel).build());
    }

    static ConfigurationBuilder<BuiltConfiguration> build(final LoggingSettings settings, final String overrideLevel)
    {
        final ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("goflow-exporter");
        b.setStatusLevel(Level.ERROR);
        final AppenderComponentBuilder console = b.newAppender("stdout", "Console")
            .addAttribute("target", ConsoleAppender.Target.SYSTEM_OUT);
        if ("text".equals(settings.format()))
        {
            console.add(b.newLayout("PatternLayout").addAttribute("pattern", TEXT_PATTERN));
        }
        else
        {
            console.add(b.newLayout("JsonTemplateLayout").addAttribute("eventTemplate", JSON_TEMPLATE));
        }
        b.add(console);
        b.add(b.newRootLogger(level(overrideLevel != null ? overrideLevel : settings.level()))
            .add(b.newAppenderRef("stdout")));
        return b;
    }

    /** @return the Log4j2 level for a config level name ({@code debug}, {@code info}, {@code warn}, {@code error}). */
    public static Level level(final String name)
    {
        return Level.toLevel(name.toUpperCase(Locale.ROOT), Level.INFO);
    }

    private static void setIfAbsent(final String key, final String value)
    {
        if (System.getProperty(key) == null)
        {
            System.setProperty(key, value);
        }
    }
}
