package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimal classic-pcap reader for the load generator: yields the UDP payloads of a capture with
 * their original destination port. Only what the export captures in {@code shared/testdata/exports}
 * use is supported: classic pcap (either byte order, us or ns), Ethernet with up to two 802.1Q tags
 * or raw IP, IPv4 and IPv6 without extension headers, unfragmented UDP.
 *
 * <pre>
 * file header 24 bytes: magic(4) major(2) minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
 * record header 16 bytes: ts_sec(4) ts_frac(4) incl_len(4) orig_len(4), then incl_len bytes
 * </pre>
 *
 * <p>Private to the benchmarks: the product's pcap reader was not on main when the generator was
 * written. Load time only; allocation here is irrelevant.
 */
final class CapturedPayloads
{
    /** One UDP payload of a capture. {@code sourceKey} tells the original exporters apart. */
    record Payload(byte[] bytes, int dstPort, String sourceKey)
    {
    }

    private static final int FILE_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_RAW = 101;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int PROTO_UDP = 17;
    private static final int UDP_HEADER_LENGTH = 8;

    private CapturedPayloads()
    {
    }

    /** @return every UDP payload of the capture, in capture order. */
    static List<Payload> read(final Path capture) throws IOException
    {
        final ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(capture));
        if (file.remaining() < FILE_HEADER_LENGTH)
        {
            throw new IOException(capture + ": shorter than a pcap file header");
        }
        final int magic = file.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1)
        {
            file.order(ByteOrder.LITTLE_ENDIAN);
        }
        else if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D)
        {
            throw new IOException(capture + ": not a classic pcap file (pcapng is not supported here)");
        }
        final int linkType = file.getInt(20) & 0x0FFF_FFFF;
        if (linkType != LINKTYPE_ETHERNET && linkType != LINKTYPE_RAW)
        {
            throw new IOException(capture + ": link type " + linkType + " not supported");
        }
        final List<Payload> payloads = new ArrayList<>();
        int position = FILE_HEADER_LENGTH;
        while (position + RECORD_HEADER_LENGTH <= file.limit())
        {
            final int capturedLength = file.getInt(position + 8);
            final int frame = position + RECORD_HEADER_LENGTH;
            if (capturedLength < 0 || frame + capturedLength > file.limit())
            {
                break;
            }
            final Payload payload = udpPayload(file.array(), frame, capturedLength, linkType);
            if (payload != null)
            {
                payloads.add(payload);
            }
            position = frame + capturedLength;
        }
        return payloads;
    }

    private static Payload udpPayload(final byte[] data, final int frame, final int length, final int linkType)
    {
        final ByteBuffer b = ByteBuffer.wrap(data, frame, length).order(ByteOrder.BIG_ENDIAN);
        final int end = frame + length;
        int offset = frame;
        int etherType;
        if (linkType == LINKTYPE_ETHERNET)
        {
            if (length < 14)
            {
                return null;
            }
            etherType = b.getShort(frame + 12) & 0xFFFF;
            offset = frame + 14;
            for (int tags = 0; tags < 2 && (etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ); tags++)
            {
                if (offset + 4 > end)
                {
                    return null;
                }
                etherType = b.getShort(offset + 2) & 0xFFFF;
                offset += 4;
            }
        }
        else
        {
            etherType = length > 0 && (data[frame] & 0xF0) == 0x60 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        }
        final int udp;
        final String source;
        if (etherType == ETHERTYPE_IPV4)
        {
            if (offset + 20 > end || (b.get(offset + 9) & 0xFF) != PROTO_UDP || (b.getShort(offset + 6) & 0x3FFF) != 0)
            {
                return null;
            }
            udp = offset + (b.get(offset) & 0x0F) * 4;
            source = Arrays.toString(Arrays.copyOfRange(data, offset + 12, offset + 16));
        }
        else if (etherType == ETHERTYPE_IPV6)
        {
            if (offset + 40 > end || (b.get(offset + 6) & 0xFF) != PROTO_UDP)
            {
                return null;
            }
            udp = offset + 40;
            source = Arrays.toString(Arrays.copyOfRange(data, offset + 8, offset + 24));
        }
        else
        {
            return null;
        }
        if (udp + UDP_HEADER_LENGTH > end)
        {
            return null;
        }
        final int dstPort = b.getShort(udp + 2) & 0xFFFF;
        final int udpLength = b.getShort(udp + 4) & 0xFFFF;
        final int payloadEnd = Math.min(end, udp + Math.max(udpLength, UDP_HEADER_LENGTH));
        return new Payload(Arrays.copyOfRange(data, udp + UDP_HEADER_LENGTH, payloadEnd), dstPort, source);
    }
}
