package io.goflow.exporter.decoders.sflow;

import java.nio.ByteOrder;

import io.goflow.exporter.decoders.FlowRecord;
import org.agrona.DirectBuffer;

/**
 * Decodes the first bytes of a sampled packet (sFlow raw packet header, or an IPFIX data link
 * frame section) into a {@link FlowRecord}: MACs, VLAN, EtherType, IP version, addresses,
 * protocol, ToS/traffic class, L3 length, ports, TCP flags, ICMP type/code.
 *
 * <ul>
 *   <li>L2 (IEEE 802.3): dst MAC(6) src MAC(6) EtherType(2); any stack of 802.1Q (0x8100), 802.1ad
 *       (0x88A8) and 0x9100 tags, the outermost VLAN id kept as {@code srcVlan} when none is set;
 *       MPLS (0x8847/0x8848, RFC 3032) label stacks up to the bottom-of-stack bit, then IPv4 or
 *       IPv6 guessed from the first nibble.</li>
 *   <li>L3: IPv4 (RFC 791) honouring IHL; IPv6 (RFC 8200) walking hop-by-hop, routing, fragment,
 *       destination options and AH (RFC 4302) headers. {@link FlowRecord#bytes} is the IP total
 *       length (IPv4) or payload length + 40 (IPv6) from the header.</li>
 *   <li>L4: TCP and UDP ports (and TCP flags) only from first fragments; ICMP / ICMPv6 type and
 *       code.</li>
 * </ul>
 * Stops quietly wherever the captured bytes end: what was decoded so far stays. Every read is
 * bounds-checked against {@code limit}. Stateless; allocation-free.
 */
public final class SampledHeaderDecoder
{
    /** sFlow header_protocol values (sFlow v5 section "Packet Header Data"). */
    public static final int HEADER_PROTOCOL_ETHERNET = 1;
    public static final int HEADER_PROTOCOL_IPV4 = 11;
    public static final int HEADER_PROTOCOL_IPV6 = 12;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;
    static final int ETHERTYPE_QINQ_OLD = 0x9100;
    static final int ETHERTYPE_MPLS = 0x8847;
    static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;

    static final int ETHERNET_HEADER_LENGTH = 14;
    static final int MAX_TAGS = 8;
    static final int MPLS_ENTRY_LENGTH = 4;
    static final int MAX_MPLS_LABELS = 16;
    static final int IPV4_MIN_HEADER_LENGTH = 20;
    static final int IPV6_HEADER_LENGTH = 40;
    static final int MAX_IPV6_EXTENSIONS = 8;

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
     * Decodes {@code buffer[offset, offset + length)} as a packet of {@code headerProtocol}.
     *
     * @return true when an IP header was found (addresses and {@code bytes} set).
     */
    public static boolean decode(
        final DirectBuffer buffer, final int offset, final int length, final int headerProtocol, final FlowRecord r)
    {
        final int limit = offset + length;
        switch (headerProtocol)
        {
            case HEADER_PROTOCOL_ETHERNET:
                return decodeEthernet(buffer, offset, limit, r);
            case HEADER_PROTOCOL_IPV4:
                return decodeIpv4(buffer, offset, limit, r);
            case HEADER_PROTOCOL_IPV6:
                return decodeIpv6(buffer, offset, limit, r);
            default:
                return false;
        }
    }

    /** Decodes an Ethernet frame starting at {@code offset}. */
    public static boolean decodeEthernet(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        if (limit - offset < ETHERNET_HEADER_LENGTH)
        {
            return false;
        }
        r.dstMac = mac(buffer, offset);
        r.srcMac = mac(buffer, offset + 6);
        int etherType = u16(buffer, offset + 12);
        int at = offset + ETHERNET_HEADER_LENGTH;
        for (int tags = 0; etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_OLD;
            tags++)
        {
            if (tags == MAX_TAGS || limit - at < 4)
            {
                r.etherType = etherType;
                return false;
            }
            if (tags == 0 && r.srcVlan == 0)
            {
                r.srcVlan = u16(buffer, at) & 0x0FFF;
            }
            etherType = u16(buffer, at + 2);
            at += 4;
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
                return decodeMpls(buffer, at, limit, r);
            default:
                return false;
        }
    }

    private static boolean decodeMpls(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        int at = offset;
        for (int labels = 0; labels < MAX_MPLS_LABELS; labels++)
        {
            if (limit - at < MPLS_ENTRY_LENGTH)
            {
                return false;
            }
            final boolean bottom = (buffer.getByte(at + 2) & 0x01) != 0;
            at += MPLS_ENTRY_LENGTH;
            if (bottom)
            {
                if (limit - at < 1)
                {
                    return false;
                }
                final int version = (buffer.getByte(at) >> 4) & 0xF;
                if (version == 4)
                {
                    r.etherType = ETHERTYPE_IPV4;
                    return decodeIpv4(buffer, at, limit, r);
                }
                if (version == 6)
                {
                    r.etherType = ETHERTYPE_IPV6;
                    return decodeIpv6(buffer, at, limit, r);
                }
                return false;
            }
        }
        return false;
    }

    /** Decodes an IPv4 packet starting at {@code offset}. */
    public static boolean decodeIpv4(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        if (limit - offset < IPV4_MIN_HEADER_LENGTH)
        {
            return false;
        }
        final int versionIhl = buffer.getByte(offset) & 0xFF;
        final int headerLength = (versionIhl & 0xF) * 4;
        if ((versionIhl >> 4) != 4 || headerLength < IPV4_MIN_HEADER_LENGTH)
        {
            return false;
        }
        r.ipVersion = 4;
        r.etherType = ETHERTYPE_IPV4;
        r.tos = buffer.getByte(offset + 1) & 0xFF;
        r.bytes = u16(buffer, offset + 2);
        final boolean firstFragment = (u16(buffer, offset + 6) & 0x1FFF) == 0;
        r.proto = buffer.getByte(offset + 9) & 0xFF;
        r.srcIpv4(buffer.getInt(offset + 12, ByteOrder.BIG_ENDIAN));
        r.dstIpv4(buffer.getInt(offset + 16, ByteOrder.BIG_ENDIAN));
        if (firstFragment && limit - offset >= headerLength)
        {
            decodeTransport(buffer, offset + headerLength, limit, r);
        }
        return true;
    }

    /** Decodes an IPv6 packet starting at {@code offset}. */
    public static boolean decodeIpv6(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        if (limit - offset < IPV6_HEADER_LENGTH || ((buffer.getByte(offset) >> 4) & 0xF) != 6)
        {
            return false;
        }
        r.ipVersion = 6;
        r.etherType = ETHERTYPE_IPV6;
        r.tos = (u16(buffer, offset) >> 4) & 0xFF;
        r.bytes = u16(buffer, offset + 4) + IPV6_HEADER_LENGTH;
        r.srcIpv6(buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN), buffer.getLong(offset + 16, ByteOrder.BIG_ENDIAN));
        r.dstIpv6(buffer.getLong(offset + 24, ByteOrder.BIG_ENDIAN), buffer.getLong(offset + 32, ByteOrder.BIG_ENDIAN));
        int next = buffer.getByte(offset + 6) & 0xFF;
        int at = offset + IPV6_HEADER_LENGTH;
        boolean firstFragment = true;
        for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++)
        {
            final int extensionLength;
            if (next == 0 || next == 43 || next == 60)
            {
                if (limit - at < 2)
                {
                    break;
                }
                extensionLength = ((buffer.getByte(at + 1) & 0xFF) + 1) * 8;
            }
            else if (next == 51)
            {
                if (limit - at < 2)
                {
                    break;
                }
                extensionLength = ((buffer.getByte(at + 1) & 0xFF) + 2) * 4;
            }
            else if (next == 44)
            {
                if (limit - at < 8)
                {
                    break;
                }
                firstFragment = (u16(buffer, at + 2) & 0xFFF8) == 0;
                extensionLength = 8;
            }
            else
            {
                break;
            }
            next = buffer.getByte(at) & 0xFF;
            at += extensionLength;
        }
        r.proto = next;
        if (firstFragment && at <= limit)
        {
            decodeTransport(buffer, at, limit, r);
        }
        return true;
    }

    private static void decodeTransport(final DirectBuffer buffer, final int offset, final int limit, final FlowRecord r)
    {
        final int available = limit - offset;
        switch (r.proto)
        {
            case PROTO_TCP:
                if (available >= 14)
                {
                    r.srcPort = u16(buffer, offset);
                    r.dstPort = u16(buffer, offset + 2);
                    r.tcpFlags = buffer.getByte(offset + 13) & 0xFF;
                }
                else if (available >= 4)
                {
                    r.srcPort = u16(buffer, offset);
                    r.dstPort = u16(buffer, offset + 2);
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
