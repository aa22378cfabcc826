package io.goflow.exporter.config;

/**
 * {@code logging}.
 *
 * @param level  {@code debug}, {@code info}, {@code warn} or {@code error}. Default {@code info}.
 * @param format {@code json} or {@code text}. Default {@code json}.
 */
public record LoggingSettings(String level, String format)
{
    public static LoggingSettings defaults()
    {
        return new LoggingSettings("info", "json");
    }
}
