package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * One simulated exporter: a UDP socket bound to its own loopback address, replaying a
 * {@link ReplayScript} in a loop the way a real exporter sends.
 *
 * <ul>
 *   <li>Templates (and options data) go first, then again every {@code templateEveryDatagrams}
 *       data datagrams and every {@code templateIntervalNs}, whichever comes first
 *       (0 disables either trigger).</li>
 *   <li>The header sequence number is rewritten per exporter so it stays consistent: v5 counts
 *       flows, v9 counts export packets, IPFIX counts data records, sFlow counts datagrams. An
 *       sFlow IPv4 agent address is replaced with the exporter's own address.</li>
 *   <li>With {@code variants > 1}, pass {@code p} over the data of exporter {@code i} XORs
 *       {@code (p * exporters + i) % variants} into the last two bytes of every flow record's
 *       source address, so the collector sees up to {@code variants} times the capture's
 *       5-tuples. With a marker address, every IPv4 source address is replaced by it instead.</li>
 * </ul>
 *
 * <p>Thread ownership: one sender thread; the counters are read by the same thread or after it
 * has been joined.
 */
final class SimulatedExporter implements AutoCloseable
{
    private final int index;
    private final int exporterCount;
    private final ReplayScript script;
    private final List<ReplayDatagram> templates;
    private final List<ReplayDatagram> data;
    private final DatagramChannel channel;
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(65536).order(ByteOrder.BIG_ENDIAN);
    private final int sourceIpv4;
    private final int templateEveryDatagrams;
    private final long templateIntervalNs;
    private final int variants;
    private final int markerIpv4;
    private final boolean marking;

    private int dataCursor;
    private long pass;
    private int templateCursor = -1;
    private int dataSinceTemplates;
    private long lastTemplatesNs;
    private boolean templatesSent;

    private long datagramsSent;
    private long flowRecordsSent;
    private long dataRecordsSent;
    private long packetsSent;
    private long bytesSent;
    private long sendErrors;

    /**
     * Binds a socket to {@code source}:0 and connects it to {@code destination}.
     *
     * @param markerIpv4 when non-null, every IPv4 source address in the data is replaced by it.
     */
    SimulatedExporter(
        final int index,
        final int exporterCount,
        final ReplayScript script,
        final InetAddress source,
        final InetSocketAddress destination,
        final int templateEveryDatagrams,
        final long templateIntervalNs,
        final int variants,
        final Integer markerIpv4,
        final int sendBufferBytes) throws IOException
    {
        this.index = index;
        this.exporterCount = exporterCount;
        this.script = script;
        this.templates = script.templates();
        this.data = script.data();
        this.templateEveryDatagrams = templateEveryDatagrams;
        this.templateIntervalNs = templateIntervalNs;
        this.variants = Math.max(1, variants);
        this.marking = markerIpv4 != null;
        this.markerIpv4 = marking ? markerIpv4 : 0;
        final byte[] address = source.getAddress();
        this.sourceIpv4 = address.length == 4 ? ByteBuffer.wrap(address).getInt() : 0;
        this.channel = DatagramChannel.open();
        try
        {
            if (sendBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
            }
            channel.bind(new InetSocketAddress(source, 0));
            channel.connect(destination);
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Sends the next datagram of this exporter.
     *
     * @param nowNs monotonic ns, for the template interval.
     * @return flow records carried by the datagram sent (0 for a template datagram).
     */
    int sendNext(final long nowNs)
    {
        if (templateCursor < 0 && !templates.isEmpty() && templatesDue(nowNs))
        {
            templateCursor = 0;
            lastTemplatesNs = nowNs;
            dataSinceTemplates = 0;
            templatesSent = true;
        }
        if (templateCursor >= 0)
        {
            final ReplayDatagram t = templates.get(templateCursor++);
            if (templateCursor == templates.size())
            {
                templateCursor = -1;
            }
            send(t, false);
            return 0;
        }
        if (data.isEmpty())
        {
            return 0;
        }
        final ReplayDatagram d = data.get(dataCursor);
        if (++dataCursor == data.size())
        {
            dataCursor = 0;
            pass++;
        }
        dataSinceTemplates++;
        send(d, true);
        return d.flowRecords();
    }

    private boolean templatesDue(final long nowNs)
    {
        return !templatesSent ||
            (templateEveryDatagrams > 0 && dataSinceTemplates >= templateEveryDatagrams) ||
            (templateIntervalNs > 0 && nowNs - lastTemplatesNs >= templateIntervalNs);
    }

    private void send(final ReplayDatagram datagram, final boolean isData)
    {
        final ByteBuffer b = sendBuffer;
        final byte[] payload = datagram.payload();
        b.clear();
        b.put(payload);
        b.flip();
        patchHeader(b);
        if (isData)
        {
            patchAddresses(b, datagram);
        }
        try
        {
            channel.write(b);
            datagramsSent++;
            flowRecordsSent += datagram.flowRecords();
            packetsSent += datagram.packets();
            bytesSent += datagram.bytes();
            if (script.format() == ExportFormat.NETFLOW_V5)
            {
                dataRecordsSent += datagram.flowRecords();
            }
            else
            {
                dataRecordsSent += datagram.dataRecords();
            }
        }
        catch (final IOException ex)
        {
            sendErrors++;
        }
    }

    private void patchHeader(final ByteBuffer b)
    {
        switch (script.format())
        {
            case NETFLOW_V5 -> b.putInt(ExportFormat.NETFLOW_V5.sequenceOffset(), (int)dataRecordsSent);
            case NETFLOW_V9 -> b.putInt(ExportFormat.NETFLOW_V9.sequenceOffset(), (int)datagramsSent);
            case IPFIX -> b.putInt(ExportFormat.IPFIX.sequenceOffset(), (int)dataRecordsSent);
            case SFLOW_V5 ->
            {
                if (b.getInt(4) == 1)
                {
                    b.putInt(8, sourceIpv4);
                    b.putInt(ExportFormat.SFLOW_V5.sequenceOffset(), (int)(datagramsSent + 1));
                }
                else
                {
                    b.putInt(ExportFormat.SFLOW_V5.sequenceOffset() + 12, (int)(datagramsSent + 1));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private void patchAddresses(final ByteBuffer b, final ReplayDatagram datagram)
    {
        final int[] offsets = datagram.srcAddrOffsets();
        final byte[] lengths = datagram.srcAddrLengths();
        if (marking)
        {
            for (int i = 0; i < offsets.length; i++)
            {
                if (lengths[i] == 4)
                {
                    b.putInt(offsets[i], markerIpv4);
                }
            }
        }
        else if (variants > 1)
        {
            final int variant = (int)((pass * exporterCount + index) % variants);
            for (int i = 0; i < offsets.length; i++)
            {
                final int last2 = offsets[i] + lengths[i] - 2;
                b.putShort(last2, (short)(b.getShort(last2) ^ variant));
            }
        }
    }

    int index()
    {
        return index;
    }

    ReplayScript script()
    {
        return script;
    }

    long datagramsSent()
    {
        return datagramsSent;
    }

    long flowRecordsSent()
    {
        return flowRecordsSent;
    }

    long packetsSent()
    {
        return packetsSent;
    }

    long bytesSent()
    {
        return bytesSent;
    }

    long sendErrors()
    {
        return sendErrors;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
