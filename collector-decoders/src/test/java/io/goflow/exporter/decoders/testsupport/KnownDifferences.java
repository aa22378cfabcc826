package io.goflow.exporter.decoders.testsupport;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every place where we knowingly decode a shared capture differently from Wireshark 4.0 (and so
 * from its truth file), each with the reason. Capture tests apply these to the truth before
 * comparing, so the rest of the capture is still compared exactly. One list, in one place.
 */
public final class KnownDifferences
{
    /** What part of the comparison a difference touches. */
    public enum Kind
    {
        /** A {@code by_5tuple} key: truth's key becomes ours. */
        FIVE_TUPLE_KEY,
        /** A {@code by_out_if} key: truth's key becomes ours. */
        OUT_IF_KEY,
        /** The whole capture: totals are not compared, only error counting and robustness. */
        WHOLE_CAPTURE,
        /**
         * We decode records Wireshark does not: every truth 5-tuple must be in ours with at least
         * its flows, bytes and packets, and we must have more flows.
         */
        SUPERSET,
        /** Truth's reverse_bytes/packets leave out what this exporter sends: reverse counters not compared. */
        REVERSE_NOT_IN_TRUTH
    }

    /**
     * @param capture    capture file name.
     * @param kind       what is remapped.
     * @param truthValue the value as truth has it (a key), or null for {@link Kind#WHOLE_CAPTURE}.
     * @param ourValue   the value we produce instead.
     * @param reason     why we differ.
     */
    public record Difference(String capture, Kind kind, String truthValue, String ourValue, String reason)
    {
    }

    public static final List<Difference> ALL = List.of(
        new Difference("ls_ipfix_procera.pcap", Kind.FIVE_TUPLE_KEY,
            "0.0.0.0|0.0.0.0|58|136|135", "2001:388:cf0a:6::1|2001:388:cf0a:6::2|58|136|135",
            "records carry both IPv4 (0.0.0.0) and IPv6 address fields: truth keys on the IPv4 field first, "
                + "we keep the non-zero IPv6 pair (0.0.0.0 would enrich to nothing)"),
        new Difference("tg_sflow_issue_15918.pcap", Kind.FIVE_TUPLE_KEY,
            "fe80::f3a8:9738:cab4:2286|ff02::16|0|0|0", "fe80::f3a8:9738:cab4:2286|ff02::16|58|0|0",
            "IPv6 MLDv2 report behind a hop-by-hop header: truth takes ipv6.nxt of the fixed header (0, "
                + "hop-by-hop); we walk the extension headers and report the upper-layer protocol, ICMPv6 (58)"),
        new Difference("tg_sflow_issue_15918.pcap", Kind.OUT_IF_KEY, "10", "0",
            "flow sample output format 2 'multiple interfaces' with value 10: the value is a count of "
                + "interfaces, not an ifIndex; we report outIf 0 (and forwardingStatus forwarded), truth keys it as 10"),
        new Difference("ls_netflow5_invalid01.pcap", Kind.WHOLE_CAPTURE, null, "0 flows, 1 bad_length",
            "v5 header count 55582 but only 30 records present: we drop the datagram as bad_length "
                + "(its framing cannot be trusted), Wireshark decodes the 30 records that fit"),
        new Difference("ls_netflow5_invalid02.pcap", Kind.WHOLE_CAPTURE, null, "0 flows, 1 bad_length",
            "v5 header count 163 but only 30 records present (and their packets exceed their bytes): "
                + "dropped as bad_length, Wireshark decodes the 30 records that fit"),
        new Difference("gl_netflow_v9_1.pcap", Kind.SUPERSET, null, "+2 data records",
            "v9 header count is 2 (the two templates) but the datagram also carries a data flowset of 2 "
                + "records; Wireshark stops after count records, we decode every flowset whose length fits"),
        new Difference("ls_netflow9_invalid01.pcap", Kind.SUPERSET, null, "+2 data records, 1 options record (rate 100)",
            "v9 header count is 2 (the two templates); the flowsets after them (an options template, options "
                + "data with sampling interval 100, and 2 data records) are skipped by Wireshark, decoded by us"),
        new Difference("ls_ipfix_yaf_applabel.pcap", Kind.REVERSE_NOT_IN_TRUTH, null, "reverse records",
            "YAF biflows carry reverse octetTotalCount/packetTotalCount (PEN 29305 IE 85/86); truth.py sums "
                + "reverse bytes only from reverse IE 1/2, so its reverse_bytes is 0 while we emit reverse records"),
        new Difference("tg_ipfix_example.pcap", Kind.REVERSE_NOT_IN_TRUTH, null, "reverse records",
            "reverse octetTotalCount/packetTotalCount (PEN 29305 IE 85/86), which truth.py does not sum as "
                + "reverse bytes; forward totals and 5-tuples are still compared exactly"));

    private KnownDifferences()
    {
    }

    /** @return the capture-level difference of {@code kind} for {@code capture}, or null. */
    public static Difference capture(final String capture, final Kind kind)
    {
        for (final Difference d : ALL)
        {
            if (d.capture().equals(capture) && d.kind() == kind)
            {
                return d;
            }
        }
        return null;
    }

    /** @return {@code key} as we are expected to produce it for {@code capture}. */
    public static String remap(final String capture, final Kind kind, final String key)
    {
        for (final Difference d : ALL)
        {
            if (d.kind() == kind && d.capture().equals(capture) && d.truthValue().equals(key))
            {
                return d.ourValue();
            }
        }
        return key;
    }

    /**
     * Truth's map with its keys remapped for {@code capture} and then reduced by {@code keyOf}
     * (e.g. ICMP to src|dst|proto), values merged by summing with {@code merge}.
     */
    public static <V> Map<String, V> remapKeys(final String capture, final Kind kind, final Map<String, V> truth,
        final Function<String, String> keyOf, final java.util.function.BinaryOperator<V> merge)
    {
        final Map<String, V> result = new TreeMap<>();
        truth.forEach((k, v) -> result.merge(keyOf.apply(remap(capture, kind, k)), v, merge));
        return result;
    }
}
