package io.goflow.exporter.acceptance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Hand-built export datagrams for what the recorded captures lack: flows whose both ends are in
 * the MaxMind test databases (so the country-pair and ASN-pair queries have data), and unusable
 * datagrams with a known count (so the drop ratio has an exact expected value).
 *
 * <p>Addresses and their enrichment, from {@code ../shared/testdata/geoip/*.json}:
 * <ul>
 *   <li>89.160.20.113 and 89.160.20.129: SE, Linköping, AS29518 (Bredband2 AB);</li>
 *   <li>216.160.83.57: US, Milton, AS209;</li>
 *   <li>214.78.0.1: US, San Diego, AS721.</li>
 * </ul>
 */
final class SyntheticExports
{
    /** One NetFlow v5 record's 5-tuple and counters. */
    record Flow(String src, String dst, int protocol, int srcPort, int dstPort, long packets, long bytes,
        String srcCountry, String dstCountry, String srcAsn, String dstAsn)
    {
    }

    /** SE to US, SE to SE, US to US: one international flow, two domestic, two distinct ASN pairs. */
    static final List<Flow> GEO_FLOWS = List.of(
        new Flow("89.160.20.113", "216.160.83.57", 6, 40000, 443, 100, 100_000, "SE", "US", "29518", "209"),
        new Flow("89.160.20.113", "89.160.20.129", 17, 5000, 5001, 30, 30_000, "SE", "SE", "29518", "29518"),
        new Flow("216.160.83.57", "214.78.0.1", 6, 50000, 22, 40, 8_000, "US", "US", "209", "721"));

    /** Length of a truncated datagram: shorter than every NetFlow/IPFIX header. */
    static final int GARBAGE_LENGTH = 10;

    private SyntheticExports()
    {
    }

    /**
     * NetFlow v5 datagram (Cisco NetFlow v5 export format) carrying {@code flows}.
     *
     * <pre>
     * header, 24 bytes: version=5 (2) | count (2) | sysUptime ms (4) | unix_secs (4) | unix_nsecs (4)
     *                   | flow_sequence (4) | engine_type (1) | engine_id (1) | sampling_interval=0 (2)
     * record, 48 bytes: srcaddr (4) | dstaddr (4) | nexthop (4) | input (2) | output (2) | dPkts (4)
     *                   | dOctets (4) | First (4) | Last (4) | srcport (2) | dstport (2) | pad1 (1)
     *                   | tcp_flags (1) | prot (1) | tos (1) | src_as (2) | dst_as (2) | src_mask (1)
     *                   | dst_mask (1) | pad2 (2)
     * </pre>
     *
     * @param sequence flow_sequence: flows sent before this datagram.
     */
    static byte[] netflowV5(final List<Flow> flows, final int sequence, final long unixSecs) throws UnknownHostException
    {
        final ByteBuffer b = ByteBuffer.allocate(24 + 48 * flows.size());
        b.putShort((short)5).putShort((short)flows.size()).putInt(600_000).putInt((int)unixSecs).putInt(0)
            .putInt(sequence).put((byte)0).put((byte)0).putShort((short)0);
        for (final Flow f : flows)
        {
            b.put(InetAddress.getByName(f.src()).getAddress()).put(InetAddress.getByName(f.dst()).getAddress())
                .putInt(0).putShort((short)1).putShort((short)2).putInt((int)f.packets()).putInt((int)f.bytes())
                .putInt(590_000).putInt(599_000).putShort((short)f.srcPort()).putShort((short)f.dstPort())
                .put((byte)0).put((byte)(f.protocol() == 6 ? 0x18 : 0)).put((byte)f.protocol()).put((byte)0)
                .putShort((short)0).putShort((short)0).put((byte)24).put((byte)24).putShort((short)0);
        }
        return b.array();
    }

    /**
     * A datagram whose version field (7) is no protocol we accept: dropped whole, reason
     * {@code bad_version}.
     */
    static byte[] badVersion()
    {
        return new byte[] {0, 7, 0, 1, 0, 0, 0x10, 0, 0x65, 0x5E};
    }

    /**
     * Datagrams cut inside their header, so nothing of them can be used: NetFlow v5 (header 24
     * bytes), v9 (20) and IPFIX (16), each {@link #GARBAGE_LENGTH} bytes long with a plausible start
     * (version, count or length, uptime).
     */
    static List<byte[]> truncatedHeaders()
    {
        return List.of(
            new byte[] {0, 5, 0, 1, 0, 0, 0x10, 0, 0x65, 0x5E},
            new byte[] {0, 9, 0, 1, 0, 0, 0x10, 0, 0x65, 0x5E},
            new byte[] {0, 10, 0, 0x40, 0x65, 0x5E, 0, 0, 0, 0});
    }
}
