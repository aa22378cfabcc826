package io.goflow.exporter.acceptance;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the UDP payloads of a capture to a collector, like {@code ../shared/tools/replay.py},
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

    /** @return every whole UDP datagram of a pcap or pcapng capture, in order, read by the collector-tools {@link PcapReader}. */
    static List<Datagram> read(final Path pcap) throws IOException
    {
        final List<Datagram> out = new ArrayList<>();
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader reader = PcapReader.open(pcap))
        {
            while (reader.next(d))
            {
                final byte[] payload = new byte[d.payloadLength];
                d.buffer.getBytes(d.payloadOffset, payload);
                // an address literal: no name lookup
                out.add(new Datagram(InetAddress.getByName(AddressText.toString(d.srcAddrHi, d.srcAddrLo)), d.dstPort, payload));
            }
        }
        return out;
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
