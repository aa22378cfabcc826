package io.goflow.exporter.config;

import java.util.List;

/**
 * {@code logging}.
 *
 * @param level  {@code debug}, {@code info}, {@code warn} or {@code error}. Default {@code info}.
 * @param format {@code json} or {@code text}. Default {@code json}.
 */
public record LoggingSettings(String level, String format)
{
    public static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
    public static final List<String> FORMATS = List.of("json", "text");

    public static LoggingSettings defaults()
    {
        return new LoggingSettings("info", "json");
    }
}
