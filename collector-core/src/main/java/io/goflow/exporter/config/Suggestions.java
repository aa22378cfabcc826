package io.goflow.exporter.config;

import java.util.Collection;

/** "Did you mean" hints for misspelt keys and values, by Levenshtein edit distance. */
final class Suggestions
{
    private Suggestions()
    {
    }

    /**
     * @return {@code unknown <what> "x"; did you mean "y"?} when a candidate is close (distance at
     * most max(2, length/3), or one is a prefix of the other), else
     * {@code unknown <what> "x"; expected one of: a, b, c}.
     */
    static String unknown(final String what, final String given, final Collection<String> candidates)
    {
        final String best = closest(given, candidates);
        if (best != null)
        {
            return "unknown " + what + " \"" + given + "\"; did you mean \"" + best + "\"?";
        }
        return "unknown " + what + " \"" + given + "\"; expected one of: " + String.join(", ", candidates);
    }

    static String closest(final String given, final Collection<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String c : candidates)
        {
            if (given.length() >= 3 && c.length() >= 3 && (c.startsWith(given) || given.startsWith(c)))
            {
                return c;
            }
            final int d = distance(given, c);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= Math.max(2, given.length() / 3) ? best : null;
    }

    static int distance(final String a, final String b)
    {
        int[] prev = new int[b.length() + 1];
        int[] curr = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            curr[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                curr[j] = Math.min(Math.min(curr[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            final int[] t = prev;
            prev = curr;
            curr = t;
        }
        return prev[b.length()];
    }
}
