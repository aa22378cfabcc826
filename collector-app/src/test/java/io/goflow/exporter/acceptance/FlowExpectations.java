package io.goflow.exporter.acceptance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a collector must show for one capture, derived from its truth file only, and the
 * comparison with a scrape. Mismatches are collected as readable lines, not thrown one by one.
 */
final class FlowExpectations
{
    private FlowExpectations()
    {
    }

    /** Expected totals: flows, bytes, packets ({@code -1} = not asserted, with the reason in {@code note}). */
    record Totals(long flows, long bytes, long packets, String note)
    {
    }

    /**
     * Totals a live collector must show: {@code *_scaled_online} (a sampling rate applies from its
     * options record on). sFlow bytes are the L3 bytes of the sampled headers
     * ({@code sflow.ip_bytes_scaled}), the product's documented byte semantics. RFC 5103 biflow
     * reverse counters come as a second record, so they add to bytes and packets.
     */
    static Totals totals(final Truth t)
    {
        final long reverseBytes = t.total("reverse_bytes");
        final long reversePackets = t.total("reverse_packets");
        final long bytes = t.isSflow() ? t.sflow("ip_bytes_scaled") : t.total("bytes_scaled_online") + reverseBytes;
        final long packets = t.total("packets_scaled_online") + reversePackets;
        long flows = t.total("flows");
        String note = "";
        if (reverseBytes > 0 || reversePackets > 0)
        {
            long reverseRecords = 0;
            for (final Map<String, Object> e : t.by5Tuple().values())
            {
                if (Truth.value(e, "reverse_packets") > 0 || Truth.value(e, "reverse_bytes") > 0)
                {
                    if (Truth.value(e, "flows") != 1)
                    {
                        reverseRecords = -1;
                        break;
                    }
                    reverseRecords++;
                }
            }
            if (reverseRecords < 0)
            {
                flows = -1;
                note = "biflow flows not asserted: a 5-tuple with several records has reverse counters, so the truth cannot say how many reverse records there are";
            }
            else
            {
                flows += reverseRecords;
            }
        }
        return new Totals(flows, bytes, packets, note);
    }

    /** @return true when per-5-tuple values are comparable (the truth's by_5tuple is scaled like the online totals). */
    static boolean perTupleComparable(final Truth t)
    {
        return t.total("bytes_scaled") == t.total("bytes_scaled_online") && t.total("packets_scaled") == t.total("packets_scaled_online");
    }

    /**
     * @param counter {@code flows}, {@code bytes_scaled} or {@code packets_scaled}
     * @return expected per canonical 5-tuple, with biflow reverse counters under the swapped key (for
     *         {@code flows}: one reverse record per record with reverse counters, exact only when
     *         {@link #totals} could count them, i.e. its flows are not -1).
     */
    static Map<String, Long> perTuple(final Truth t, final String counter)
    {
        final Map<String, Long> out = new HashMap<>();
        final String reverse = counter.startsWith("bytes") ? "reverse_bytes" : counter.startsWith("packets") ? "reverse_packets" : "flows";
        for (final Map.Entry<String, Map<String, Object>> e : t.by5Tuple().entrySet())
        {
            final String key = canonical(KnownDecodeDifferences.remap5Tuple(t.name() + ".pcap", e.getKey()));
            out.merge(key, Truth.value(e.getValue(), counter), Long::sum);
            final boolean hasReverse = Truth.value(e.getValue(), "reverse_packets") > 0 || Truth.value(e.getValue(), "reverse_bytes") > 0;
            if (hasReverse)
            {
                out.merge(swap(key), Truth.value(e.getValue(), reverse), Long::sum);
            }
        }
        out.values().removeIf(v -> v == 0);
        return out;
    }

    /** Canonical 5-tuple: {@code None} addresses empty, empty protocol 0, ICMP ports 0, empty ports 0. */
    static String canonical(final String key)
    {
        final String[] f = Truth.normalize5Tuple(key.replace("None", "")).split("\\|", -1);
        if (f.length == 5 && f[2].isEmpty())
        {
            f[2] = "0";
            f[3] = f[3].isEmpty() ? "0" : f[3];
            f[4] = f[4].isEmpty() ? "0" : f[4];
        }
        return String.join("|", f);
    }

    private static String swap(final String key)
    {
        final String[] f = key.split("\\|", -1);
        return String.join("|", f[1], f[0], f[2], f[4], f[3]);
    }

    /** Scraped values of {@code metric} per canonical 5-tuple, over the series {@code filter} selects. */
    static Map<String, Long> scrapedPerTuple(final Scrape s, final String metric, final Predicate<Scrape.Sample> filter)
    {
        final Map<String, Long> out = new HashMap<>();
        s.sumBy(metric, filter, MetricNames.FIVE_TUPLE).forEach((k, v) -> out.merge(canonical(k), Math.round(v), Long::sum));
        out.values().removeIf(v -> v == 0);
        return out;
    }

    /** Compares totals; returns mismatch lines. */
    static List<String> compareTotals(final String what, final Totals exp, final Scrape s, final Predicate<Scrape.Sample> filter)
    {
        final List<String> bad = new ArrayList<>();
        check(bad, what, MetricNames.FLOWS, exp.flows(), s.sum(MetricNames.FLOWS, filter));
        check(bad, what, MetricNames.BYTES, exp.bytes(), s.sum(MetricNames.BYTES, filter));
        check(bad, what, MetricNames.PACKETS, exp.packets(), s.sum(MetricNames.PACKETS, filter));
        return bad;
    }

    private static void check(final List<String> bad, final String what, final String metric, final long expected, final double got)
    {
        if (expected >= 0 && Math.round(got) != expected)
        {
            bad.add(String.format("%s: sum(%s) = %d, truth %d (diff %+d)", what, metric, Math.round(got), expected, Math.round(got) - expected));
        }
    }

    /** Lines where {@code got} has less than {@code expected} for a key (at most {@code limit}, plus a count). */
    static List<String> compareAtLeast(final String what, final Map<String, Long> expected, final Map<String, Long> got, final int limit)
    {
        final List<String> bad = new ArrayList<>();
        int n = 0;
        for (final Map.Entry<String, Long> e : expected.entrySet())
        {
            final Long g = got.get(e.getKey());
            if (g == null || g < e.getValue())
            {
                if (n++ < limit)
                {
                    bad.add(what + " " + e.getKey() + ": got " + g + ", truth at least " + e.getValue());
                }
            }
        }
        if (n > limit)
        {
            bad.add(what + ": ... " + (n - limit) + " more 5-tuples below the truth");
        }
        return bad;
    }

    /** Lines where a scraped total is below the expected one (or not above it, when {@code moreFlows}). */
    static List<String> compareTotalsAtLeast(final String what, final Totals exp, final Scrape s, final Predicate<Scrape.Sample> filter,
        final boolean moreFlows)
    {
        final List<String> bad = new ArrayList<>();
        final double flows = s.sum(MetricNames.FLOWS, filter);
        if (moreFlows ? flows <= exp.flows() : flows < exp.flows())
        {
            bad.add(String.format("%s: sum(%s) = %d, truth %d: expected %s", what, MetricNames.FLOWS, Math.round(flows), exp.flows(),
                moreFlows ? "more (records Wireshark does not decode)" : "at least as many"));
        }
        if (s.sum(MetricNames.BYTES, filter) < exp.bytes())
        {
            bad.add(String.format("%s: sum(%s) = %d, below truth %d", what, MetricNames.BYTES, Math.round(s.sum(MetricNames.BYTES, filter)), exp.bytes()));
        }
        if (s.sum(MetricNames.PACKETS, filter) < exp.packets())
        {
            bad.add(String.format("%s: sum(%s) = %d, below truth %d", what, MetricNames.PACKETS, Math.round(s.sum(MetricNames.PACKETS, filter)), exp.packets()));
        }
        return bad;
    }

    /** Compares two per-tuple maps; returns at most {@code limit} mismatch lines plus a count. */
    static List<String> compareMaps(final String what, final Map<String, Long> expected, final Map<String, Long> got, final int limit)
    {
        final List<String> bad = new ArrayList<>();
        int n = 0;
        for (final Map.Entry<String, Long> e : expected.entrySet())
        {
            final Long g = got.get(e.getKey());
            if (!e.getValue().equals(g))
            {
                if (n++ < limit)
                {
                    bad.add(what + " " + e.getKey() + ": got " + g + ", truth " + e.getValue());
                }
            }
        }
        for (final Map.Entry<String, Long> e : got.entrySet())
        {
            if (!expected.containsKey(e.getKey()))
            {
                if (n++ < limit)
                {
                    bad.add(what + " " + e.getKey() + ": got " + e.getValue() + ", not in the truth");
                }
            }
        }
        if (n > limit)
        {
            bad.add(what + ": ... " + (n - limit) + " more mismatching 5-tuples (" + expected.size() + " expected, " + got.size() + " scraped)");
        }
        return bad;
    }
}
