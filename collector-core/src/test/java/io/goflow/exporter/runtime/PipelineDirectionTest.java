package io.goflow.exporter.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every import between the core packages points to a layer before the importing one, in the
 * order {@code package-info} of this package gives; a class in a package no layer names fails too,
 * so a new package must take its place in the order.
 */
class PipelineDirectionTest
{
    /** Layers, first to last; a package may import from its own layer and earlier ones. */
    private static final List<List<String>> LAYERS = List.of(
        List.of("log", "config"),
        List.of("ring"),
        List.of("receive"),
        List.of("enrich"),
        List.of("decode"),
        List.of("aggregate"),
        List.of("expose"),
        List.of("runtime"));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.goflow\\.exporter\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Path SOURCES = Path.of("src/main/java/io/goflow/exporter");

    @Test
    void shouldImportOnlyFromEarlierLayers() throws IOException
    {
        final List<String> violations = new ArrayList<>();
        int imports = 0;
        try (Stream<Path> files = Files.walk(SOURCES))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".java")).toList())
            {
                final String pkg = SOURCES.relativize(file).getName(0).toString();
                final int layer = layer(pkg);
                if (layer < 0)
                {
                    violations.add(file + ": package " + pkg + " is in no layer");
                    continue;
                }
                final Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find())
                {
                    final String imported = m.group(1);
                    if (imported.equals("decoders"))
                    {
                        continue; // the decoders module, below every layer
                    }
                    imports++;
                    final int target = layer(imported);
                    if (target < 0 || target > layer)
                    {
                        violations.add(file + ": " + pkg + " imports " + imported);
                    }
                }
            }
        }
        assertTrue(imports > 50, "the scan found the sources' imports: " + imports);
        assertEquals(List.of(), violations);
    }

    private static int layer(final String pkg)
    {
        for (int i = 0; i < LAYERS.size(); i++)
        {
            if (LAYERS.get(i).contains(pkg))
            {
                return i;
            }
        }
        return -1;
    }
}
