package io.goflow.exporter.decoders.template;

/**
 * What the record walker does with one template field, decided once when the template is compiled
 * (see {@link Template}). A compiled field is one {@code int}: {@code (action << 16) | length}.
 *
 * <p>Actions below {@link #SCRATCH_BASE} write straight into the {@code FlowRecord}; actions at or
 * above it store the unsigned value into a scratch slot ({@code action - SCRATCH_BASE}) that is
 * resolved when the whole record has been read, because their meaning depends on other fields
 * (which byte counter wins, time encodings needing the export time or system init time, the
 * sampling rate from interval and space). The first occurrence of a scratch field in a record wins,
 * as in Wireshark.
 *
 * <p>Mapping of IANA Information Elements (RFC 7012, IANA "IPFIX Information Elements"; the v9
 * field types of RFC 3954 section 8 share the numbers 1-79) and of RFC 5103 reverse elements
 * (enterprise 29305) to actions is in {@link #forElement(long, int)}.
 */
public final class FieldAction
{
    /** Field skipped by its length: unknown, enterprise-specific or not needed. */
    public static final int SKIP = 0;
    public static final int PROTO = 1;
    public static final int TOS = 2;
    public static final int TCP_FLAGS = 3;
    public static final int SRC_PORT = 4;
    public static final int DST_PORT = 5;
    /** udpSourcePort / tcpSourcePort (180 / 182): used only when IE 7 is absent. */
    public static final int SRC_PORT_ALT = 6;
    public static final int DST_PORT_ALT = 7;
    public static final int SRC_V4 = 8;
    public static final int DST_V4 = 9;
    public static final int SRC_V6 = 10;
    public static final int DST_V6 = 11;
    public static final int SRC_MASK = 12;
    public static final int DST_MASK = 13;
    public static final int IN_IF = 14;
    public static final int OUT_IF = 15;
    public static final int NEXT_HOP_V4 = 16;
    public static final int NEXT_HOP_V6 = 17;
    /** BGP next hop (18 / 63): used only when no IP next hop (15 / 62) is present. */
    public static final int BGP_NEXT_HOP_V4 = 18;
    public static final int BGP_NEXT_HOP_V6 = 19;
    public static final int SRC_AS = 20;
    public static final int DST_AS = 21;
    /** icmpTypeCodeIPv4 / IPv6 (32 / 139): type in the high byte, code in the low byte. */
    public static final int ICMP_TYPE_CODE = 22;
    public static final int ICMP_TYPE = 23;
    public static final int ICMP_CODE = 24;
    public static final int SRC_VLAN = 25;
    public static final int DST_VLAN = 26;
    /** sourceMacAddress (56); postSourceMacAddress (81) is the fallback. */
    public static final int SRC_MAC = 27;
    /** destinationMacAddress (80); postDestinationMacAddress (57) is the fallback. */
    public static final int DST_MAC = 28;
    public static final int SRC_MAC_POST = 29;
    public static final int DST_MAC_POST = 30;
    public static final int DIRECTION = 31;
    public static final int FORWARDING_STATUS = 32;
    public static final int IP_VERSION = 33;
    public static final int ETHER_TYPE = 34;
    /** samplingProbability (311): float32 or float64, stored as double bits in a scratch slot. */
    public static final int SAMPLING_PROBABILITY = 35;
    /** A data link (Ethernet) packet section: IE 315 dataLinkFrameSection, 104 layer2packetSectionData. */
    public static final int SECTION_L2 = 36;
    /** An IP packet section, IPv4 or IPv6 by its first nibble: IE 313 ipHeaderPacketSection. */
    public static final int SECTION_IP = 37;
    /** A section starting at the transport header: IE 314 ipPayloadPacketSection. */
    public static final int SECTION_PAYLOAD = 38;
    /** interfaceName (82): copied into {@code FlowRecord.interfaceName}, which it fills first. */
    public static final int INTERFACE_NAME = 39;
    /** interfaceDescription (83): copied into {@code FlowRecord.interfaceName} when IE 82 is absent. */
    public static final int INTERFACE_DESCRIPTION = 40;

    /** First scratch action; {@code action - SCRATCH_BASE} is the slot. */
    public static final int SCRATCH_BASE = 64;

    /** Scratch slots (see {@link RecordScratch}). */
    public static final int S_BYTES = 0;
    public static final int S_PACKETS = 1;
    public static final int S_BYTES_TOTAL = 2;
    public static final int S_PACKETS_TOTAL = 3;
    public static final int S_BYTES_INITIATOR = 4;
    public static final int S_BYTES_RESPONDER = 5;
    public static final int S_PACKETS_INITIATOR = 6;
    public static final int S_PACKETS_RESPONDER = 7;
    public static final int S_BYTES_POST = 8;
    public static final int S_PACKETS_POST = 9;
    public static final int S_REV_BYTES = 10;
    public static final int S_REV_PACKETS = 11;
    public static final int S_REV_BYTES_TOTAL = 12;
    public static final int S_REV_PACKETS_TOTAL = 13;
    public static final int S_REV_TCP_FLAGS = 14;
    public static final int S_SAMPLING_INTERVAL = 15;
    public static final int S_SAMPLER_RANDOM_INTERVAL = 16;
    public static final int S_SELECTOR_ALGORITHM = 17;
    public static final int S_PACKET_INTERVAL = 18;
    public static final int S_PACKET_SPACE = 19;
    public static final int S_SAMPLING_SIZE = 20;
    public static final int S_SAMPLING_POPULATION = 21;
    public static final int S_SAMPLING_PROBABILITY = 22;
    public static final int S_SAMPLER_ID = 23;
    public static final int S_SELECTOR_ID = 24;
    public static final int S_SYSTEM_INIT_MS = 25;
    public static final int S_DURATION_MS = 26;
    public static final int S_DURATION_US = 27;

    /**
     * Time slots: {@code S_TIME + (reverse ? 12 : 0) + (end ? 6 : 0) + encoding}, encoding one of
     * the {@code TIME_...} values below.
     */
    public static final int S_TIME = 28;
    public static final int TIME_MS = 0;
    public static final int TIME_SEC = 1;
    public static final int TIME_US = 2;
    public static final int TIME_NS = 3;
    public static final int TIME_DELTA_US = 4;
    public static final int TIME_UPTIME_MS = 5;
    public static final int TIME_ENCODINGS = 6;
    public static final int S_TIME_END_OFFSET = TIME_ENCODINGS;
    public static final int S_TIME_REVERSE_OFFSET = 2 * TIME_ENCODINGS;

    /** Packet report slots: dataLinkFrameSize (312), ipTotalLength (224), section exported octets and offset. */
    public static final int S_FRAME_SIZE = S_TIME + 4 * TIME_ENCODINGS;
    public static final int S_IP_TOTAL_LENGTH = S_FRAME_SIZE + 1;
    public static final int S_SECTION_EXPORTED = S_IP_TOTAL_LENGTH + 1;
    public static final int S_SECTION_OFFSET = S_SECTION_EXPORTED + 1;

    /** Number of scratch slots; fits a 64-bit presence mask. */
    public static final int SCRATCH_SLOTS = S_SECTION_OFFSET + 1;

    /** Private Enterprise Number of RFC 5103 reverse Information Elements. */
    public static final long REVERSE_PEN = 29305;

    private static final int TABLE_SIZE = 512;
    private static final int[] FORWARD = new int[TABLE_SIZE];
    private static final int[] REVERSE = new int[TABLE_SIZE];

    static
    {
        FORWARD[InformationElementDescriptor.OCTET_DELTA_COUNT] = scratch(S_BYTES);
        FORWARD[InformationElementDescriptor.PACKET_DELTA_COUNT] = scratch(S_PACKETS);
        FORWARD[InformationElementDescriptor.OCTET_TOTAL_COUNT] = scratch(S_BYTES_TOTAL);
        FORWARD[InformationElementDescriptor.PACKET_TOTAL_COUNT] = scratch(S_PACKETS_TOTAL);
        FORWARD[InformationElementDescriptor.INITIATOR_OCTETS] = scratch(S_BYTES_INITIATOR);
        FORWARD[InformationElementDescriptor.RESPONDER_OCTETS] = scratch(S_BYTES_RESPONDER);
        FORWARD[InformationElementDescriptor.INITIATOR_PACKETS] = scratch(S_PACKETS_INITIATOR);
        FORWARD[InformationElementDescriptor.RESPONDER_PACKETS] = scratch(S_PACKETS_RESPONDER);
        FORWARD[InformationElementDescriptor.POST_OCTET_DELTA_COUNT] = scratch(S_BYTES_POST);
        FORWARD[InformationElementDescriptor.POST_PACKET_DELTA_COUNT] = scratch(S_PACKETS_POST);
        FORWARD[InformationElementDescriptor.PROTOCOL_IDENTIFIER] = PROTO;
        FORWARD[InformationElementDescriptor.IP_CLASS_OF_SERVICE] = TOS;
        FORWARD[InformationElementDescriptor.TCP_CONTROL_BITS] = TCP_FLAGS;
        FORWARD[InformationElementDescriptor.SOURCE_TRANSPORT_PORT] = SRC_PORT;
        FORWARD[InformationElementDescriptor.DESTINATION_TRANSPORT_PORT] = DST_PORT;
        FORWARD[InformationElementDescriptor.UDP_SOURCE_PORT] = SRC_PORT_ALT;
        FORWARD[InformationElementDescriptor.UDP_DESTINATION_PORT] = DST_PORT_ALT;
        FORWARD[InformationElementDescriptor.TCP_SOURCE_PORT] = SRC_PORT_ALT;
        FORWARD[InformationElementDescriptor.TCP_DESTINATION_PORT] = DST_PORT_ALT;
        FORWARD[InformationElementDescriptor.SOURCE_IPV4_ADDRESS] = SRC_V4;
        FORWARD[InformationElementDescriptor.DESTINATION_IPV4_ADDRESS] = DST_V4;
        FORWARD[InformationElementDescriptor.SOURCE_IPV6_ADDRESS] = SRC_V6;
        FORWARD[InformationElementDescriptor.DESTINATION_IPV6_ADDRESS] = DST_V6;
        FORWARD[InformationElementDescriptor.SOURCE_IPV4_PREFIX_LENGTH] = SRC_MASK;
        FORWARD[InformationElementDescriptor.DESTINATION_IPV4_PREFIX_LENGTH] = DST_MASK;
        FORWARD[InformationElementDescriptor.SOURCE_IPV6_PREFIX_LENGTH] = SRC_MASK;
        FORWARD[InformationElementDescriptor.DESTINATION_IPV6_PREFIX_LENGTH] = DST_MASK;
        FORWARD[InformationElementDescriptor.INGRESS_INTERFACE] = IN_IF;
        FORWARD[InformationElementDescriptor.EGRESS_INTERFACE] = OUT_IF;
        FORWARD[InformationElementDescriptor.IP_NEXT_HOP_IPV4_ADDRESS] = NEXT_HOP_V4;
        FORWARD[InformationElementDescriptor.IP_NEXT_HOP_IPV6_ADDRESS] = NEXT_HOP_V6;
        FORWARD[InformationElementDescriptor.BGP_NEXT_HOP_IPV4_ADDRESS] = BGP_NEXT_HOP_V4;
        FORWARD[InformationElementDescriptor.BGP_NEXT_HOP_IPV6_ADDRESS] = BGP_NEXT_HOP_V6;
        FORWARD[InformationElementDescriptor.BGP_SOURCE_AS_NUMBER] = SRC_AS;
        FORWARD[InformationElementDescriptor.BGP_DESTINATION_AS_NUMBER] = DST_AS;
        FORWARD[InformationElementDescriptor.ICMP_TYPE_CODE_IPV4] = ICMP_TYPE_CODE;
        FORWARD[InformationElementDescriptor.ICMP_TYPE_CODE_IPV6] = ICMP_TYPE_CODE;
        FORWARD[InformationElementDescriptor.ICMP_TYPE_IPV4] = ICMP_TYPE;
        FORWARD[InformationElementDescriptor.ICMP_CODE_IPV4] = ICMP_CODE;
        FORWARD[InformationElementDescriptor.ICMP_TYPE_IPV6] = ICMP_TYPE;
        FORWARD[InformationElementDescriptor.ICMP_CODE_IPV6] = ICMP_CODE;
        FORWARD[InformationElementDescriptor.VLAN_ID] = SRC_VLAN;
        FORWARD[InformationElementDescriptor.POST_VLAN_ID] = DST_VLAN;
        FORWARD[InformationElementDescriptor.DOT1Q_VLAN_ID] = SRC_VLAN;
        FORWARD[InformationElementDescriptor.POST_DOT1Q_VLAN_ID] = DST_VLAN;
        FORWARD[InformationElementDescriptor.SOURCE_MAC_ADDRESS] = SRC_MAC;
        FORWARD[InformationElementDescriptor.DESTINATION_MAC_ADDRESS] = DST_MAC;
        FORWARD[InformationElementDescriptor.POST_SOURCE_MAC_ADDRESS] = SRC_MAC_POST;
        FORWARD[InformationElementDescriptor.POST_DESTINATION_MAC_ADDRESS] = DST_MAC_POST;
        FORWARD[InformationElementDescriptor.FLOW_DIRECTION] = DIRECTION;
        FORWARD[InformationElementDescriptor.FORWARDING_STATUS] = FORWARDING_STATUS;
        FORWARD[InformationElementDescriptor.INTERFACE_NAME] = INTERFACE_NAME;
        FORWARD[InformationElementDescriptor.INTERFACE_DESCRIPTION] = INTERFACE_DESCRIPTION;
        FORWARD[InformationElementDescriptor.IP_VERSION] = IP_VERSION;
        FORWARD[InformationElementDescriptor.ETHERNET_TYPE] = ETHER_TYPE;
        FORWARD[InformationElementDescriptor.SAMPLING_INTERVAL] = scratch(S_SAMPLING_INTERVAL);
        FORWARD[InformationElementDescriptor.SAMPLER_RANDOM_INTERVAL] = scratch(S_SAMPLER_RANDOM_INTERVAL);
        FORWARD[InformationElementDescriptor.FLOW_SAMPLER_ID] = scratch(S_SAMPLER_ID);
        FORWARD[InformationElementDescriptor.SELECTOR_ID] = scratch(S_SELECTOR_ID);
        FORWARD[InformationElementDescriptor.SELECTOR_ALGORITHM] = scratch(S_SELECTOR_ALGORITHM);
        FORWARD[InformationElementDescriptor.SAMPLING_PACKET_INTERVAL] = scratch(S_PACKET_INTERVAL);
        FORWARD[InformationElementDescriptor.SAMPLING_PACKET_SPACE] = scratch(S_PACKET_SPACE);
        FORWARD[InformationElementDescriptor.SAMPLING_SIZE] = scratch(S_SAMPLING_SIZE);
        FORWARD[InformationElementDescriptor.SAMPLING_POPULATION] = scratch(S_SAMPLING_POPULATION);
        FORWARD[InformationElementDescriptor.SAMPLING_PROBABILITY] = SAMPLING_PROBABILITY;
        FORWARD[InformationElementDescriptor.DATA_LINK_FRAME_SECTION] = SECTION_L2;
        FORWARD[InformationElementDescriptor.LAYER2_PACKET_SECTION_DATA] = SECTION_L2;
        FORWARD[InformationElementDescriptor.IP_HEADER_PACKET_SECTION] = SECTION_IP;
        FORWARD[InformationElementDescriptor.IP_PAYLOAD_PACKET_SECTION] = SECTION_PAYLOAD;
        FORWARD[InformationElementDescriptor.DATA_LINK_FRAME_SIZE] = scratch(S_FRAME_SIZE);
        FORWARD[InformationElementDescriptor.IP_TOTAL_LENGTH] = scratch(S_IP_TOTAL_LENGTH);
        FORWARD[InformationElementDescriptor.SECTION_EXPORTED_OCTETS] = scratch(S_SECTION_EXPORTED);
        FORWARD[InformationElementDescriptor.LAYER2_PACKET_SECTION_SIZE] = scratch(S_SECTION_EXPORTED);
        FORWARD[InformationElementDescriptor.SECTION_OFFSET] = scratch(S_SECTION_OFFSET);
        FORWARD[InformationElementDescriptor.LAYER2_PACKET_SECTION_OFFSET] = scratch(S_SECTION_OFFSET);
        FORWARD[InformationElementDescriptor.SYSTEM_INIT_TIME_MILLISECONDS] = scratch(S_SYSTEM_INIT_MS);
        FORWARD[InformationElementDescriptor.FLOW_DURATION_MILLISECONDS] = scratch(S_DURATION_MS);
        FORWARD[InformationElementDescriptor.FLOW_DURATION_MICROSECONDS] = scratch(S_DURATION_US);
        times(FORWARD, 0);

        REVERSE[InformationElementDescriptor.OCTET_DELTA_COUNT] = scratch(S_REV_BYTES);
        REVERSE[InformationElementDescriptor.PACKET_DELTA_COUNT] = scratch(S_REV_PACKETS);
        REVERSE[InformationElementDescriptor.OCTET_TOTAL_COUNT] = scratch(S_REV_BYTES_TOTAL);
        REVERSE[InformationElementDescriptor.PACKET_TOTAL_COUNT] = scratch(S_REV_PACKETS_TOTAL);
        REVERSE[InformationElementDescriptor.TCP_CONTROL_BITS] = scratch(S_REV_TCP_FLAGS);
        times(REVERSE, S_TIME_REVERSE_OFFSET);
    }

    private FieldAction()
    {
    }

    private static int scratch(final int slot)
    {
        return SCRATCH_BASE + slot;
    }

    private static void times(final int[] table, final int reverseOffset)
    {
        final int start = S_TIME + reverseOffset;
        final int end = start + S_TIME_END_OFFSET;
        table[InformationElementDescriptor.FLOW_START_MILLISECONDS] = scratch(start + TIME_MS);
        table[InformationElementDescriptor.FLOW_END_MILLISECONDS] = scratch(end + TIME_MS);
        table[InformationElementDescriptor.FLOW_START_SECONDS] = scratch(start + TIME_SEC);
        table[InformationElementDescriptor.FLOW_END_SECONDS] = scratch(end + TIME_SEC);
        table[InformationElementDescriptor.FLOW_START_MICROSECONDS] = scratch(start + TIME_US);
        table[InformationElementDescriptor.FLOW_END_MICROSECONDS] = scratch(end + TIME_US);
        table[InformationElementDescriptor.FLOW_START_NANOSECONDS] = scratch(start + TIME_NS);
        table[InformationElementDescriptor.FLOW_END_NANOSECONDS] = scratch(end + TIME_NS);
        table[InformationElementDescriptor.FLOW_START_DELTA_MICROSECONDS] = scratch(start + TIME_DELTA_US);
        table[InformationElementDescriptor.FLOW_END_DELTA_MICROSECONDS] = scratch(end + TIME_DELTA_US);
        table[InformationElementDescriptor.FLOW_START_SYS_UP_TIME] = scratch(start + TIME_UPTIME_MS);
        table[InformationElementDescriptor.FLOW_END_SYS_UP_TIME] = scratch(end + TIME_UPTIME_MS);
    }

    /**
     * @param enterprise Private Enterprise Number, 0 for IANA elements and every v9 field.
     * @param elementId  element id without the enterprise bit.
     * @return the action for the field; {@link #SKIP} for anything not mapped.
     */
    public static int forElement(final long enterprise, final int elementId)
    {
        if (elementId < 0 || elementId >= TABLE_SIZE)
        {
            return SKIP;
        }
        if (enterprise == 0)
        {
            return FORWARD[elementId];
        }
        return enterprise == REVERSE_PEN ? REVERSE[elementId] : SKIP;
    }

    /** @return true when {@code action} is a reverse (RFC 5103) field. */
    public static boolean isReverse(final int action)
    {
        final int slot = action - SCRATCH_BASE;
        return (slot >= S_REV_BYTES && slot <= S_REV_TCP_FLAGS) ||
            (slot >= S_TIME + S_TIME_REVERSE_OFFSET && slot < S_FRAME_SIZE);
    }
}
