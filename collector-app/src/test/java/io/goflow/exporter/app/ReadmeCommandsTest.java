package io.goflow.exporter.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CI must run exactly the test command the README gives. */
class ReadmeCommandsTest
{
    private static Path root()
    {
        return Files.isRegularFile(Path.of("..", "README.md")) ? Path.of("..") : Path.of(".");
    }

    @Test
    void shouldRunReadmeTestCommandInCi() throws IOException
    {
        final List<String> ci = Files.readAllLines(root().resolve(".ci/run"));
        final String command = ci.get(ci.size() - 1).trim();
        assertEquals(".ci/deps && mvn -B verify", command);
        final String readme = Files.readString(root().resolve("README.md"));
        assertTrue(readme.contains("```sh\n   " + command + "\n   ```"), "README lacks the CI test command");
    }
}
