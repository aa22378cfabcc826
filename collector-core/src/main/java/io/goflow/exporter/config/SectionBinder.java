package io.goflow.exporter.config;

import org.yaml.snakeyaml.nodes.Node;

import java.util.List;
import java.util.function.Function;

/**
 * Binds one mapping of the configuration to its settings record. A key is one line in
 * {@link #bind(YamlFields.Section)}: its name, its default and its range together. The section's
 * known keys are not listed by hand: they are the keys {@code bind} asks for when given an empty
 * section ({@link #keysOf}), in the order asked, so {@code bind} must ask for every key on every
 * call, present or not. Errors go to the shared {@link YamlFields}. One instance per load; not
 * thread-safe.
 *
 * @param <T> the settings record.
 */
abstract class SectionBinder<T>
{
    final YamlFields y;

    SectionBinder(final YamlFields y)
    {
        this.y = y;
    }

    /** @return the known keys of the section, in the order of {@code expected one of} hints. */
    abstract List<String> keys();

    /** @return the settings read from {@code s}; every problem is recorded and a default used. */
    abstract T bind(YamlFields.Section s);

    /** Checks the keys of the mapping at {@code node} (null: all defaults) and binds it. */
    final T bind(final Node node, final String path)
    {
        return bind(y.section(node, path, keys()));
    }

    /** @return the keys a binder made by {@code factory} asks for when binding an empty section. */
    static List<String> keysOf(final Function<YamlFields, ? extends SectionBinder<?>> factory)
    {
        final YamlFields.Section empty = new YamlFields.Section("", null);
        factory.apply(new YamlFields("")).bind(empty);
        return List.copyOf(empty.asked);
    }
}
