package io.goflow.exporter.acceptance;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A config built from another: the overlay's keys replace the base's, section by section. */
final class YamlOverlay
{
    private YamlOverlay()
    {
    }

    /** @return {@code base} with every key of {@code overlay} set, nested mappings merged. */
    static String merge(final String base, final String overlay)
    {
        final Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        final Map<String, Object> merged = mapping(yaml.load(base));
        mergeInto(merged, mapping(yaml.load(overlay)));
        final DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(new Representer(options), options).dump(merged);
    }

    /**
     * @return the YAML block of {@code file} that follows the line {@code <!-- docs-config: NAME -->}
     * (a fenced {@code yaml} block), so that a test runs what the documentation shows.
     */
    static String documentedBlock(final Path file, final String name) throws IOException
    {
        final String text = Files.readString(file);
        final int marker = text.indexOf("<!-- docs-config: " + name + " -->");
        if (marker < 0)
        {
            throw new IllegalStateException(file + ": no docs-config: " + name + " block");
        }
        final int start = text.indexOf("```yaml\n", marker) + "```yaml\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(final Object node)
    {
        return node == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>)node);
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(final Map<String, Object> base, final Map<String, Object> overlay)
    {
        for (final Map.Entry<String, Object> e : overlay.entrySet())
        {
            final Object existing = base.get(e.getKey());
            if (existing instanceof Map && e.getValue() instanceof Map)
            {
                final Map<String, Object> nested = mapping(existing);
                mergeInto(nested, (Map<String, Object>)e.getValue());
                base.put(e.getKey(), nested);
            }
            else
            {
                base.put(e.getKey(), e.getValue());
            }
        }
    }
}
