package io.goflow.exporter.acceptance;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the UDP payloads of a classic pcap to a collector, like {@code ../shared/tools/replay.py},
 * but with the sender addresses chosen by the caller: exporter {@code j} of the capture (in order
 * of first appearance) sends from {@code sourceBase + j}, so captures replayed into one collector
 * never share an exporter address, and so never share templates.
 *
 * <p>The destination port is chosen by the payload's version field: sFlow v5 to the sFlow port,
 * IPFIX (10) to the IPFIX port, everything else (v5, v9, garbage) to the NetFlow port.
 */
final class PcapReplayer
{
    /** One UDP datagram of the capture. */
    record Datagram(InetAddress originalSource, int originalDstPort, byte[] payload)
    {
    }

    /** Collector ports per protocol. */
    record Ports(InetAddress host, int netflow, int ipfix, int sflow)
    {
    }

    private PcapReplayer()
    {
    }

    static List<Datagram> read(final Path pcap) throws IOException
    {
        final ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(pcap));
        final int magic = buf.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D)
        {
            buf.order(ByteOrder.LITTLE_ENDIAN);
        }
        else
        {
            buf.order(ByteOrder.BIG_ENDIAN);
            final int be = buf.getInt(0);
            if (be != 0xA1B2C3D4 && be != 0xA1B23C4D)
            {
                throw new IOException(pcap + ": not a classic pcap");
            }
        }
        final int linkType = buf.getInt(20) & 0x0FFFFFFF;
        final List<Datagram> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= buf.limit())
        {
            final int capLen = buf.getInt(pos + 8);
            final int start = pos + 16;
            if (capLen < 0 || start + capLen > buf.limit())
            {
                break;
            }
            final Datagram d = udp(buf.duplicate().order(ByteOrder.BIG_ENDIAN), linkType, start, capLen);
            if (d != null)
            {
                out.add(d);
            }
            pos = start + capLen;
        }
        return out;
    }

    private static Datagram udp(final ByteBuffer b, final int linkType, final int start, final int len) throws IOException
    {
        int off = start;
        final int end = start + len;
        int etherType;
        switch (linkType)
        {
            case 1 ->
            {
                etherType = b.getShort(off + 12) & 0xFFFF;
                off += 14;
                while ((etherType == 0x8100 || etherType == 0x88A8) && off + 4 <= end)
                {
                    etherType = b.getShort(off + 2) & 0xFFFF;
                    off += 4;
                }
            }
            case 113 ->
            {
                etherType = b.getShort(off + 14) & 0xFFFF;
                off += 16;
            }
            case 101, 12, 14 -> etherType = (b.get(off) & 0xF0) == 0x40 ? 0x0800 : 0x86DD;
            case 0, 108 ->
            {
                etherType = (b.get(off) == 2 || b.get(off + 3) == 2) ? 0x0800 : 0x86DD;
                off += 4;
            }
            default -> throw new IOException("link type " + linkType + " not supported");
        }
        final InetAddress src;
        final int udp;
        final int ipEnd;
        if (etherType == 0x0800)
        {
            final int ihl = (b.get(off) & 0x0F) * 4;
            if ((b.getShort(off + 6) & 0x3FFF) != 0 || b.get(off + 9) != 17)
            {
                return null;
            }
            final byte[] a = new byte[4];
            b.get(off + 12, a);
            src = InetAddress.getByAddress(a);
            udp = off + ihl;
            ipEnd = Math.min(end, off + (b.getShort(off + 2) & 0xFFFF));
        }
        else if (etherType == 0x86DD)
        {
            if (b.get(off + 6) != 17)
            {
                return null;
            }
            final byte[] a = new byte[16];
            b.get(off + 8, a);
            src = InetAddress.getByAddress(a);
            udp = off + 40;
            ipEnd = end;
        }
        else
        {
            return null;
        }
        final int dstPort = b.getShort(udp + 2) & 0xFFFF;
        final int udpLen = b.getShort(udp + 4) & 0xFFFF;
        final int payloadEnd = Math.min(ipEnd, udp + udpLen);
        final byte[] payload = new byte[Math.max(0, payloadEnd - udp - 8)];
        b.get(udp + 8, payload);
        return new Datagram(src, dstPort, payload);
    }

    /**
     * Sends every datagram of {@code datagrams}, exporter {@code j} from {@code sourceBase + j}
     * (IPv4 loopback) or from the wildcard address when the destination is IPv6.
     *
     * @param ratePerSecond datagrams per second; the pace keeps socket buffers from overflowing.
     * @return datagrams sent.
     */
    static int send(final List<Datagram> datagrams, final Ports ports, final InetAddress sourceBase, final int ratePerSecond)
        throws IOException
    {
        final Map<InetAddress, DatagramChannel> channels = new LinkedHashMap<>();
        final boolean v4 = ports.host() instanceof Inet4Address;
        final long gapNs = 1_000_000_000L / ratePerSecond;
        final long startNs = System.nanoTime();
        int sent = 0;
        try
        {
            for (final Datagram d : datagrams)
            {
                DatagramChannel ch = channels.get(d.originalSource());
                if (ch == null)
                {
                    ch = DatagramChannel.open(v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                    ch.bind(new InetSocketAddress(v4 ? offset(sourceBase, channels.size()) : ports.host(), 0));
                    channels.put(d.originalSource(), ch);
                }
                final long dueNs = startNs + sent * gapNs;
                while (System.nanoTime() - dueNs < 0)
                {
                    LockSupport.parkNanos(dueNs - System.nanoTime());
                }
                ch.send(ByteBuffer.wrap(d.payload()), new InetSocketAddress(ports.host(), portFor(d, ports)));
                sent++;
            }
        }
        finally
        {
            for (final DatagramChannel ch : channels.values())
            {
                ch.close();
            }
        }
        return sent;
    }

    /** @return number of distinct exporters (source addresses) in the capture. */
    static int exporters(final List<Datagram> datagrams)
    {
        return (int)datagrams.stream().map(Datagram::originalSource).distinct().count();
    }

    static int portFor(final Datagram d, final Ports ports)
    {
        final byte[] p = d.payload();
        if (p.length >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 5)
        {
            return ports.sflow();
        }
        if (p.length >= 2 && p[0] == 0 && p[1] == 10)
        {
            return ports.ipfix();
        }
        if (d.originalDstPort() == 6343)
        {
            return ports.sflow();
        }
        return ports.netflow();
    }

    static InetAddress offset(final InetAddress base, final int n) throws IOException
    {
        final byte[] a = base.getAddress();
        final int v = ((a[0] & 0xFF) << 24 | (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF)) + n;
        return InetAddress.getByAddress(new byte[] {(byte)(v >>> 24), (byte)(v >>> 16), (byte)(v >>> 8), (byte)v});
    }
}
