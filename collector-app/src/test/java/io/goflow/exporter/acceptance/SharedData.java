package io.goflow.exporter.acceptance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates {@code ../shared} (system property {@code shared.dir}, else relative to the working dir). */
final class SharedData
{
    private SharedData()
    {
    }

    static Path dir()
    {
        final String prop = System.getProperty("shared.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop, "testdata")))
        {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        for (final String candidate : new String[] {"../shared", "../../shared", "shared"})
        {
            final Path p = Paths.get(candidate);
            if (Files.isDirectory(p.resolve("testdata")))
            {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("shared data not found: set -Dshared.dir or link ../shared");
    }

    static Path testdata(final String relative)
    {
        return dir().resolve("testdata").resolve(relative);
    }

    static Path tool(final String name)
    {
        return dir().resolve("tools").resolve(name);
    }

    /** @return the project root (the directory holding {@code conf/} and {@code docs/}). */
    static Path projectRoot()
    {
        Path p = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 4 && p != null; i++, p = p.getParent())
        {
            if (Files.isDirectory(p.resolve("docs")) && Files.isDirectory(p.resolve("conf"))
                && Files.exists(p.resolve("pom.xml")))
            {
                return p;
            }
        }
        throw new IllegalStateException("project root (docs/, conf/, pom.xml) not found above " + Paths.get("").toAbsolutePath());
    }
}
