package io.goflow.exporter.config;

import java.util.List;

/**
 * The configuration is invalid. Holds every error found, not just the first; the message is the
 * errors, one per line.
 */
public final class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(final List<ConfigError> errors)
    {
        super(render(errors));
        this.errors = List.copyOf(errors);
    }

    /** @return every error, ordered by line. */
    public List<ConfigError> errors()
    {
        return errors;
    }

    private static String render(final List<ConfigError> errors)
    {
        final StringBuilder sb = new StringBuilder();
        for (final ConfigError e : errors)
        {
            if (sb.length() > 0)
            {
                sb.append('\n');
            }
            sb.append(e);
        }
        return sb.toString();
    }
}
