package io.goflow.exporter.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duration text as used in the configuration: one or more {@code <digits><unit>} terms with unit
 * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}, e.g. {@code "500ms"}, {@code "90s"},
 * {@code "1m"}, {@code "1h30m"}, {@code "30d"}.
 */
public final class Durations
{
    /** Returned by {@link #parseNs} for text that is not a duration. */
    public static final long INVALID = -1;
    public static final long SECOND_NS = 1_000_000_000L;
    public static final long DAY_NS = 86_400L * SECOND_NS;

    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");
    private static final Pattern TERM = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    private static final long MS_NS = 1_000_000L;

    private Durations()
    {
    }

    /** @return the duration in ns, or {@link #INVALID} when malformed or beyond ~292 years. */
    public static long parseNs(final String text)
    {
        if (text == null || !WHOLE.matcher(text).matches())
        {
            return INVALID;
        }
        long totalNs = 0;
        final Matcher m = TERM.matcher(text);
        while (m.find())
        {
            final String digits = m.group(1);
            if (digits.length() > 12)
            {
                return INVALID;
            }
            final long value = Long.parseLong(digits);
            final long unitNs = switch (m.group(2))
            {
                case "ms" -> MS_NS;
                case "s" -> SECOND_NS;
                case "m" -> 60 * SECOND_NS;
                case "h" -> 3600 * SECOND_NS;
                default -> DAY_NS;
            };
            try
            {
                totalNs = Math.addExact(totalNs, Math.multiplyExact(value, unitNs));
            }
            catch (final ArithmeticException ex)
            {
                return INVALID;
            }
        }
        return totalNs;
    }

    /** @return the shortest exact text for {@code ns}, e.g. {@code 3600e9 -> "1h"}, {@code 90e9 -> "90s"}. */
    public static String format(final long ns)
    {
        if (ns % MS_NS != 0)
        {
            return ns + "ns";
        }
        final long ms = ns / MS_NS;
        if (ms == 0 || ms % 1000 != 0)
        {
            return ms + "ms";
        }
        final long s = ms / 1000;
        if (s % 86_400 == 0)
        {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0)
        {
            return s / 3600 + "h";
        }
        if (s % 60 == 0)
        {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
