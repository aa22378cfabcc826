package io.goflow.exporter.expose;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one text style of a scrape (Prometheus text format 0.0.4), for the registry's families here
 * and the flow series in {@link FlowSeriesTextWriter}, so that a scrape reads alike throughout:
 *
 * <pre>
 * name{label="value",other="value"} 1234        labels in the collector's order, custom labels last,
 * name 0.333333333333                           no trailing comma, no braces without labels;
 * name 1.7962838460404937e9                     integral values as integers, others in Java's
 * name +Inf                                     shortest decimal form with a lower-case exponent
 * </pre>
 *
 * Families and OpenMetrics-only samples ({@code _created}, {@code _gcount}, {@code _gsum}) are laid
 * out as simpleclient's {@code TextFormat.write004} lays them out: counters named with
 * {@code _total}, the OpenMetrics samples as gauges after everything else.
 */
final class ExpositionText
{
    /** Integral doubles below this magnitude print as integers: all are exact in a long. */
    private static final double INTEGER_LIMIT = 0x1p63;

    private ExpositionText()
    {
    }

    /** Appends {@code value} in the scrape's number style. */
    static StringBuilder appendValue(final StringBuilder sb, final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < INTEGER_LIMIT)
        {
            return sb.append((long)value);
        }
        if (Double.isNaN(value))
        {
            return sb.append("NaN");
        }
        if (Double.isInfinite(value))
        {
            return sb.append(value > 0 ? "+Inf" : "-Inf");
        }
        final int start = sb.length();
        sb.append(value);
        for (int i = start; i < sb.length(); i++)
        {
            if (sb.charAt(i) == 'E')
            {
                sb.setCharAt(i, 'e');
            }
        }
        return sb;
    }

    /** Writes every family of {@code families}; the caller's writer should be buffered. */
    static void write(final Writer writer, final Enumeration<MetricFamilySamples> families) throws IOException
    {
        final Map<String, MetricFamilySamples> openMetricsOnly = new TreeMap<>();
        final StringBuilder sb = new StringBuilder(256);
        while (families.hasMoreElements())
        {
            final MetricFamilySamples family = families.nextElement();
            final String name = family.name + (family.type == Collector.Type.COUNTER ? "_total" :
                family.type == Collector.Type.INFO ? "_info" : "");
            sb.setLength(0);
            sb.append("# HELP ").append(name).append(' ');
            appendEscaped(sb, family.help, false);
            sb.append("\n# TYPE ").append(name).append(' ').append(typeName(family.type)).append('\n');
            for (final MetricFamilySamples.Sample sample : family.samples)
            {
                if (sample.name.equals(family.name + "_created") || sample.name.equals(family.name + "_gcount") ||
                    sample.name.equals(family.name + "_gsum"))
                {
                    openMetricsOnly.computeIfAbsent(sample.name, n -> new MetricFamilySamples(
                        n, Collector.Type.GAUGE, family.help, new ArrayList<>())).samples.add(sample);
                    continue;
                }
                appendSample(sb, sample.name, sample.labelNames, sample.labelValues, sample.value);
                if (sample.timestampMs != null)
                {
                    sb.setLength(sb.length() - 1);
                    sb.append(' ').append(sample.timestampMs.longValue()).append('\n');
                }
            }
            writer.append(sb);
        }
        if (!openMetricsOnly.isEmpty())
        {
            write(writer, Collections.enumeration(openMetricsOnly.values()));
        }
    }

    /** Appends one sample line, newline included. */
    static StringBuilder appendSample(
        final StringBuilder sb, final String name, final List<String> labelNames, final List<String> labelValues,
        final double value)
    {
        sb.append(name);
        if (!labelNames.isEmpty())
        {
            sb.append('{');
            for (int i = 0; i < labelNames.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(',');
                }
                sb.append(labelNames.get(i)).append("=\"");
                appendEscaped(sb, labelValues.get(i), true);
                sb.append('"');
            }
            sb.append('}');
        }
        sb.append(' ');
        return appendValue(sb, value).append('\n');
    }

    /** Escapes backslash and newline, and the double quote in label values (text format 0.0.4). */
    static StringBuilder appendEscaped(final StringBuilder sb, final String text, final boolean labelValue)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '\\')
            {
                sb.append("\\\\");
            }
            else if (c == '\n')
            {
                sb.append("\\n");
            }
            else if (c == '"' && labelValue)
            {
                sb.append("\\\"");
            }
            else
            {
                sb.append(c);
            }
        }
        return sb;
    }

    private static String typeName(final Collector.Type type)
    {
        switch (type)
        {
            case GAUGE:
            case INFO:
            case STATE_SET:
                return "gauge";
            case COUNTER:
                return "counter";
            case SUMMARY:
                return "summary";
            case HISTOGRAM:
            case GAUGE_HISTOGRAM:
                return "histogram";
            default:
                return "untyped";
        }
    }
}
