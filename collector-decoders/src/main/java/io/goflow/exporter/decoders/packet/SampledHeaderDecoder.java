package io.goflow.exporter.decoders.packet;

import java.nio.ByteOrder;

import io.goflow.exporter.decoders.api.FlowRecord;
import org.agrona.DirectBuffer;

/**
 * The one parser for the first bytes of a sampled packet, shared by the sFlow raw packet header
 * record and the IPFIX / NetFlow v9 packet sections (IE 315 dataLinkFrameSection, IE 104
 * layer2packetSection, IE 313 ipHeaderPacketSection, IE 314 ipPayloadPacketSection). It fills a
 * {@link FlowRecord}: MACs, VLAN, EtherType, IP version, addresses, protocol, ToS / traffic class,
 * L3 length ({@link FlowRecord#bytes}), ports, TCP flags, ICMP type/code.
 *
 * <h2>What is parsed</h2>
 * <ul>
 *   <li>L2 (IEEE 802.3): dst MAC(6) src MAC(6) EtherType(2). Any stack of up to {@link #MAX_TAGS}
 *       802.1Q (0x8100), 802.1ad QinQ (0x88A8) and 0x9100 tags, tag = TCI(2) EtherType(2); the
 *       outermost VLAN id is kept as {@code srcVlan} when none is set. An EtherType below 0x0600
 *       is an 802.3 length (LLC follows): not IP.</li>
 *   <li>MPLS (0x8847 / 0x8848, RFC 3032): label stack entries of 4 bytes (label 20, TC 3, S 1,
 *       TTL 8) up to the bottom-of-stack bit, at most {@link #MAX_MPLS_LABELS}. The payload is
 *       told by its first nibble, as Wireshark does: 4 IPv4, 6 IPv6, 1 a pseudowire associated
 *       channel (RFC 4385, not IP), 0 a pseudowire control word (RFC 4385, 4 bytes) followed by
 *       an Ethernet frame (Ethernet over MPLS, RFC 4448) unless only the reading without control
 *       word finds a known EtherType, anything else an Ethernet frame without control word. The inner frame's MACs do not replace the outer ones; its VLAN is used when
 *       the outer frame had none.</li>
 *   <li>IPv4 (RFC 791): version/IHL(1) ToS(1) total length(2) id(2) flags/fragment offset(2)
 *       TTL(1) protocol(1) checksum(2) src(4) dst(4) options(IHL*4 - 20). The L3 length is the
 *       total length.</li>
 *   <li>IPv6 (RFC 8200): version/class/label(4) payload length(2) next header(1) hop limit(1)
 *       src(16) dst(16), then hop-by-hop (0), routing (43, including the SRv6 segment routing
 *       header of RFC 8754), fragment (44), destination options (60) and AH (51, RFC 4302)
 *       headers, at most {@link #MAX_IPV6_EXTENSIONS}. The L3 length is payload length + 40.
 *       Tunnels are not entered: an SRv6 or IP-in-IP packet is the outer packet, its protocol
 *       the header after the extension chain (41 IPv6, 4 IPv4, 143 Ethernet).</li>
 *   <li>L4: TCP (RFC 9293) ports and flags (low 8 bits of the flags field), UDP, SCTP and
 *       UDP-Lite ports, ICMP / ICMPv6 type and code, only from first fragments (IPv4 fragment
 *       offset 0, IPv6 fragment header offset 0).</li>
 * </ul>
 *
 * <h2>Cut and lying headers</h2>
 * Every read is checked against {@code limit}; parsing stops quietly where the bytes end and what
 * was decoded so far stays, with fields taken only when the bytes that hold them are all there (the
 * L3 length as soon as the length field is there, addresses once both are there). The result
 * ({@link #FOUND_L3_LENGTH}, {@link #FOUND_ADDRESSES}, {@link #CUT}, {@link #MALFORMED},
 * {@link #LATER_FRAGMENT}, as bits)
 * tells the caller what was found: an IPv4 IHL below 5, an IPv4 total length below its header
 * length, or an IP section whose version is neither 4 nor 6 is {@link #MALFORMED} (the length is
 * then not used). A frame that is simply not IP (ARP, LLC, a pseudowire channel) is neither cut
 * nor malformed: its EtherType is kept.
 *
 * <p>State: none. Static methods only; every constant is final, no field, no cache. All the
 * state of a call is the caller's {@link FlowRecord}, written in place, and the bytes it reads.
 * Allocation-free.
 *
 * <p>Thread ownership: none of its own; any thread may call it, the record belongs to the calling
 * thread (in the decoders, a decode shard's {@code SflowDecoder} and {@code DataSetDecoder}, each
 * on a record of its own), and the buffer must not be written while it is read.
 */
public final class SampledHeaderDecoder
{
    /** sFlow header_protocol values (sFlow v5 section "Packet Header Data"). */
    public static final int HEADER_PROTOCOL_ETHERNET = 1;
    public static final int HEADER_PROTOCOL_IPV4 = 11;
    public static final int HEADER_PROTOCOL_IPV6 = 12;
    /** Not an sFlow value: an IP packet of either version, told by its first nibble (IE 313). */
    public static final int HEADER_PROTOCOL_IP = -1;

    /** Result bit: the L3 length was read into {@link FlowRecord#bytes}. */
    public static final int FOUND_L3_LENGTH = 1;
    /** Result bit: both IP addresses were read. */
    public static final int FOUND_ADDRESSES = 1 << 1;
    /** Result bit: the bytes ended inside a header that was being parsed (L2, MPLS or IP). */
    public static final int CUT = 1 << 2;
    /** Result bit: a length or version field that cannot be true. */
    public static final int MALFORMED = 1 << 3;
    /** Result bit: the packet is a fragment other than the first (no transport header follows). */
    public static final int LATER_FRAGMENT = 1 << 4;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;
    static final int ETHERTYPE_QINQ_OLD = 0x9100;
    static final int ETHERTYPE_MPLS = 0x8847;
    static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    static final int ETHERTYPE_ARP = 0x0806;
    /** EtherTypes start here; smaller values are IEEE 802.3 lengths. */
    static final int ETHERTYPE_MIN = 0x0600;

    static final int MAC_LENGTH = 6;
    static final int ETHERNET_HEADER_LENGTH = 2 * MAC_LENGTH + 2;
    static final int TAG_LENGTH = 4;
    static final int MAX_TAGS = 8;
    static final int MPLS_ENTRY_LENGTH = 4;
    static final int MAX_MPLS_LABELS = 16;
    static final int PW_CONTROL_WORD_LENGTH = 4;
    /** Ethernet frames nested in MPLS: at most one level (EoMPLS), no MPLS inside it. */
    static final int MAX_NESTING = 1;

    static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
    static final int IPV4_FRAGMENT_OFFSET = 6;
    static final int IPV4_PROTOCOL_OFFSET = 9;
    static final int IPV4_SRC_OFFSET = 12;
    static final int IPV4_DST_OFFSET = 16;
    static final int IPV4_MIN_HEADER_LENGTH = 20;
    static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    static final int IPV6_NEXT_HEADER_OFFSET = 6;
    static final int IPV6_SRC_OFFSET = 8;
    static final int IPV6_DST_OFFSET = 24;
    static final int IPV6_HEADER_LENGTH = 40;
    static final int MAX_IPV6_EXTENSIONS = 8;

    static final int NEXT_HOP_BY_HOP = 0;
    static final int NEXT_ROUTING = 43;
    static final int NEXT_FRAGMENT = 44;
    static final int NEXT_AH = 51;
    static final int NEXT_DESTINATION_OPTIONS = 60;

    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMPV6 = 58;
    static final int PROTO_SCTP = 132;
    static final int PROTO_UDPLITE = 136;

    private SampledHeaderDecoder()
    {
    }

    /**
     * Decodes {@code buffer[offset, offset + length)} as a packet of {@code headerProtocol}
     * ({@link #HEADER_PROTOCOL_ETHERNET}, {@link #HEADER_PROTOCOL_IPV4}, {@link #HEADER_PROTOCOL_IPV6}
     * or {@link #HEADER_PROTOCOL_IP}); any other value decodes nothing.
     *
     * @return result bits ({@link #FOUND_L3_LENGTH}, {@link #FOUND_ADDRESSES}, {@link #CUT},
     *         {@link #MALFORMED}).
     */
    public static int decode(
        final DirectBuffer buffer, final int offset, final int length, final int headerProtocol, final FlowRecord r)
    {
        final int limit = offset + length;
        switch (headerProtocol)
        {
            case HEADER_PROTOCOL_ETHERNET:
                return decodeEthernet(buffer, offset, limit, r, 0);
            case HEADER_PROTOCOL_IPV4:
                return decodeIpv4(buffer, offset, limit, r);
            case HEADER_PROTOCOL_IPV6:
                return decodeIpv6(buffer, offset, limit, r);
            case HEADER_PROTOCOL_IP:
                return decodeIp(buffer, offset, limit, r);
            default:
                return 0;
        }
    }

    /** @return true when {@code result} has both addresses (the packet was IP). */
    public static boolean foundAddresses(final int result)
    {
        return (result & FOUND_ADDRESSES) != 0;
    }

    /**
     * Decodes the transport header at {@code [offset, limit)} of a packet whose protocol is
     * already in {@code r.proto} (an IE 314 ipPayloadPacketSection).
     */
    public static void decodeTransportOnly(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        decodeTransport(buffer, offset, limit, r);
    }

    private static int decodeEthernet(
        final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r, final int depth)
    {
        if (limit - offset < ETHERNET_HEADER_LENGTH)
        {
            return CUT;
        }
        if (depth == 0)
        {
            r.dstMac = mac(buffer, offset);
            r.srcMac = mac(buffer, offset + MAC_LENGTH);
        }
        int etherType = u16(buffer, offset + 2 * MAC_LENGTH);
        int at = offset + ETHERNET_HEADER_LENGTH;
        for (int tags = 0; etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_OLD;
            tags++)
        {
            if (tags == MAX_TAGS)
            {
                r.etherType = etherType;
                return MALFORMED;
            }
            if (limit - at < TAG_LENGTH)
            {
                r.etherType = etherType;
                return CUT;
            }
            if (tags == 0 && r.srcVlan == 0)
            {
                r.srcVlan = u16(buffer, at) & 0x0FFF;
            }
            etherType = u16(buffer, at + 2);
            at += TAG_LENGTH;
        }
        if (etherType < ETHERTYPE_MIN)
        {
            return 0;
        }
        r.etherType = etherType;
        switch (etherType)
        {
            case ETHERTYPE_IPV4:
                return decodeIpv4(buffer, at, limit, r);
            case ETHERTYPE_IPV6:
                return decodeIpv6(buffer, at, limit, r);
            case ETHERTYPE_MPLS:
            case ETHERTYPE_MPLS_MULTICAST:
                return depth < MAX_NESTING ? decodeMpls(buffer, at, limit, r, depth) : 0;
            default:
                return 0;
        }
    }

    private static int decodeMpls(
        final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r, final int depth)
    {
        int at = offset;
        for (int labels = 0; labels < MAX_MPLS_LABELS; labels++)
        {
            if (limit - at < MPLS_ENTRY_LENGTH)
            {
                return CUT;
            }
            final boolean bottom = (buffer.getByte(at + 2) & 0x01) != 0;
            at += MPLS_ENTRY_LENGTH;
            if (bottom)
            {
                if (limit - at < 1)
                {
                    return CUT;
                }
                final int nibble = (buffer.getByte(at) >> 4) & 0xF;
                switch (nibble)
                {
                    case 4:
                        r.etherType = ETHERTYPE_IPV4;
                        return decodeIpv4(buffer, at, limit, r);
                    case 6:
                        r.etherType = ETHERTYPE_IPV6;
                        return decodeIpv6(buffer, at, limit, r);
                    case 1:
                        return 0;
                    case 0:
                        if (limit - at < PW_CONTROL_WORD_LENGTH)
                        {
                            return CUT;
                        }
                        return decodeEthernet(
                            buffer, hasControlWord(buffer, at, limit) ? at + PW_CONTROL_WORD_LENGTH : at, limit, r, depth + 1);
                    default:
                        return decodeEthernet(buffer, at, limit, r, depth + 1);
                }
            }
        }
        return MALFORMED;
    }

    /**
     * Tells an Ethernet pseudowire with control word (RFC 4385: first nibble 0, then flags,
     * fragment bits, length, sequence) from one without whose destination MAC starts with a 0
     * nibble: the control word is taken unless only the reading without it finds a known EtherType
     * (IPv4, IPv6, 802.1Q, QinQ, MPLS, ARP) at the frame's type field.
     */
    private static boolean hasControlWord(final DirectBuffer buffer, final int at, final int limit)
    {
        final int typeWithout = at + 2 * MAC_LENGTH;
        final int typeWith = typeWithout + PW_CONTROL_WORD_LENGTH;
        if (limit - typeWith < 2)
        {
            return true;
        }
        return knownEtherType(u16(buffer, typeWith)) || !knownEtherType(u16(buffer, typeWithout));
    }

    private static boolean knownEtherType(final int etherType)
    {
        return etherType == ETHERTYPE_IPV4 || etherType == ETHERTYPE_IPV6 || etherType == ETHERTYPE_VLAN ||
            etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_MPLS || etherType == ETHERTYPE_ARP;
    }

    private static int decodeIp(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        if (limit - offset < 1)
        {
            return CUT;
        }
        final int version = (buffer.getByte(offset) >> 4) & 0xF;
        if (version == 4)
        {
            r.etherType = ETHERTYPE_IPV4;
            return decodeIpv4(buffer, offset, limit, r);
        }
        if (version == 6)
        {
            r.etherType = ETHERTYPE_IPV6;
            return decodeIpv6(buffer, offset, limit, r);
        }
        return MALFORMED;
    }

    private static int decodeIpv4(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        final int available = limit - offset;
        if (available < 1)
        {
            return CUT;
        }
        final int versionIhl = buffer.getByte(offset) & 0xFF;
        final int headerLength = (versionIhl & 0xF) * 4;
        if ((versionIhl >> 4) != 4)
        {
            return MALFORMED;
        }
        r.ipVersion = 4;
        r.etherType = ETHERTYPE_IPV4;
        if (available < IPV4_TOTAL_LENGTH_OFFSET + 2)
        {
            if (available >= 2)
            {
                r.tos = buffer.getByte(offset + 1) & 0xFF;
            }
            return CUT;
        }
        r.tos = buffer.getByte(offset + 1) & 0xFF;
        final int totalLength = u16(buffer, offset + IPV4_TOTAL_LENGTH_OFFSET);
        if (headerLength < IPV4_MIN_HEADER_LENGTH || totalLength < headerLength)
        {
            return MALFORMED;
        }
        r.bytes = totalLength;
        if (available < IPV4_DST_OFFSET + 4)
        {
            if (available > IPV4_PROTOCOL_OFFSET)
            {
                r.proto = buffer.getByte(offset + IPV4_PROTOCOL_OFFSET) & 0xFF;
            }
            return FOUND_L3_LENGTH | CUT;
        }
        final boolean firstFragment = (u16(buffer, offset + IPV4_FRAGMENT_OFFSET) & 0x1FFF) == 0;
        r.proto = buffer.getByte(offset + IPV4_PROTOCOL_OFFSET) & 0xFF;
        r.srcIpv4(buffer.getInt(offset + IPV4_SRC_OFFSET, ByteOrder.BIG_ENDIAN));
        r.dstIpv4(buffer.getInt(offset + IPV4_DST_OFFSET, ByteOrder.BIG_ENDIAN));
        if (available < headerLength)
        {
            return FOUND_L3_LENGTH | FOUND_ADDRESSES | CUT;
        }
        if (!firstFragment)
        {
            return FOUND_L3_LENGTH | FOUND_ADDRESSES | LATER_FRAGMENT;
        }
        decodeTransport(buffer, offset + headerLength, limit, r);
        return FOUND_L3_LENGTH | FOUND_ADDRESSES;
    }

    private static int decodeIpv6(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        final int available = limit - offset;
        if (available < 1)
        {
            return CUT;
        }
        if (((buffer.getByte(offset) >> 4) & 0xF) != 6)
        {
            return MALFORMED;
        }
        r.ipVersion = 6;
        r.etherType = ETHERTYPE_IPV6;
        if (available >= 2)
        {
            r.tos = (u16(buffer, offset) >> 4) & 0xFF;
        }
        if (available < IPV6_PAYLOAD_LENGTH_OFFSET + 2)
        {
            return CUT;
        }
        r.bytes = u16(buffer, offset + IPV6_PAYLOAD_LENGTH_OFFSET) + IPV6_HEADER_LENGTH;
        if (available < IPV6_HEADER_LENGTH)
        {
            if (available > IPV6_NEXT_HEADER_OFFSET)
            {
                r.proto = buffer.getByte(offset + IPV6_NEXT_HEADER_OFFSET) & 0xFF;
            }
            return FOUND_L3_LENGTH | CUT;
        }
        r.srcIpv6(buffer.getLong(offset + IPV6_SRC_OFFSET, ByteOrder.BIG_ENDIAN),
            buffer.getLong(offset + IPV6_SRC_OFFSET + 8, ByteOrder.BIG_ENDIAN));
        r.dstIpv6(buffer.getLong(offset + IPV6_DST_OFFSET, ByteOrder.BIG_ENDIAN),
            buffer.getLong(offset + IPV6_DST_OFFSET + 8, ByteOrder.BIG_ENDIAN));
        int next = buffer.getByte(offset + IPV6_NEXT_HEADER_OFFSET) & 0xFF;
        int at = offset + IPV6_HEADER_LENGTH;
        boolean firstFragment = true;
        boolean cut = false;
        for (int i = 0; i < MAX_IPV6_EXTENSIONS && !cut; i++)
        {
            final int extensionLength;
            if (next == NEXT_HOP_BY_HOP || next == NEXT_ROUTING || next == NEXT_DESTINATION_OPTIONS)
            {
                cut = limit - at < 2;
                extensionLength = cut ? 0 : ((buffer.getByte(at + 1) & 0xFF) + 1) * 8;
            }
            else if (next == NEXT_AH)
            {
                cut = limit - at < 2;
                extensionLength = cut ? 0 : ((buffer.getByte(at + 1) & 0xFF) + 2) * 4;
            }
            else if (next == NEXT_FRAGMENT)
            {
                cut = limit - at < 8;
                firstFragment = cut || (u16(buffer, at + 2) & 0xFFF8) == 0;
                extensionLength = 8;
            }
            else
            {
                break;
            }
            if (!cut)
            {
                next = buffer.getByte(at) & 0xFF;
                at += extensionLength;
                cut = at > limit;
            }
        }
        r.proto = next;
        if (cut)
        {
            return FOUND_L3_LENGTH | FOUND_ADDRESSES | CUT;
        }
        if (!firstFragment)
        {
            return FOUND_L3_LENGTH | FOUND_ADDRESSES | LATER_FRAGMENT;
        }
        decodeTransport(buffer, at, limit, r);
        return FOUND_L3_LENGTH | FOUND_ADDRESSES;
    }

    private static void decodeTransport(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        final int available = limit - offset;
        switch (r.proto)
        {
            case PROTO_TCP:
                if (available >= 4)
                {
                    r.srcPort = u16(buffer, offset);
                    r.dstPort = u16(buffer, offset + 2);
                }
                if (available >= 14)
                {
                    r.tcpFlags = buffer.getByte(offset + 13) & 0xFF;
                }
                break;
            case PROTO_UDP:
            case PROTO_SCTP:
            case PROTO_UDPLITE:
                if (available >= 4)
                {
                    r.srcPort = u16(buffer, offset);
                    r.dstPort = u16(buffer, offset + 2);
                }
                break;
            case PROTO_ICMP:
            case PROTO_ICMPV6:
                if (available >= 2)
                {
                    r.icmpType = buffer.getByte(offset) & 0xFF;
                    r.icmpCode = buffer.getByte(offset + 1) & 0xFF;
                }
                break;
            default:
                break;
        }
    }

    private static int u16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private static long mac(final DirectBuffer buffer, final int index)
    {
        return ((long)u16(buffer, index) << 32) | (buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }
}
