package io.goflow.exporter.acceptance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One parsed Prometheus text exposition (format 0.0.4): the samples, with their labels.
 */
final class Scrape
{
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value)
    {
        String label(final String label)
        {
            final String v = labels.get(label);
            return v == null ? "" : v;
        }
    }

    private final List<Sample> samples;

    private Scrape(final List<Sample> samples)
    {
        this.samples = samples;
    }

    List<Sample> samples()
    {
        return samples;
    }

    List<Sample> samples(final String name)
    {
        final List<Sample> out = new ArrayList<>();
        for (final Sample s : samples)
        {
            if (s.name.equals(name))
            {
                out.add(s);
            }
        }
        return out;
    }

    boolean has(final String name)
    {
        for (final Sample s : samples)
        {
            if (s.name.equals(name))
            {
                return true;
            }
        }
        return false;
    }

    double sum(final String name)
    {
        return sum(name, s -> true);
    }

    double sum(final String name, final Predicate<Sample> filter)
    {
        double sum = 0;
        for (final Sample s : samples)
        {
            if (s.name.equals(name) && filter.test(s))
            {
                sum += s.value;
            }
        }
        return sum;
    }

    /** @return {@code name} summed by the values of {@code labels}, joined with '|'. */
    Map<String, Double> sumBy(final String name, final Predicate<Sample> filter, final String... labels)
    {
        final Map<String, Double> out = new HashMap<>();
        final StringBuilder key = new StringBuilder();
        for (final Sample s : samples)
        {
            if (s.name.equals(name) && filter.test(s))
            {
                key.setLength(0);
                for (int i = 0; i < labels.length; i++)
                {
                    if (i > 0)
                    {
                        key.append('|');
                    }
                    key.append(s.label(labels[i]));
                }
                out.merge(key.toString(), s.value, Double::sum);
            }
        }
        return out;
    }

    static Scrape parse(final String text)
    {
        return parse(text, Set.of());
    }

    /**
     * @param names sample names to keep (histogram samples by their full name); empty = all. Lines
     *              of other metrics are skipped before parsing.
     */
    static Scrape parse(final String text, final Set<String> names)
    {
        final List<Sample> samples = new ArrayList<>();
        int lineNo = 0;
        for (final String line : text.split("\n"))
        {
            lineNo++;
            if (line.isEmpty() || line.charAt(0) == '#' || !names.isEmpty() && !names.contains(nameOf(line)))
            {
                continue;
            }
            try
            {
                samples.add(parseLine(line));
            }
            catch (final RuntimeException e)
            {
                throw new IllegalStateException("bad exposition line " + lineNo + ": " + line, e);
            }
        }
        return new Scrape(Collections.unmodifiableList(samples));
    }

    private static String nameOf(final String line)
    {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ')
        {
            i++;
        }
        return line.substring(0, i);
    }

    private static Sample parseLine(final String line)
    {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ')
        {
            i++;
        }
        final String name = line.substring(0, i);
        final Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{')
        {
            i++;
            while (line.charAt(i) != '}')
            {
                final int eq = line.indexOf('=', i);
                final String label = line.substring(i, eq).trim();
                i = eq + 2;
                final StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"')
                {
                    char c = line.charAt(i++);
                    if (c == '\\')
                    {
                        c = line.charAt(i++);
                        value.append(c == 'n' ? '\n' : c);
                    }
                    else
                    {
                        value.append(c);
                    }
                }
                i++;
                labels.put(label, value.toString());
                if (line.charAt(i) == ',')
                {
                    i++;
                }
            }
            i++;
        }
        final String rest = line.substring(i).trim();
        final int sp = rest.indexOf(' ');
        return new Sample(name, labels, parseValue(sp < 0 ? rest : rest.substring(0, sp)));
    }

    private static double parseValue(final String v)
    {
        return switch (v)
        {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
