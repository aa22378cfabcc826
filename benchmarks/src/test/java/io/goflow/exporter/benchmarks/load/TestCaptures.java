package io.goflow.exporter.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code shared/testdata/exports} the way every module's tests do. */
final class TestCaptures
{
    private TestCaptures()
    {
    }

    static Path export(final String name)
    {
        final String shared = System.getProperty("shared.dir");
        for (final Path base : new Path[] {shared == null ? null : Path.of(shared), Path.of("../shared"), Path.of("../../shared")})
        {
            if (base != null && Files.isDirectory(base.resolve("testdata/exports")))
            {
                return base.resolve("testdata/exports").resolve(name);
            }
        }
        throw new IllegalStateException("shared/testdata/exports not found; set -Dshared.dir");
    }
}
