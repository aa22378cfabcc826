package io.goflow.exporter.decoders.template;

/**
 * Information Element identifiers used by the decoders: IANA "IPFIX Information Elements" registry
 * (RFC 7012 section 4 and later additions). NetFlow v9 field types 1-79 (RFC 3954 section 8) use
 * the same numbers with the same meaning, so both protocols share this table.
 *
 * <p>Time encodings (RFC 7011 section 6.1.7-6.1.10): {@code ...Seconds} is unsigned32 seconds,
 * {@code ...Milliseconds} unsigned64 ms since the UNIX epoch, {@code ...Microseconds} and
 * {@code ...Nanoseconds} the 64-bit NTP format (seconds since 1900 and a 2^-32 fraction);
 * {@code ...DeltaMicroseconds} unsigned32 µs before the message's export time;
 * {@code ...SysUpTime} unsigned32 ms since the exporter's system init (v9: the header's
 * sysUptime; IPFIX: IE 160 systemInitTimeMilliseconds).
 */
public final class InformationElementDescriptor
{
    public static final int OCTET_DELTA_COUNT = 1;
    public static final int PACKET_DELTA_COUNT = 2;
    public static final int PROTOCOL_IDENTIFIER = 4;
    public static final int IP_CLASS_OF_SERVICE = 5;
    public static final int TCP_CONTROL_BITS = 6;
    public static final int SOURCE_TRANSPORT_PORT = 7;
    public static final int SOURCE_IPV4_ADDRESS = 8;
    public static final int SOURCE_IPV4_PREFIX_LENGTH = 9;
    public static final int INGRESS_INTERFACE = 10;
    public static final int DESTINATION_TRANSPORT_PORT = 11;
    public static final int DESTINATION_IPV4_ADDRESS = 12;
    public static final int DESTINATION_IPV4_PREFIX_LENGTH = 13;
    public static final int EGRESS_INTERFACE = 14;
    public static final int IP_NEXT_HOP_IPV4_ADDRESS = 15;
    public static final int BGP_SOURCE_AS_NUMBER = 16;
    public static final int BGP_DESTINATION_AS_NUMBER = 17;
    public static final int BGP_NEXT_HOP_IPV4_ADDRESS = 18;
    public static final int FLOW_END_SYS_UP_TIME = 21;
    public static final int FLOW_START_SYS_UP_TIME = 22;
    public static final int POST_OCTET_DELTA_COUNT = 23;
    public static final int POST_PACKET_DELTA_COUNT = 24;
    public static final int SOURCE_IPV6_ADDRESS = 27;
    public static final int DESTINATION_IPV6_ADDRESS = 28;
    public static final int SOURCE_IPV6_PREFIX_LENGTH = 29;
    public static final int DESTINATION_IPV6_PREFIX_LENGTH = 30;
    public static final int ICMP_TYPE_CODE_IPV4 = 32;
    /** v9 SAMPLING_INTERVAL; IPFIX samplingInterval (deprecated in favour of 305/306). */
    public static final int SAMPLING_INTERVAL = 34;
    public static final int SAMPLING_ALGORITHM = 35;
    public static final int FLOW_SAMPLER_ID = 48;
    public static final int FLOW_SAMPLER_MODE = 49;
    public static final int SAMPLER_RANDOM_INTERVAL = 50;
    public static final int SOURCE_MAC_ADDRESS = 56;
    public static final int POST_DESTINATION_MAC_ADDRESS = 57;
    public static final int VLAN_ID = 58;
    public static final int POST_VLAN_ID = 59;
    public static final int IP_VERSION = 60;
    public static final int FLOW_DIRECTION = 61;
    public static final int IP_NEXT_HOP_IPV6_ADDRESS = 62;
    public static final int BGP_NEXT_HOP_IPV6_ADDRESS = 63;
    public static final int DESTINATION_MAC_ADDRESS = 80;
    public static final int POST_SOURCE_MAC_ADDRESS = 81;
    /** interfaceName (82), string, RFC 7012 / IANA; v9 field type 82 IF_NAME. */
    public static final int INTERFACE_NAME = 82;
    /** interfaceDescription (83), string; v9 field type 83 IF_DESC. */
    public static final int INTERFACE_DESCRIPTION = 83;
    public static final int OCTET_TOTAL_COUNT = 85;
    public static final int PACKET_TOTAL_COUNT = 86;
    public static final int FORWARDING_STATUS = 89;
    public static final int ICMP_TYPE_CODE_IPV6 = 139;
    public static final int FLOW_START_SECONDS = 150;
    public static final int FLOW_END_SECONDS = 151;
    public static final int FLOW_START_MILLISECONDS = 152;
    public static final int FLOW_END_MILLISECONDS = 153;
    public static final int FLOW_START_MICROSECONDS = 154;
    public static final int FLOW_END_MICROSECONDS = 155;
    public static final int FLOW_START_NANOSECONDS = 156;
    public static final int FLOW_END_NANOSECONDS = 157;
    public static final int FLOW_START_DELTA_MICROSECONDS = 158;
    public static final int FLOW_END_DELTA_MICROSECONDS = 159;
    public static final int SYSTEM_INIT_TIME_MILLISECONDS = 160;
    public static final int FLOW_DURATION_MILLISECONDS = 161;
    public static final int FLOW_DURATION_MICROSECONDS = 162;
    public static final int ICMP_TYPE_IPV4 = 176;
    public static final int ICMP_CODE_IPV4 = 177;
    public static final int ICMP_TYPE_IPV6 = 178;
    public static final int ICMP_CODE_IPV6 = 179;
    public static final int UDP_SOURCE_PORT = 180;
    public static final int UDP_DESTINATION_PORT = 181;
    public static final int TCP_SOURCE_PORT = 182;
    public static final int TCP_DESTINATION_PORT = 183;
    /** NSEL / IPFIX initiatorOctets (Cisco ASA forward bytes). */
    public static final int INITIATOR_OCTETS = 231;
    public static final int RESPONDER_OCTETS = 232;
    public static final int DOT1Q_VLAN_ID = 243;
    public static final int POST_DOT1Q_VLAN_ID = 254;
    public static final int ETHERNET_TYPE = 256;
    public static final int INITIATOR_PACKETS = 298;
    public static final int RESPONDER_PACKETS = 299;
    /** PSAMP packet sections (RFC 5477, RFC 7133): the first bytes of one sampled packet. */
    public static final int LAYER2_PACKET_SECTION_OFFSET = 102;
    public static final int LAYER2_PACKET_SECTION_SIZE = 103;
    /** layer2packetSectionData: an Ethernet frame section (v9 field 104, deprecated in IPFIX for 315). */
    public static final int LAYER2_PACKET_SECTION_DATA = 104;
    /** ipTotalLength: the packet's IP total length (L3 bytes). */
    public static final int IP_TOTAL_LENGTH = 224;
    public static final int SELECTOR_ID = 302;
    public static final int SELECTOR_ALGORITHM = 304;
    public static final int SAMPLING_PACKET_INTERVAL = 305;
    public static final int SAMPLING_PACKET_SPACE = 306;
    public static final int SAMPLING_SIZE = 309;
    public static final int SAMPLING_POPULATION = 310;
    public static final int SAMPLING_PROBABILITY = 311;
    /** dataLinkFrameSize: the packet's data link frame length (L2 bytes). */
    public static final int DATA_LINK_FRAME_SIZE = 312;
    /** ipHeaderPacketSection: an IP packet section starting at the IP header. */
    public static final int IP_HEADER_PACKET_SECTION = 313;
    /** ipPayloadPacketSection: a section starting after the IP header (the transport header). */
    public static final int IP_PAYLOAD_PACKET_SECTION = 314;
    /** dataLinkFrameSection: a data link (Ethernet) frame section. */
    public static final int DATA_LINK_FRAME_SECTION = 315;
    /** sectionOffset: where the section starts in the packet, bytes. */
    public static final int SECTION_OFFSET = 409;
    /** sectionExportedOctets: bytes of the section field that are packet bytes (the rest is padding). */
    public static final int SECTION_EXPORTED_OCTETS = 410;

    /** Length value announcing an IPFIX variable-length field (RFC 7011 section 7). */
    public static final int VARIABLE_LENGTH = 0xFFFF;

    private InformationElementDescriptor()
    {
    }
}
