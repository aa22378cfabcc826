package io.goflow.exporter.benchmarks.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Prometheus text exposition (format 0.0.4): sample {@code name{labels}} to value.
 * Load-run tooling only.
 */
final class PrometheusText
{
    private final Map<String, Double> samples;

    private PrometheusText(final Map<String, Double> samples)
    {
        this.samples = samples;
    }

    static PrometheusText parse(final String text)
    {
        return parse(java.util.Arrays.stream(text.split("\n")), name -> true);
    }

    /**
     * Parses an exposition line by line, keeping only samples whose name passes {@code keep}, so a
     * scrape of millions of flow series can be read without holding it.
     */
    static PrometheusText parse(final java.util.stream.Stream<String> lines, final java.util.function.Predicate<String> keep)
    {
        final Map<String, Double> samples = new LinkedHashMap<>();
        for (final String raw : (Iterable<String>)lines::iterator)
        {
            final String line = raw.trim();
            if (line.isEmpty() || line.charAt(0) == '#')
            {
                continue;
            }
            final int close = line.lastIndexOf('}');
            final int space = line.indexOf(' ', close < 0 ? 0 : close);
            if (space < 0)
            {
                continue;
            }
            final String key = line.substring(0, space);
            if (!keep.test(nameOf(key)))
            {
                continue;
            }
            final String[] rest = line.substring(space + 1).trim().split("\\s+");
            try
            {
                samples.put(key, Double.parseDouble(rest[0]));
            }
            catch (final NumberFormatException ex)
            {
                // not a sample line
            }
        }
        return new PrometheusText(samples);
    }

    static PrometheusText empty()
    {
        return new PrometheusText(Map.of());
    }

    /** @return the sum of every sample named {@code name} whose label text contains all {@code labelParts}. */
    double sum(final String name, final String... labelParts)
    {
        double sum = 0;
        for (final Map.Entry<String, Double> e : samples.entrySet())
        {
            final String key = e.getKey();
            if (!nameOf(key).equals(name))
            {
                continue;
            }
            boolean match = true;
            for (final String part : labelParts)
            {
                if (!key.contains(part))
                {
                    match = false;
                    break;
                }
            }
            if (match)
            {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** @return every {@code (le, cumulative count)} of histogram {@code name}, in exposition order. */
    List<double[]> buckets(final String name)
    {
        final List<double[]> buckets = new ArrayList<>();
        for (final Map.Entry<String, Double> e : samples.entrySet())
        {
            final String key = e.getKey();
            if (!nameOf(key).equals(name + "_bucket"))
            {
                continue;
            }
            final int le = key.indexOf("le=\"");
            final String bound = key.substring(le + 4, key.indexOf('"', le + 4));
            buckets.add(new double[] {bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), e.getValue()});
        }
        return buckets;
    }

    boolean has(final String name)
    {
        for (final String key : samples.keySet())
        {
            if (nameOf(key).equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private static String nameOf(final String key)
    {
        final int brace = key.indexOf('{');
        return brace < 0 ? key : key.substring(0, brace);
    }

    /**
     * Quantile of the increase between two scrapes of a histogram, interpolated linearly inside
     * the bucket as PromQL's {@code histogram_quantile} does.
     *
     * @return seconds; NaN when nothing was observed; +Inf when the quantile is above every bound.
     */
    static double quantile(final double q, final List<double[]> before, final List<double[]> after)
    {
        if (after.isEmpty())
        {
            return Double.NaN;
        }
        final double[] bounds = new double[after.size()];
        final double[] counts = new double[after.size()];
        for (int i = 0; i < after.size(); i++)
        {
            bounds[i] = after.get(i)[0];
            counts[i] = after.get(i)[1] - (i < before.size() ? before.get(i)[1] : 0);
        }
        final double total = counts[counts.length - 1];
        if (total <= 0)
        {
            return Double.NaN;
        }
        final double rank = q * total;
        double previousBound = 0;
        double previousCount = 0;
        for (int i = 0; i < bounds.length; i++)
        {
            if (counts[i] >= rank)
            {
                if (Double.isInfinite(bounds[i]))
                {
                    return Double.POSITIVE_INFINITY;
                }
                final double inBucket = counts[i] - previousCount;
                return inBucket <= 0 ? bounds[i] : previousBound + (bounds[i] - previousBound) * (rank - previousCount) / inBucket;
            }
            previousBound = bounds[i];
            previousCount = counts[i];
        }
        return Double.POSITIVE_INFINITY;
    }
}
