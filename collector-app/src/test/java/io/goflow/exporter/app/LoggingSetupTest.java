package io.goflow.exporter.app;

import io.goflow.exporter.config.LoggingSettings;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoggingSetupTest
{
    private static String render(final Log4jLogEvent event)
    {
        final JsonTemplateLayout layout = JsonTemplateLayout.newBuilder()
            .setConfiguration(new DefaultConfiguration())
            .setEventTemplate(LoggingSetup.JSON_TEMPLATE)
            .build();
        return layout.toSerializable(event);
    }

    @Test
    void shouldWriteOneJsonLineWithStandardFields()
    {
        final String line = render(Log4jLogEvent.newBuilder()
            .setLoggerName("io.goflow.exporter.app.Main")
            .setLevel(Level.WARN)
            .setThreadName("main")
            .setTimeMillis(1_700_000_000_123L)
            .setMessage(new SimpleMessage("database missing"))
            .build());
        assertEquals("{\"timestamp\":\"2023-11-14T22:13:20.123Z\",\"level\":\"WARN\"," +
            "\"logger\":\"io.goflow.exporter.app.Main\",\"thread\":\"main\",\"message\":\"database missing\"}\n", line);
    }

    @Test
    void shouldFlattenThreadContextAndMapMessageFieldsIntoTopLevel()
    {
        final SortedArrayStringMap context = new SortedArrayStringMap();
        context.putValue("listener", "netflow");
        final String line = render(Log4jLogEvent.newBuilder()
            .setLoggerName("l")
            .setLevel(Level.INFO)
            .setThreadName("t")
            .setTimeMillis(0)
            .setContextData(context)
            .setMessage(new StringMapMessage().with("port", "2055"))
            .build());
        assertTrue(line.contains("\"listener\":\"netflow\""), line);
        assertTrue(line.contains("\"port\":\"2055\""), line);
        assertFalse(line.contains("\"context\""), line);
    }

    @Test
    void shouldUseCommandLineLevelOverConfiguredLevel()
    {
        final ConfigurationBuilder<BuiltConfiguration> b = LoggingSetup.build(new LoggingSettings("info", "json"), "debug");
        assertEquals(Level.DEBUG, b.build().getRootLogger().getLevel());
    }

    @Test
    void shouldUseConfiguredLevelWithoutOverride()
    {
        final ConfigurationBuilder<BuiltConfiguration> b = LoggingSetup.build(new LoggingSettings("warn", "text"), null);
        assertEquals(Level.WARN, b.build().getRootLogger().getLevel());
    }
}
