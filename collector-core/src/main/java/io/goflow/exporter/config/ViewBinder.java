package io.goflow.exporter.config;

import org.yaml.snakeyaml.nodes.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Binds the entries of {@code aggregation.views}, one {@link ViewSettings} each; remembers the
 * names seen so that a second view of a name is reported.
 */
final class ViewBinder extends SectionBinder<ViewSettings>
{
    private static final Pattern VIEW_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final int defaultMaxSeries;
    private final Map<String, String> names = new HashMap<>();

    ViewBinder(final YamlFields y)
    {
        this(y, AggregationSettings.defaults().maxSeries());
    }

    /** @param defaultMaxSeries {@code max_series} of a view that sets none: the main view's. */
    ViewBinder(final YamlFields y, final int defaultMaxSeries)
    {
        super(y);
        this.defaultMaxSeries = defaultMaxSeries;
    }

    /** @return the view, or null when its name is missing or refused (reported). */
    @Override
    ViewSettings bind(final YamlFields.Section v)
    {
        final Node nameNode = v.value("name");
        String name = null;
        if (nameNode == null)
        {
            y.error(v.node, v.path, "missing required key \"name\"");
        }
        else
        {
            name = y.string(nameNode, v.pathOf("name"), null);
            if (name != null && !VIEW_NAME.matcher(name).matches())
            {
                y.error(nameNode, v.pathOf("name"),
                    "\"" + name + "\" is not metric-name safe; use [a-z][a-z0-9_]*");
                name = null;
            }
            else if ("main".equals(name))
            {
                y.error(nameNode, v.pathOf("name"),
                    "\"main\" is the name of the main view (label view=\"main\"); choose another name");
                name = null;
            }
            else if (name != null && names.putIfAbsent(name, v.path) != null)
            {
                y.error(nameNode, v.pathOf("name"),
                    "view \"" + name + "\" is already defined by " + names.get(name));
                name = null;
            }
        }
        final Node dimsNode = v.value("dimensions");
        List<Dimension> dims = List.of();
        if (dimsNode == null)
        {
            y.error(v.node, v.path, "missing required key \"dimensions\"");
        }
        else
        {
            dims = AggregationBinder.dimensions(y, dimsNode, v.pathOf("dimensions"));
        }
        final int maxSeries =
            (int)y.integer(v, "max_series", defaultMaxSeries, 1, AggregationBinder.MAX_SERIES_MAX);
        final int topK = (int)y.integer(v, "top_k", 0, 0, AggregationBinder.TOP_K_MAX);
        return name == null ? null : new ViewSettings(name, dims, maxSeries, topK);
    }
}
