package io.goflow.exporter.decoders.api;

import org.agrona.DirectBuffer;

/**
 * The one normalized record every decoder fills, whatever the protocol. Mutable and preallocated:
 * a decoder owns one (or a few) and refills it for each record, so decoding allocates nothing.
 *
 * <h2>Thread ownership</h2>
 * A record is written by one thread at a time: the decode/enrich shard that owns it, then handed
 * over through the ring to the aggregation thread, which only reads it.
 *
 * <h2>Addresses</h2>
 * Every address is 128 bits held as two longs, {@code hi} (bytes 0-7) and {@code lo} (bytes 8-15),
 * network order. IPv4 is stored IPv4-mapped ({@code ::ffff:a.b.c.d}, RFC 4291 section 2.5.5.2),
 * so one key width serves both families; {@link #isIpv4Mapped(long, long)} tells them apart. An
 * absent address is {@code 0/0} with its {@code ...Present} flag false.
 *
 * <h2>Units and byte semantics</h2>
 * <ul>
 *   <li>{@link #bytes} and {@link #packets} are raw, as exported, not scaled by sampling.
 *       For NetFlow/IPFIX bytes are L3 bytes as the exporter counts them (IE 1 octetDeltaCount /
 *       IE 85 octetTotalCount); for sFlow they are the L3 length of the sampled packet (IP total
 *       length from the sampled header, or the sampled IPv4/IPv6 record's length), one packet per
 *       sample, so that every protocol counts L3 bytes; IPFIX / v9 packet reports (PSAMP sections)
 *       without counters likewise take the L3 length of their section's packet and count one
 *       packet. {@link #frameLength} keeps sFlow's L2 frame length (and a packet report's IE 312
 *       dataLinkFrameSize).</li>
 *   <li>{@link #samplingRate} is the 1-in-N rate in force for this record, or 0 when unknown. The
 *       pipeline scales bytes and packets by {@code max(samplingRate, 1)}; flows are never scaled.</li>
 *   <li>Bounds: decoders emit only records that pass {@link #plausibleCounters} (bytes and packets
 *       at most {@link #MAX_COUNTER}, at most {@link #MAX_BYTES_PER_PACKET} bytes per packet) with a
 *       rate at most {@link #MAX_SAMPLING_RATE}; the rest are counted
 *       {@link DecodeError#IMPLAUSIBLE_COUNTER} / {@link DecodeError#IMPLAUSIBLE_SAMPLING_RATE}.
 *       Scaled values and the totals they are added to saturate at {@link Long#MAX_VALUE}
 *       ({@link #scaledBytes}, {@link #addCounter}): a counter never wraps negative.</li>
 *   <li>All times are epoch nanoseconds ({@code ...Ns}); 0 means unknown.</li>
 *   <li>Unknown numeric values are 0 unless documented otherwise; enrichment outputs use 0 for
 *       "no value", which the exposition renders as an empty label.</li>
 * </ul>
 */
public final class FlowRecord
{
    /** Kinds of record a decoder emits. Only {@link #FLOW} is counted as traffic. */
    public enum Kind
    {
        FLOW, OPTIONS, INTERFACE_COUNTERS
    }

    /** Direction values (IE 61 flowDirection; sFlow derived from in/out interface). */
    public static final int DIRECTION_UNKNOWN = -1;
    public static final int DIRECTION_INGRESS = 0;
    public static final int DIRECTION_EGRESS = 1;

    /** Longest interface name kept from options data, bytes; longer names are cut. */
    public static final int INTERFACE_NAME_MAX = 64;

    /**
     * Largest bytes or packets count of one record, 2^48 (2.8e14): a 400 Gb/s link full for 93
     * minutes in one record, when exporters report every few minutes (active timeout). Counters
     * are unsigned 64-bit on the wire (RFC 7011 section 6.1.2, RFC 3954 section 8); a value above
     * this, such as 2^64 - 1, is a corrupt or hostile record.
     */
    public static final long MAX_COUNTER = 1L << 48;
    /**
     * Most bytes per packet of one record, 2^20: above the largest IP packet (65,535 bytes, IPv6
     * jumbograms aside) and the segmentation-offload super-packets host probes see (Linux BIG TCP,
     * up to 512 KiB).
     */
    public static final long MAX_BYTES_PER_PACKET = 1L << 20;
    /**
     * Largest 1-in-N sampling rate accepted, 2^24 (16,777,216): above what routers and switches
     * configure (Junos and IOS-XR at most 1:65,535 or so, sFlow agents 1:16,777,215). A larger
     * rate, from a record, options data or an sFlow sample, is refused.
     */
    public static final long MAX_SAMPLING_RATE = 1L << 24;

    private static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    // ---- protocol and exporter ----
    public Kind kind = Kind.FLOW;
    public FlowType type = FlowType.NETFLOW_V9;
    /** Exporter (sampler) address: the sFlow agent address, otherwise the datagram's source. */
    public long samplerAddrHi;
    public long samplerAddrLo;
    /** v9 source ID, IPFIX observation domain ID, sFlow sub-agent ID, v5 engine type/id. */
    public long observationDomainId;
    /** Export sequence number as carried in the header (v9 packet count, IPFIX record count). */
    public long sequenceNum;
    /** 1-in-N sampling rate in force for this record; 0 when no rate is known. */
    public long samplingRate;
    /** Sampler ID (IE 48/302), sFlow source ID, or 0. */
    public long samplerId;
    /**
     * True for the reverse direction of an RFC 5103 biflow: emitted right after its forward record,
     * with source and destination (addresses, ports, masks, AS, interfaces, VLANs, MACs) swapped
     * and the reverse counters as {@link #bytes}/{@link #packets}.
     */
    public boolean reverse;

    // ---- times (epoch ns) ----
    public long timeReceivedNs;
    public long timeFlowStartNs;
    public long timeFlowEndNs;

    // ---- counters (raw, unscaled) ----
    public long bytes;
    public long packets;
    /** L2 frame length: sFlow's as the agent reports it, a packet report's IE 312; 0 elsewhere. */
    public long frameLength;

    // ---- addresses and ports ----
    public boolean srcAddrPresent;
    public long srcAddrHi;
    public long srcAddrLo;
    public boolean dstAddrPresent;
    public long dstAddrHi;
    public long dstAddrLo;
    public boolean nextHopPresent;
    public long nextHopHi;
    public long nextHopLo;
    /** 4 or 6 for the flow's IP version, 0 when not IP. */
    public int ipVersion;
    public int srcPort;
    public int dstPort;
    /** IP protocol number (IE 4); 0 when unknown. */
    public int proto;

    // ---- IP header fields ----
    public int tcpFlags;
    /** IP ToS / IPv6 traffic class byte (DSCP is the upper six bits). */
    public int tos;
    public int icmpType;
    public int icmpCode;
    public int etherType;

    // ---- interfaces ----
    public long inIf;
    public long outIf;
    public int direction = DIRECTION_UNKNOWN;
    /** IE 89 forwardingStatus; 0 when unknown. */
    public int forwardingStatus;

    // ---- routing ----
    public long srcAs;
    public long dstAs;
    public int srcMask;
    public int dstMask;
    public int srcVlan;
    public int dstVlan;
    /** MAC addresses in the low 48 bits; 0 when absent. */
    public long srcMac;
    public long dstMac;
    /** sFlow extended gateway: AS of the next hop router (first AS in the path); 0 when absent. */
    public long nextHopAs;

    // ---- sFlow generic interface counters (kind == INTERFACE_COUNTERS) ----
    public long ifIndex;
    public long ifSpeed;
    /** ifDirection: 0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out (sFlow v5 if_counters). */
    public int ifDirection;
    public long ifInOctets;
    public long ifOutOctets;
    public long ifInPackets;
    public long ifOutPackets;
    public long ifInErrors;
    public long ifOutErrors;
    public long ifInDiscards;
    public long ifOutDiscards;

    // ---- NetFlow v9 / IPFIX options data (kind == OPTIONS) ----
    /**
     * interfaceName (IE 82), or interfaceDescription (IE 83) when the record has no IE 82, as the
     * exporter sent it, cut at the first NUL and at {@link #INTERFACE_NAME_MAX} bytes; the
     * interface is the record's {@link #inIf} (scope ingressInterface, IE 10) or {@link #outIf}
     * (egressInterface, IE 14). {@link #interfaceNameLength} 0 = none.
     */
    public final byte[] interfaceName = new byte[INTERFACE_NAME_MAX];
    public int interfaceNameLength;
    /** True once {@link #interfaceName} holds IE 82, which then wins over IE 83. */
    public boolean interfaceNameFromName;

    // ---- enrichment outputs (filled by the enrich stage; 0 = no value) ----
    /** ISO 3166 alpha-2, two ASCII upper-case letters packed as {@code (c0 << 8) | c1}; 0 = none. */
    public int srcCountry;
    public int dstCountry;
    /** AS number chosen per enrichment.asn_source; 0 = none. */
    public long srcAsn;
    public long dstAsn;
    /** MaxMind geoname id of the city (City databases only); 0 = none. */
    public long srcCityId;
    public long dstCityId;

    /** Clears every field back to its "unknown" value. */
    public void reset()
    {
        kind = Kind.FLOW;
        type = FlowType.NETFLOW_V9;
        samplerAddrHi = 0;
        samplerAddrLo = 0;
        observationDomainId = 0;
        sequenceNum = 0;
        samplingRate = 0;
        samplerId = 0;
        reverse = false;
        timeReceivedNs = 0;
        timeFlowStartNs = 0;
        timeFlowEndNs = 0;
        bytes = 0;
        packets = 0;
        frameLength = 0;
        srcAddrPresent = false;
        srcAddrHi = 0;
        srcAddrLo = 0;
        dstAddrPresent = false;
        dstAddrHi = 0;
        dstAddrLo = 0;
        nextHopPresent = false;
        nextHopHi = 0;
        nextHopLo = 0;
        ipVersion = 0;
        srcPort = 0;
        dstPort = 0;
        proto = 0;
        tcpFlags = 0;
        tos = 0;
        icmpType = 0;
        icmpCode = 0;
        etherType = 0;
        inIf = 0;
        outIf = 0;
        direction = DIRECTION_UNKNOWN;
        forwardingStatus = 0;
        srcAs = 0;
        dstAs = 0;
        srcMask = 0;
        dstMask = 0;
        srcVlan = 0;
        dstVlan = 0;
        srcMac = 0;
        dstMac = 0;
        nextHopAs = 0;
        ifIndex = 0;
        ifSpeed = 0;
        ifDirection = 0;
        ifInOctets = 0;
        ifOutOctets = 0;
        ifInPackets = 0;
        ifOutPackets = 0;
        ifInErrors = 0;
        ifOutErrors = 0;
        ifInDiscards = 0;
        ifOutDiscards = 0;
        interfaceNameLength = 0;
        interfaceNameFromName = false;
        srcCountry = 0;
        dstCountry = 0;
        srcAsn = 0;
        dstAsn = 0;
        srcCityId = 0;
        dstCityId = 0;
    }

    /** Copies every field of {@code other} into this record. */
    public void copyFrom(final FlowRecord other)
    {
        kind = other.kind;
        type = other.type;
        samplerAddrHi = other.samplerAddrHi;
        samplerAddrLo = other.samplerAddrLo;
        observationDomainId = other.observationDomainId;
        sequenceNum = other.sequenceNum;
        samplingRate = other.samplingRate;
        samplerId = other.samplerId;
        reverse = other.reverse;
        timeReceivedNs = other.timeReceivedNs;
        timeFlowStartNs = other.timeFlowStartNs;
        timeFlowEndNs = other.timeFlowEndNs;
        bytes = other.bytes;
        packets = other.packets;
        frameLength = other.frameLength;
        srcAddrPresent = other.srcAddrPresent;
        srcAddrHi = other.srcAddrHi;
        srcAddrLo = other.srcAddrLo;
        dstAddrPresent = other.dstAddrPresent;
        dstAddrHi = other.dstAddrHi;
        dstAddrLo = other.dstAddrLo;
        nextHopPresent = other.nextHopPresent;
        nextHopHi = other.nextHopHi;
        nextHopLo = other.nextHopLo;
        ipVersion = other.ipVersion;
        srcPort = other.srcPort;
        dstPort = other.dstPort;
        proto = other.proto;
        tcpFlags = other.tcpFlags;
        tos = other.tos;
        icmpType = other.icmpType;
        icmpCode = other.icmpCode;
        etherType = other.etherType;
        inIf = other.inIf;
        outIf = other.outIf;
        direction = other.direction;
        forwardingStatus = other.forwardingStatus;
        srcAs = other.srcAs;
        dstAs = other.dstAs;
        srcMask = other.srcMask;
        dstMask = other.dstMask;
        srcVlan = other.srcVlan;
        dstVlan = other.dstVlan;
        srcMac = other.srcMac;
        dstMac = other.dstMac;
        nextHopAs = other.nextHopAs;
        ifIndex = other.ifIndex;
        ifSpeed = other.ifSpeed;
        ifDirection = other.ifDirection;
        ifInOctets = other.ifInOctets;
        ifOutOctets = other.ifOutOctets;
        ifInPackets = other.ifInPackets;
        ifOutPackets = other.ifOutPackets;
        ifInErrors = other.ifInErrors;
        ifOutErrors = other.ifOutErrors;
        ifInDiscards = other.ifInDiscards;
        ifOutDiscards = other.ifOutDiscards;
        interfaceNameLength = other.interfaceNameLength;
        interfaceNameFromName = other.interfaceNameFromName;
        if (other.interfaceNameLength > 0)
        {
            System.arraycopy(other.interfaceName, 0, interfaceName, 0, other.interfaceNameLength);
        }
        srcCountry = other.srcCountry;
        dstCountry = other.dstCountry;
        srcAsn = other.srcAsn;
        dstAsn = other.dstAsn;
        srcCityId = other.srcCityId;
        dstCityId = other.dstCityId;
    }

    public Kind kind()
    {
        return kind;
    }

    /** Sets the source address from an IPv4 address held in the low 32 bits of {@code ipv4}. */
    public void srcIpv4(final int ipv4)
    {
        srcAddrPresent = true;
        srcAddrHi = 0;
        srcAddrLo = IPV4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    public void dstIpv4(final int ipv4)
    {
        dstAddrPresent = true;
        dstAddrHi = 0;
        dstAddrLo = IPV4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    public void nextHopIpv4(final int ipv4)
    {
        nextHopPresent = true;
        nextHopHi = 0;
        nextHopLo = IPV4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    public void samplerIpv4(final int ipv4)
    {
        samplerAddrHi = 0;
        samplerAddrLo = IPV4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    public void srcIpv6(final long hi, final long lo)
    {
        srcAddrPresent = true;
        srcAddrHi = hi;
        srcAddrLo = lo;
    }

    public void dstIpv6(final long hi, final long lo)
    {
        dstAddrPresent = true;
        dstAddrHi = hi;
        dstAddrLo = lo;
    }

    public void nextHopIpv6(final long hi, final long lo)
    {
        nextHopPresent = true;
        nextHopHi = hi;
        nextHopLo = lo;
    }

    public void samplerIpv6(final long hi, final long lo)
    {
        samplerAddrHi = hi;
        samplerAddrLo = lo;
    }

    /**
     * Sets {@link #interfaceName} from {@code length} bytes at {@code offset}: IE 82 ({@code isName})
     * always, IE 83 only while no IE 82 was read. The caller has checked that the bytes are there.
     */
    public void interfaceName(
        final DirectBuffer buffer, final int offset, final int length, final boolean isName)
    {
        if (!isName && interfaceNameFromName)
        {
            return;
        }
        int n = 0;
        final int max = Math.min(length, INTERFACE_NAME_MAX);
        while (n < max && buffer.getByte(offset + n) != 0)
        {
            interfaceName[n] = buffer.getByte(offset + n);
            n++;
        }
        interfaceNameLength = n;
        interfaceNameFromName = isName;
    }

    /** @return bytes scaled by the sampling rate in force ({@code max(rate, 1)}), at most {@link Long#MAX_VALUE}. */
    public long scaledBytes()
    {
        return scaled(bytes, samplingRate);
    }

    /** @return packets scaled by the sampling rate in force ({@code max(rate, 1)}), at most {@link Long#MAX_VALUE}. */
    public long scaledPackets()
    {
        return scaled(packets, samplingRate);
    }

    /**
     * @param count a non-negative count.
     * @param rate  a non-negative 1-in-N rate; 0 and 1 leave the count as it is.
     * @return {@code count * max(rate, 1)}, {@link Long#MAX_VALUE} when the product does not fit.
     */
    public static long scaled(final long count, final long rate)
    {
        if (rate <= 1)
        {
            return count;
        }
        final long product = count * rate;
        return Math.multiplyHigh(count, rate) != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    /**
     * Adds to a counter that must never decrease (a Prometheus counter, a window bucket).
     *
     * @param total the running total, non-negative.
     * @param n     the non-negative amount to add.
     * @return {@code total + n}, {@link Long#MAX_VALUE} when the sum does not fit.
     */
    public static long addCounter(final long total, final long n)
    {
        final long sum = total + n;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * @param bytes   as read from the wire (an unsigned 64-bit value may be negative here).
     * @param packets as read from the wire, likewise.
     * @return true when both are at most {@link #MAX_COUNTER} and, with packets, the bytes per
     * packet are at most {@link #MAX_BYTES_PER_PACKET}.
     */
    public static boolean plausibleCounters(final long bytes, final long packets)
    {
        if (Long.compareUnsigned(bytes, MAX_COUNTER) > 0 || Long.compareUnsigned(packets, MAX_COUNTER) > 0)
        {
            return false;
        }
        return packets == 0 || packets >= MAX_COUNTER / MAX_BYTES_PER_PACKET || bytes <= packets * MAX_BYTES_PER_PACKET;
    }

    /** @return true when {@code rate}, read as unsigned, is at most {@link #MAX_SAMPLING_RATE}. */
    public static boolean plausibleSamplingRate(final long rate)
    {
        return Long.compareUnsigned(rate, MAX_SAMPLING_RATE) <= 0;
    }

    /** @return true when the 128-bit address is IPv4-mapped ({@code ::ffff:0:0/96}). */
    public static boolean isIpv4Mapped(final long hi, final long lo)
    {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED_PREFIX;
    }

    /** @return the IPv4-mapped form of an IPv4 address given in the low 32 bits. */
    public static long ipv4MappedLo(final int ipv4)
    {
        return IPV4_MAPPED_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }
}
