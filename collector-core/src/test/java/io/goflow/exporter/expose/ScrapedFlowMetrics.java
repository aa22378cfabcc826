package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationReader;
import io.prometheus.client.Collector;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the product exposes for an aggregation, as simpleclient samples for tests to look up:
 * {@link AggregationStateCollector}'s families plus the flow series as {@link FlowSeriesTextWriter}
 * writes them, parsed back from the text. Tests so read the flow series through the one rendering
 * that scrapes get.
 */
public final class ScrapedFlowMetrics extends Collector
{
    private final AggregationReader engine;
    private final AggregationStateCollector state;

    private ScrapedFlowMetrics(final AggregationReader engine)
    {
        this.engine = engine;
        this.state = AggregationStateCollector.of(engine);
    }

    /** @return a collector of {@code engine}'s flow series (parsed from the text) and state metrics. */
    public static ScrapedFlowMetrics of(final AggregationReader engine)
    {
        return new ScrapedFlowMetrics(engine);
    }

    @Override
    public List<MetricFamilySamples> collect()
    {
        final StringWriter text = new StringWriter();
        try
        {
            FlowSeriesTextWriter.of(engine).write(text);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final List<MetricFamilySamples> families = parse(text.toString());
        families.addAll(state.collect());
        return families;
    }

    /**
     * Parses text format 0.0.4 as the product writes it: {@code # HELP}, then {@code # TYPE}, then
     * the family's samples. A counter's family name is its {@code # TYPE} name without
     * {@code _total}, as in simpleclient.
     *
     * @throws IllegalArgumentException on a line that is not in the format.
     */
    public static List<MetricFamilySamples> parse(final String text)
    {
        final Map<String, String> help = new LinkedHashMap<>();
        final List<String[]> headers = new ArrayList<>();
        final List<List<MetricFamilySamples.Sample>> bodies = new ArrayList<>();
        List<MetricFamilySamples.Sample> samples = null;
        for (final String line : text.split("\n"))
        {
            if (line.isEmpty())
            {
                continue;
            }
            if (line.startsWith("# HELP "))
            {
                final int space = line.indexOf(' ', 7);
                help.put(line.substring(7, space), unescape(line.substring(space + 1)));
            }
            else if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.substring(7).split(" ");
                final Type type = Type.valueOf(parts[1].toUpperCase());
                final String name = type == Type.COUNTER && parts[0].endsWith("_total") ?
                    parts[0].substring(0, parts[0].length() - "_total".length()) : parts[0];
                samples = new ArrayList<>();
                headers.add(new String[] {name, type.name(), help.getOrDefault(parts[0], "")});
                bodies.add(samples);
            }
            else if (line.startsWith("#"))
            {
                continue;
            }
            else
            {
                if (samples == null)
                {
                    throw new IllegalArgumentException("sample before any # TYPE: " + line);
                }
                samples.add(sample(line));
            }
        }
        final List<MetricFamilySamples> families = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i++)
        {
            final String[] header = headers.get(i);
            families.add(new MetricFamilySamples(header[0], Type.valueOf(header[1]), header[2], bodies.get(i)));
        }
        return families;
    }

    private static MetricFamilySamples.Sample sample(final String line)
    {
        final int brace = line.indexOf('{');
        final int valueStart;
        final String name;
        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        if (brace < 0)
        {
            valueStart = line.indexOf(' ');
            name = line.substring(0, valueStart);
        }
        else
        {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}')
            {
                final int eq = line.indexOf("=\"", i);
                names.add(line.substring(i, eq));
                final StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"')
                {
                    if (line.charAt(j) == '\\')
                    {
                        j++;
                        value.append(line.charAt(j) == 'n' ? '\n' : line.charAt(j));
                    }
                    else
                    {
                        value.append(line.charAt(j));
                    }
                    j++;
                }
                values.add(value.toString());
                i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
            }
            valueStart = i + 1;
        }
        if (valueStart <= 0 || line.charAt(valueStart) != ' ' && brace >= 0 || !name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"))
        {
            throw new IllegalArgumentException("not a sample line: " + line);
        }
        final String[] rest = line.substring(valueStart + 1).split(" ");
        return new MetricFamilySamples.Sample(name, names, values, parseValue(rest[0]));
    }

    private static double parseValue(final String text)
    {
        switch (text)
        {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(text);
        }
    }

    private static String unescape(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length())
            {
                final char next = text.charAt(++i);
                sb.append(next == 'n' ? '\n' : next);
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
