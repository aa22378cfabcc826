package io.goflow.exporter.decoders.netflow5;

/**
 * NetFlow v5 wire layout (Cisco "NetFlow Export Datagram Format", version 5), big-endian.
 *
 * <pre>
 * Header, 24 bytes:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          version = 5          |             count             |
 * +-------------------------------+-------------------------------+
 * |                       sysUptime (ms)                          |
 * +---------------------------------------------------------------+
 * |                       unix_secs                               |
 * +---------------------------------------------------------------+
 * |                       unix_nsecs                              |
 * +---------------------------------------------------------------+
 * |                       flow_sequence                           |
 * +---------------+---------------+---+---------------------------+
 * |  engine_type  |   engine_id   |mod|   sampling interval (14)  |
 * +---------------+---------------+---+---------------------------+
 *
 * Record, 48 bytes, count of them after the header:
 *  srcaddr(4) dstaddr(4) nexthop(4) input(2) output(2) dPkts(4) dOctets(4)
 *  First(4, sysUptime ms at first packet) Last(4) srcport(2) dstport(2)
 *  pad1(1) tcp_flags(1) prot(1) tos(1) src_as(2) dst_as(2) src_mask(1) dst_mask(1) pad2(2)
 * </pre>
 */
public final class Netflow5Descriptor
{
    public static final int VERSION = 5;

    public static final int VERSION_OFFSET = 0;
    static final int COUNT_OFFSET = VERSION_OFFSET + 2;
    static final int SYS_UPTIME_OFFSET = COUNT_OFFSET + 2;
    static final int UNIX_SECS_OFFSET = SYS_UPTIME_OFFSET + 4;
    static final int UNIX_NSECS_OFFSET = UNIX_SECS_OFFSET + 4;
    static final int FLOW_SEQUENCE_OFFSET = UNIX_NSECS_OFFSET + 4;
    static final int ENGINE_TYPE_OFFSET = FLOW_SEQUENCE_OFFSET + 4;
    static final int ENGINE_ID_OFFSET = ENGINE_TYPE_OFFSET + 1;
    static final int SAMPLING_OFFSET = ENGINE_ID_OFFSET + 1;
    static final int HEADER_LENGTH = SAMPLING_OFFSET + 2;

    static final int SAMPLING_INTERVAL_MASK = 0x3FFF;
    static final int SAMPLING_MODE_SHIFT = 14;

    static final int SRC_ADDR_OFFSET = 0;
    static final int DST_ADDR_OFFSET = SRC_ADDR_OFFSET + 4;
    static final int NEXT_HOP_OFFSET = DST_ADDR_OFFSET + 4;
    static final int INPUT_OFFSET = NEXT_HOP_OFFSET + 4;
    static final int OUTPUT_OFFSET = INPUT_OFFSET + 2;
    static final int PACKETS_OFFSET = OUTPUT_OFFSET + 2;
    static final int OCTETS_OFFSET = PACKETS_OFFSET + 4;
    static final int FIRST_OFFSET = OCTETS_OFFSET + 4;
    static final int LAST_OFFSET = FIRST_OFFSET + 4;
    static final int SRC_PORT_OFFSET = LAST_OFFSET + 4;
    static final int DST_PORT_OFFSET = SRC_PORT_OFFSET + 2;
    static final int PAD1_OFFSET = DST_PORT_OFFSET + 2;
    static final int TCP_FLAGS_OFFSET = PAD1_OFFSET + 1;
    static final int PROTOCOL_OFFSET = TCP_FLAGS_OFFSET + 1;
    static final int TOS_OFFSET = PROTOCOL_OFFSET + 1;
    static final int SRC_AS_OFFSET = TOS_OFFSET + 1;
    static final int DST_AS_OFFSET = SRC_AS_OFFSET + 2;
    static final int SRC_MASK_OFFSET = DST_AS_OFFSET + 2;
    static final int DST_MASK_OFFSET = SRC_MASK_OFFSET + 1;
    static final int PAD2_OFFSET = DST_MASK_OFFSET + 1;
    static final int RECORD_LENGTH = PAD2_OFFSET + 2;

    private Netflow5Descriptor()
    {
    }
}
