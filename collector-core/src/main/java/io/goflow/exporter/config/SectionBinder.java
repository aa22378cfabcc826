package io.goflow.exporter.config;

import org.yaml.snakeyaml.nodes.Node;

import java.util.List;

/**
 * Binds one mapping of the configuration to its settings record. A key is one line in
 * {@link #bind(YamlFields.Section)}: its name, its default and its range together. The section's
 * known keys are not listed by hand: they are the keys {@code bind} asks for when given an empty
 * section ({@link #keys}), in the order asked, so {@code bind} must ask for every key on every call,
 * present or not. A binder has a constructor taking the {@link YamlFields} its errors go to. One
 * instance per load; not thread-safe.
 *
 * @param <T> the settings record.
 */
abstract class SectionBinder<T>
{
    /** Per binder class: the keys its {@code bind} asks for, derived once with a scratch {@link YamlFields}. */
    private static final ClassValue<List<String>> KEYS = new ClassValue<>()
    {
        @Override
        protected List<String> computeValue(final Class<?> type)
        {
            final SectionBinder<?> binder;
            try
            {
                binder = (SectionBinder<?>)type.getDeclaredConstructor(YamlFields.class)
                    .newInstance(new YamlFields(""));
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new IllegalStateException(type + " needs a constructor taking YamlFields", ex);
            }
            final YamlFields.Section empty = new YamlFields.Section("", null);
            binder.bind(empty);
            return List.copyOf(empty.asked);
        }
    };

    final YamlFields y;

    SectionBinder(final YamlFields y)
    {
        this.y = y;
    }

    /** @return the known keys of the section, in the order of {@code expected one of} hints. */
    final List<String> keys()
    {
        return KEYS.get(getClass());
    }

    /** @return the settings read from {@code s}; every problem is recorded and a default used. */
    abstract T bind(YamlFields.Section s);

    /** Checks the keys of the mapping at {@code node} (null: all defaults) and binds it. */
    final T bind(final Node node, final String path)
    {
        return bind(y.section(node, path, keys()));
    }
}
