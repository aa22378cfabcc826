package io.goflow.exporter.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build version, from a resource filtered by Maven. */
public final class Version
{
    private static final String VERSION = read();

    private Version()
    {
    }

    /** @return e.g. {@code 0.1.0}; {@code unknown} when run from unfiltered classes. */
    public static String get()
    {
        return VERSION;
    }

    private static String read()
    {
        try (InputStream in = Version.class.getResourceAsStream("version.properties"))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties p = new Properties();
            p.load(in);
            final String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }
}
