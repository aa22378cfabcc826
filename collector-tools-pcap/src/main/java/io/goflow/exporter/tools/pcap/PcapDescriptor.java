package io.goflow.exporter.tools.pcap;

/**
 * Layout constants of the capture formats and of the link, network and transport headers the
 * {@link PcapReader} walks.
 *
 * <pre>
 * Classic pcap (draft-ietf-opsawg-pcap section 4, 5):
 *   file header, 24 bytes: magic(4) major(2) minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
 *   record header, 16 bytes: ts_sec(4) ts_frac(4) incl_len(4) orig_len(4), then incl_len bytes
 *   magic A1B2C3D4 = microsecond fractions, A1B23C4D = nanosecond fractions; byte order of the writer
 *
 * pcapng (draft-ietf-opsawg-pcapng section 3, 4): blocks of
 *   type(4) total_length(4) body(...) total_length(4), total_length a multiple of 4
 *   SHB 0x0A0D0D0A: byte_order_magic(4)=1A2B3C4D major(2) minor(2) section_length(8) options
 *   IDB 0x00000001: linktype(2) reserved(2) snaplen(4) options (if_tsresol=9, if_tsoffset=14)
 *   EPB 0x00000006: if_id(4) ts_high(4) ts_low(4) cap_len(4) orig_len(4) data(pad 4) options
 *   SPB 0x00000003: orig_len(4) data (captured length = min(orig_len, snaplen, block room))
 *   PB  0x00000002 (obsolete): if_id(2) drops(2) ts_high(4) ts_low(4) cap_len(4) orig_len(4) data
 * </pre>
 */
final class PcapDescriptor
{
    static final int PCAP_MAGIC_US = 0xA1B2C3D4;
    static final int PCAP_MAGIC_NS = 0xA1B23C4D;
    static final int PCAP_FILE_HEADER_LENGTH = 24;
    static final int PCAP_LINKTYPE_OFFSET = 20;
    static final int PCAP_RECORD_HEADER_LENGTH = 16;

    static final int PCAPNG_SHB = 0x0A0D0D0A;
    static final int PCAPNG_IDB = 0x00000001;
    static final int PCAPNG_PB = 0x00000002;
    static final int PCAPNG_SPB = 0x00000003;
    static final int PCAPNG_EPB = 0x00000006;
    static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int PCAPNG_BLOCK_MIN_LENGTH = 12;
    static final int PCAPNG_OPT_IF_TSRESOL = 9;
    static final int PCAPNG_OPT_IF_TSOFFSET = 14;

    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW_BSD12 = 12;
    static final int LINKTYPE_RAW_BSD14 = 14;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    static final int ETHERNET_HEADER_LENGTH = 14;
    static final int ETHERTYPE_OFFSET = 12;
    static final int VLAN_TAG_LENGTH = 4;
    static final int MAX_VLAN_TAGS = 8;
    static final int SLL_HEADER_LENGTH = 16;
    static final int SLL_PROTOCOL_OFFSET = 14;
    static final int SLL2_HEADER_LENGTH = 20;
    static final int SLL2_PROTOCOL_OFFSET = 0;
    static final int NULL_HEADER_LENGTH = 4;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;
    static final int ETHERTYPE_QINQ_OLD = 0x9100;

    static final int IPV4_MIN_HEADER_LENGTH = 20;
    /** Low 64 bits of an IPv4-mapped IPv6 address {@code ::ffff:0:0/96} (RFC 4291 2.5.5.2), OR the IPv4 in. */
    static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;
    static final int IPV6_HEADER_LENGTH = 40;
    static final int IPV6_MAX_EXTENSION_HEADERS = 16;
    static final int UDP_HEADER_LENGTH = 8;
    static final int PROTO_UDP = 17;
    static final int IPV6_HOP_BY_HOP = 0;
    static final int IPV6_ROUTING = 43;
    static final int IPV6_FRAGMENT = 44;
    static final int IPV6_AH = 51;
    static final int IPV6_DEST_OPTIONS = 60;

    private PcapDescriptor()
    {
    }
}
