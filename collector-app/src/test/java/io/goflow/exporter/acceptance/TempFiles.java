package io.goflow.exporter.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes the suite's temporary directories. */
final class TempFiles
{
    private TempFiles()
    {
    }

    static void deleteRecursively(final Path dir)
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> s = Files.walk(dir))
        {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} when the test JVM exits. */
    static void deleteOnExit(final Path dir)
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
    }
}
