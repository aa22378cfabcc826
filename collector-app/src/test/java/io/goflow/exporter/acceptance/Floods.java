package io.goflow.exporter.acceptance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Attack traffic an unauthenticated sender on loopback can produce (issues 12 and 18), built by
 * hand from the wire layouts of RFC 3954 (NetFlow v9), RFC 7011 (IPFIX) and sFlow v5, and sent in
 * bounded loops. Every source address is a 127/8 address bound locally, i.e. a spoofed exporter.
 */
final class Floods
{
    private static final int V9_HEADER = 20;
    private static final int IPFIX_HEADER = 16;

    private Floods()
    {
    }

    /**
     * Sends datagrams to one port, paced at {@code perSecond}, each from the source address it is
     * given: one socket per source, kept open until {@link #close} (opening one per datagram
     * exhausts the ephemeral ports).
     */
    static final class Sender implements AutoCloseable
    {
        private final InetSocketAddress target;
        private final long gapNs;
        private final long startNs = System.nanoTime();
        private final Map<InetAddress, DatagramChannel> channels = new HashMap<>();
        private long sent;

        Sender(final InetSocketAddress target, final int perSecond)
        {
            this.target = target;
            this.gapNs = 1_000_000_000L / perSecond;
        }

        /** Sends {@code length} bytes of {@code payload} from {@code source}. */
        void send(final InetAddress source, final byte[] payload, final int length) throws IOException
        {
            DatagramChannel channel = channels.get(source);
            if (channel == null)
            {
                channel = DatagramChannel.open(StandardProtocolFamily.INET);
                try
                {
                    channel.bind(new InetSocketAddress(source, 0));
                }
                catch (final IOException ex)
                {
                    channel.close();
                    throw new IOException("bind " + source + " (" + channels.size() + " sockets open): " + ex, ex);
                }
                channels.put(source, channel);
            }
            final long dueNs = startNs + sent * gapNs;
            while (System.nanoTime() - dueNs < 0)
            {
                LockSupport.parkNanos(dueNs - System.nanoTime());
            }
            channel.send(ByteBuffer.wrap(payload, 0, length), target);
            sent++;
        }

        long sent()
        {
            return sent;
        }

        @Override
        public void close() throws IOException
        {
            for (final DatagramChannel channel : channels.values())
            {
                channel.close();
            }
            channels.clear();
        }
    }

    /**
     * {@code 127.base.b.c} for {@code n} (0-based), c in 1..254: Java will not bind a loopback
     * address ending in .255 (seen as a broadcast address), and .0 is left out alike.
     */
    static InetAddress loopback(final int base, final int n) throws IOException
    {
        return InetAddress.getByAddress(new byte[] {127, (byte)base, (byte)(n / 254), (byte)(1 + n % 254)});
    }

    /**
     * NetFlow v9 datagram of {@code count} data templates, ids {@code firstId...}, each of
     * {@code fields} 4-byte fields (IE 1, 2, 8, 12, ... cycled: a plausible flow template).
     *
     * @return bytes written to {@code out}.
     */
    static int v9Templates(final ByteBuffer out, final long sourceId, final int sequence, final int firstId,
        final int count, final int fields)
    {
        out.clear();
        v9Header(out, count, sequence, sourceId);
        final int setStart = out.position();
        out.putShort((short)0).putShort((short)0);
        final int[] ies = {1, 2, 8, 12, 10, 14, 7, 11};
        for (int t = 0; t < count; t++)
        {
            out.putShort((short)(firstId + t)).putShort((short)fields);
            for (int f = 0; f < fields; f++)
            {
                out.putShort((short)(f < ies.length ? ies[f] : 100 + f)).putShort((short)4);
            }
        }
        out.putShort(setStart + 2, (short)(out.position() - setStart));
        return out.position();
    }

    /** NetFlow v9 datagram of one data set for template {@code templateId}, {@code length} bytes of set body. */
    static int v9DataSet(final ByteBuffer out, final long sourceId, final int sequence, final int templateId, final int length)
    {
        out.clear();
        v9Header(out, 1, sequence, sourceId);
        out.putShort((short)templateId).putShort((short)(4 + length));
        for (int i = 0; i < length; i++)
        {
            out.put((byte)(i * 31));
        }
        return out.position();
    }

    /**
     * The CPU-amplification template of issue 18 item 5: {@code zeroFields} fields of length 0 and
     * one 1-byte field, so every byte of a data set is one record of {@code zeroFields + 1} fields.
     */
    static int v9ZeroLengthTemplate(final ByteBuffer out, final long sourceId, final int templateId, final int zeroFields)
    {
        out.clear();
        v9Header(out, 1, 1, sourceId);
        final int setStart = out.position();
        out.putShort((short)0).putShort((short)0);
        out.putShort((short)templateId).putShort((short)(zeroFields + 1));
        for (int f = 0; f < zeroFields; f++)
        {
            out.putShort((short)1).putShort((short)0);
        }
        out.putShort((short)4).putShort((short)1);
        out.putShort(setStart + 2, (short)(out.position() - setStart));
        return out.position();
    }

    /**
     * NetFlow v9 datagram: a template with 8-byte octet and packet counters (IE 1, 2) and IPv4
     * addresses, then one record whose counters are 2^64 - 1 (issue 18 item 6).
     */
    static int v9MaxCounters(final ByteBuffer out, final long sourceId, final int sequence)
    {
        out.clear();
        v9Header(out, 2, sequence, sourceId);
        out.putShort((short)0).putShort((short)(4 + 4 + 4 * 4));
        out.putShort((short)300).putShort((short)4);
        out.putShort((short)1).putShort((short)8).putShort((short)2).putShort((short)8);
        out.putShort((short)8).putShort((short)4).putShort((short)12).putShort((short)4);
        out.putShort((short)300).putShort((short)(4 + 24));
        out.putLong(-1L).putLong(-1L).putInt(0x0A00_0001).putInt(0x0A00_0002);
        return out.position();
    }

    private static void v9Header(final ByteBuffer out, final int count, final int sequence, final long sourceId)
    {
        out.putShort((short)9).putShort((short)count).putInt(1000).putInt((int)(System.currentTimeMillis() / 1000))
            .putInt(sequence).putInt((int)sourceId);
        assert out.position() == V9_HEADER;
    }

    /** IPFIX datagram of {@code count} templates of {@code fields} fields each, domain {@code domain}. */
    static int ipfixTemplates(final ByteBuffer out, final long domain, final int sequence, final int firstId,
        final int count, final int fields)
    {
        out.clear();
        out.putShort((short)10).putShort((short)0).putInt((int)(System.currentTimeMillis() / 1000)).putInt(sequence)
            .putInt((int)domain);
        final int setStart = out.position();
        out.putShort((short)2).putShort((short)0);
        for (int t = 0; t < count; t++)
        {
            out.putShort((short)(firstId + t)).putShort((short)fields);
            for (int f = 0; f < fields; f++)
            {
                out.putShort((short)(f % 2 == 0 ? 1 : 2)).putShort((short)8);
            }
        }
        out.putShort(setStart + 2, (short)(out.position() - setStart));
        out.putShort(2, (short)out.position());
        assert setStart == IPFIX_HEADER;
        return out.position();
    }

    /**
     * sFlow v5 datagram from agent {@code agent} (IPv4), sub-agent {@code subAgent}: one counter
     * sample with one generic interface counters record for {@code ifIndex}.
     */
    static int sflowCounters(final ByteBuffer out, final int agent, final int subAgent, final int sequence, final int ifIndex)
    {
        out.clear();
        out.putInt(5).putInt(1).putInt(agent).putInt(subAgent).putInt(sequence).putInt(1000).putInt(1);
        out.putInt(2);                               // counter sample, enterprise 0
        final int sampleLengthAt = out.position();
        out.putInt(0);
        final int sampleStart = out.position();
        out.putInt(sequence).putInt(ifIndex).putInt(1);
        out.putInt(1).putInt(88);                    // generic interface counters, 88 bytes
        out.putInt(ifIndex).putInt(6).putLong(1_000_000_000L).putInt(1).putInt(3);
        for (int i = 0; i < 16; i++)
        {
            out.putInt(0);                           // octets, packets, discards, errors: 64 bytes
        }
        out.putInt(sampleLengthAt, out.position() - sampleStart);
        return out.position();
    }

    /** A datagram of {@code length} random bytes whose version field is 0xBEEF (never valid). */
    static byte[] junk(final int length, final Random random)
    {
        final byte[] b = new byte[length];
        random.nextBytes(b);
        b[0] = (byte)0xBE;
        b[1] = (byte)0xEF;
        return b;
    }

    /**
     * NetFlow v5 datagram of 30 records with unique 5-tuples derived from {@code key}, 1 packet and
     * 100 bytes each.
     */
    static int v5UniqueKeys(final ByteBuffer out, final int key, final int sequence)
    {
        out.clear();
        out.putShort((short)5).putShort((short)30).putInt(1000).putInt((int)(System.currentTimeMillis() / 1000))
            .putInt(0).putInt(sequence).put((byte)0).put((byte)0).putShort((short)0);
        for (int r = 0; r < 30; r++)
        {
            final int k = key * 30 + r;
            out.putInt(0x0A00_0000 | k).putInt(0xC633_6400 | (k & 0xFF)).putInt(0);
            out.putShort((short)1).putShort((short)2);
            out.putInt(1).putInt(100).putInt(0).putInt(0);
            out.putShort((short)(1024 + (k & 0x7FFF))).putShort((short)443);
            out.put((byte)0).put((byte)0x10).put((byte)6).put((byte)0);
            out.putShort((short)0).putShort((short)0).put((byte)24).put((byte)24).putShort((short)0);
        }
        return out.position();
    }
}
