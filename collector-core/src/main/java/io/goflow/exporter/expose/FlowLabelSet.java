package io.goflow.exporter.expose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Label names of one kind of series: its own labels, then the {@code metrics.custom_labels} whose
 * names do not collide with its own (a colliding custom label is left out of that kind of series).
 */
final class FlowLabelSet
{
    final List<String> names;
    final List<String> customValues;

    FlowLabelSet(final List<String> own, final Map<String, String> custom)
    {
        final List<String> all = new ArrayList<>(own);
        final List<String> values = new ArrayList<>();
        if (custom != null)
        {
            for (final Map.Entry<String, String> e : custom.entrySet())
            {
                if (!all.contains(e.getKey()))
                {
                    all.add(e.getKey());
                    values.add(e.getValue());
                }
            }
        }
        this.names = Collections.unmodifiableList(all);
        this.customValues = Collections.unmodifiableList(values);
    }

    /** @return a new list: {@code own} values followed by the custom label values. */
    List<String> values(final String... own)
    {
        final List<String> values = new ArrayList<>(names.size());
        values.addAll(Arrays.asList(own));
        values.addAll(customValues);
        return values;
    }
}
