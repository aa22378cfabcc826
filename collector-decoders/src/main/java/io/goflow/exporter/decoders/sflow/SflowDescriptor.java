package io.goflow.exporter.decoders.sflow;

/**
 * sFlow version 5 wire layout (sflow_version_5.txt, XDR: big-endian, every item padded to 4 bytes).
 *
 * <pre>
 * sample_datagram_v5:
 *   version(4)=5 | agent address type(4) 1=IPv4 2=IPv6 | address(4|16) | sub_agent_id(4)
 *   | sequence_number(4) | uptime ms(4) | samples count(4) | samples...
 * every sample and record: data_format(4) = enterprise(20 bits) &lt;&lt; 12 | format(12 bits), length(4), data
 *
 * flow_sample (0:1):           sequence(4) source_id(4)=type(8)|index(24) sampling_rate(4) sample_pool(4)
 *                              drops(4) input(4) output(4) records count(4) flow_records...
 *   input/output: top 2 bits format (0 single ifIndex, 1 discarded [reason], 2 multiple [count]),
 *                 low 30 bits value; 0x3FFFFFFF = unknown / internal (local)
 * expanded_flow_sample (0:3):  sequence(4) source_id_type(4) source_id_index(4) sampling_rate(4)
 *                              sample_pool(4) drops(4) input_format(4) input_value(4)
 *                              output_format(4) output_value(4) records count(4) flow_records...
 * counters_sample (0:2):       sequence(4) source_id(4) records count(4) counter_records...
 * expanded_counters_sample (0:4): sequence(4) source_id_type(4) source_id_index(4) records count(4) ...
 *
 * flow records:
 *   0:1 sampled_header:   header_protocol(4) frame_length(4) stripped(4) header length(4) header bytes (pad 4)
 *   0:2 sampled_ethernet: length(4) src_mac(8: 6 + pad) dst_mac(8) type(4)
 *   0:3 sampled_ipv4:     length(4) protocol(4) src(4) dst(4) src_port(4) dst_port(4) tcp_flags(4) tos(4)
 *   0:4 sampled_ipv6:     length(4) protocol(4) src(16) dst(16) src_port(4) dst_port(4) tcp_flags(4) priority(4)
 *   0:1001 extended_switch:  src_vlan(4) src_priority(4) dst_vlan(4) dst_priority(4)
 *   0:1002 extended_router:  next_hop(address) src_mask_len(4) dst_mask_len(4)
 *   0:1003 extended_gateway: next_hop(address) as(4) src_as(4) src_peer_as(4)
 *                            dst_as_path segments count(4) { type(4) count(4) as(4)... }...
 *                            communities count(4) communities(4)... localpref(4)
 * counter records:
 *   0:1 if_counters (88 bytes): ifIndex(4) ifType(4) ifSpeed(8) ifDirection(4) ifStatus(4)
 *     ifInOctets(8) ifInUcastPkts(4) ifInMulticastPkts(4) ifInBroadcastPkts(4) ifInDiscards(4)
 *     ifInErrors(4) ifInUnknownProtos(4) ifOutOctets(8) ifOutUcastPkts(4) ifOutMulticastPkts(4)
 *     ifOutBroadcastPkts(4) ifOutDiscards(4) ifOutErrors(4) ifPromiscuousMode(4)
 * </pre>
 */
public final class SflowDescriptor
{
    public static final int VERSION = 5;
    public static final int VERSION_OFFSET = 0;
    static final int ADDRESS_IPV4 = 1;
    static final int ADDRESS_IPV6 = 2;

    static final int FORMAT_FLOW_SAMPLE = 1;
    static final int FORMAT_COUNTER_SAMPLE = 2;
    static final int FORMAT_EXPANDED_FLOW_SAMPLE = 3;
    static final int FORMAT_EXPANDED_COUNTER_SAMPLE = 4;

    static final int RECORD_SAMPLED_HEADER = 1;
    static final int RECORD_SAMPLED_ETHERNET = 2;
    static final int RECORD_SAMPLED_IPV4 = 3;
    static final int RECORD_SAMPLED_IPV6 = 4;
    static final int RECORD_EXTENDED_SWITCH = 1001;
    static final int RECORD_EXTENDED_ROUTER = 1002;
    static final int RECORD_EXTENDED_GATEWAY = 1003;
    static final int COUNTER_GENERIC_INTERFACE = 1;

    static final int STRUCTURE_HEADER_LENGTH = 8;

    static final int FLOW_SAMPLE_FIXED_LENGTH = 32;
    static final int EXPANDED_FLOW_SAMPLE_FIXED_LENGTH = 44;
    static final int COUNTER_SAMPLE_FIXED_LENGTH = 12;
    static final int EXPANDED_COUNTER_SAMPLE_FIXED_LENGTH = 16;

    static final int SAMPLED_HEADER_FIXED_LENGTH = 16;
    static final int SAMPLED_ETHERNET_LENGTH = 24;
    static final int SAMPLED_IPV4_LENGTH = 32;
    static final int SAMPLED_IPV6_LENGTH = 56;
    static final int EXTENDED_SWITCH_LENGTH = 16;

    static final int IF_COUNTERS_LENGTH = 88;
    static final int IF_INDEX_OFFSET = 0;
    static final int IF_TYPE_OFFSET = IF_INDEX_OFFSET + 4;
    static final int IF_SPEED_OFFSET = IF_TYPE_OFFSET + 4;
    static final int IF_DIRECTION_OFFSET = IF_SPEED_OFFSET + 8;
    static final int IF_STATUS_OFFSET = IF_DIRECTION_OFFSET + 4;
    static final int IF_IN_OCTETS_OFFSET = IF_STATUS_OFFSET + 4;
    static final int IF_IN_UCAST_OFFSET = IF_IN_OCTETS_OFFSET + 8;
    static final int IF_IN_MCAST_OFFSET = IF_IN_UCAST_OFFSET + 4;
    static final int IF_IN_BCAST_OFFSET = IF_IN_MCAST_OFFSET + 4;
    static final int IF_IN_DISCARDS_OFFSET = IF_IN_BCAST_OFFSET + 4;
    static final int IF_IN_ERRORS_OFFSET = IF_IN_DISCARDS_OFFSET + 4;
    static final int IF_IN_UNKNOWN_OFFSET = IF_IN_ERRORS_OFFSET + 4;
    static final int IF_OUT_OCTETS_OFFSET = IF_IN_UNKNOWN_OFFSET + 4;
    static final int IF_OUT_UCAST_OFFSET = IF_OUT_OCTETS_OFFSET + 8;
    static final int IF_OUT_MCAST_OFFSET = IF_OUT_UCAST_OFFSET + 4;
    static final int IF_OUT_BCAST_OFFSET = IF_OUT_MCAST_OFFSET + 4;
    static final int IF_OUT_DISCARDS_OFFSET = IF_OUT_BCAST_OFFSET + 4;
    static final int IF_OUT_ERRORS_OFFSET = IF_OUT_DISCARDS_OFFSET + 4;

    static final int INTERFACE_FORMAT_SHIFT = 30;
    static final int INTERFACE_VALUE_MASK = 0x3FFF_FFFF;
    static final int INTERFACE_FORMAT_SINGLE = 0;
    static final int INTERFACE_FORMAT_DISCARD = 1;
    static final int INTERFACE_FORMAT_MULTIPLE = 2;
    static final long INTERFACE_LOCAL = 0x3FFF_FFFFL;

    /** IE 89 forwardingStatus values (RFC 7270 section 4.12): status in the top 2 bits. */
    static final int FORWARDING_FORWARDED = 64;
    static final int FORWARDING_DROPPED = 128;
    static final int FORWARDING_CONSUMED = 192;

    static final int AS_PATH_MAX_SEGMENTS = 64;

    private SflowDescriptor()
    {
    }
}
