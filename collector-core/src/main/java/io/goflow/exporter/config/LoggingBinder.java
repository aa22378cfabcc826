package io.goflow.exporter.config;

/** Binds {@code logging} to {@link LoggingSettings}. */
final class LoggingBinder extends SectionBinder<LoggingSettings>
{
    LoggingBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    LoggingSettings bind(final YamlFields.Section s)
    {
        final LoggingSettings d = LoggingSettings.defaults();
        return new LoggingSettings(
            y.choice(s, "level", "log level", LoggingSettings.LEVELS, d.level()),
            y.choice(s, "format", "log format", LoggingSettings.FORMATS, d.format()));
    }
}
