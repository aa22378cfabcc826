package io.goflow.exporter.decoders.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;
import org.agrona.DirectBuffer;

/**
 * Runs a whole capture through a {@link DatagramDecoder}, choosing the listener protocol of each
 * datagram by its UDP destination port, and accumulates what came out the way truth.py
 * aggregates it: totals, per 5-tuple, per protocol and per interface, raw and scaled by the
 * sampling rate attached to each record (which is what a streaming collector knows, i.e. truth's
 * {@code *_scaled_online}).
 *
 * <p>Both byte notions are kept: {@link Agg#bytes} is {@link FlowRecord#bytes} (L3 for every
 * protocol), {@link Agg#frameBytes} is {@link FlowRecord#frameLength} (sFlow's L2 frame length,
 * which is what truth's {@code bytes} holds for sFlow).
 */
public final class CaptureRun implements FlowSink
{
    /** The collector's default port map: 2055/9995/9996 netflow, 4739 ipfix, 6343 sflow. */
    public static final Map<Integer, ListenerProtocol> DEFAULT_PORT_MAP = Map.of(
        2055, ListenerProtocol.NETFLOW,
        9995, ListenerProtocol.NETFLOW,
        9996, ListenerProtocol.NETFLOW,
        4739, ListenerProtocol.IPFIX,
        6343, ListenerProtocol.SFLOW);

    /** Mutable aggregation bucket. */
    public static final class Agg
    {
        public long flows;
        public long bytes;
        public long packets;
        public long bytesScaled;
        public long packetsScaled;
        public long frameBytes;
        public long frameBytesScaled;
        /** RFC 5103 reverse-direction counters, attributed to the forward record's key (as truth does). */
        public long reverseBytes;
        public long reversePackets;

        void add(final FlowRecord r)
        {
            final long rate = Math.max(r.samplingRate, 1);
            flows++;
            bytes += r.bytes;
            packets += r.packets;
            bytesScaled += r.bytes * rate;
            packetsScaled += r.packets * rate;
            frameBytes += r.frameLength;
            frameBytesScaled += r.frameLength * rate;
        }

        @Override
        public String toString()
        {
            return "flows=" + flows + " bytes=" + bytes + " packets=" + packets + " bytesScaled=" + bytesScaled
                + " packetsScaled=" + packetsScaled + " frameBytes=" + frameBytes;
        }
    }

    /** Anything that decodes a datagram like {@link DatagramDecoder#decode}. */
    @FunctionalInterface
    public interface DatagramHandler
    {
        int decode(DatagramSource source, DirectBuffer buffer, int offset, int length, FlowSink sink);
    }

    /** Forward flow records only; reverse (biflow) records are in {@link Agg#reverseBytes}. */
    public final Agg totals = new Agg();
    /** Reverse records of RFC 5103 biflows. */
    public long reverseRecords;
    public final Map<String, Agg> by5Tuple = new TreeMap<>();
    /** ICMP/ICMPv6 and everything else keyed {@code src|dst|proto} only. */
    public final Map<String, Agg> by3Tuple = new TreeMap<>();
    public final Map<String, Agg> byProtocol = new TreeMap<>();
    public final Map<String, Agg> byInIf = new TreeMap<>();
    public final Map<String, Agg> byOutIf = new TreeMap<>();
    /** Records emitted through {@link FlowSink#onOtherRecord} by kind. */
    public final Map<FlowRecord.Kind, Long> otherRecords = new TreeMap<>();
    /** Flow records that carried no sampling rate. */
    public long recordsWithoutRate;
    /** Datagrams handed to the decoder. */
    public long datagrams;
    /** Datagrams whose destination port is not in the port map (not decoded). */
    public long unmappedDatagrams;
    /** Sum of the decoder's return values. */
    public long decodedReturned;

    /** The decoder used, when run through a {@link DatagramDecoder}; else null. */
    public DatagramDecoder decoder;
    public long pcapFrames;
    public long pcapSkipped;

    private final FlowSink delegate;
    private final StringBuilder key = new StringBuilder(128);
    private Agg lastForward;

    private CaptureRun(final FlowSink delegate)
    {
        this.delegate = delegate;
    }

    /** A decoder with {@link DecoderSettings#defaults()} and fresh counters. */
    public static DatagramDecoder newDecoder()
    {
        return new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters());
    }

    /** The port map the truth file was made with ({@code decode_as}): cflow on 4739 is IPFIX, else NETFLOW. */
    public static Map<Integer, ListenerProtocol> portMapOf(final TruthFile truth)
    {
        final Map<Integer, ListenerProtocol> map = new TreeMap<>();
        truth.decodeAs().forEach((port, kind) -> map.put(port, "sflow".equals(kind)
            ? ListenerProtocol.SFLOW : port == 4739 ? ListenerProtocol.IPFIX : ListenerProtocol.NETFLOW));
        return map;
    }

    /** Runs {@code pcap} through a new default decoder with the truth file's port map. */
    public static CaptureRun run(final Path pcap, final TruthFile truth)
    {
        return run(pcap, portMapOf(truth), newDecoder(), null);
    }

    /**
     * Runs {@code pcap} through {@code decoder}.
     *
     * @param delegate optional sink that also sees every record (after aggregation); may be null.
     */
    public static CaptureRun run(
        final Path pcap,
        final Map<Integer, ListenerProtocol> portMap,
        final DatagramDecoder decoder,
        final FlowSink delegate)
    {
        final CaptureRun run = run(pcap, portMap, decoder::decode, delegate);
        run.decoder = decoder;
        return run;
    }

    /** Runs {@code pcap} through any {@code handler} (e.g. a single-protocol decoder). */
    public static CaptureRun run(
        final Path pcap,
        final Map<Integer, ListenerProtocol> portMap,
        final DatagramHandler decoder,
        final FlowSink delegate)
    {
        final CaptureRun run = new CaptureRun(delegate);
        final UdpDatagram d = new UdpDatagram();
        final DatagramSource source = new DatagramSource();
        try (PcapReader reader = PcapReader.open(pcap))
        {
            while (reader.next(d))
            {
                final ListenerProtocol listener = portMap.get(d.dstPort);
                if (listener == null)
                {
                    run.unmappedDatagrams++;
                    continue;
                }
                run.datagrams++;
                source.set(listener, d.srcAddrHi, d.srcAddrLo, d.srcPort, d.timestampNs);
                run.decodedReturned += decoder.decode(source, d.buffer, d.payloadOffset, d.payloadLength, run);
            }
            run.pcapFrames = reader.frames();
            run.pcapSkipped = reader.skipped();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return run;
    }

    @Override
    public void onFlowRecord(final FlowRecord r)
    {
        if (r.reverse)
        {
            reverseRecords++;
            totals.reverseBytes += r.bytes;
            totals.reversePackets += r.packets;
            if (lastForward != null)
            {
                lastForward.reverseBytes += r.bytes;
                lastForward.reversePackets += r.packets;
            }
            if (delegate != null)
            {
                delegate.onFlowRecord(r);
            }
            return;
        }
        totals.add(r);
        if (r.samplingRate == 0)
        {
            recordsWithoutRate++;
        }
        lastForward = by5Tuple.computeIfAbsent(fiveTupleKey(r), k -> new Agg());
        lastForward.add(r);
        by3Tuple.computeIfAbsent(threeTupleKey(r), k -> new Agg()).add(r);
        byProtocol.computeIfAbsent(protoText(r), k -> new Agg()).add(r);
        byInIf.computeIfAbsent(Long.toString(r.inIf), k -> new Agg()).add(r);
        byOutIf.computeIfAbsent(Long.toString(r.outIf), k -> new Agg()).add(r);
        if (delegate != null)
        {
            delegate.onFlowRecord(r);
        }
    }

    @Override
    public void onOtherRecord(final FlowRecord r)
    {
        otherRecords.merge(r.kind(), 1L, Long::sum);
        if (delegate != null)
        {
            delegate.onOtherRecord(r);
        }
    }

    /** truth.py's {@code by_5tuple} key: {@code src|dst|proto|sport|dport}, {@code None} when absent. */
    public String fiveTupleKey(final FlowRecord r)
    {
        key.setLength(0);
        appendThreeTuple(r);
        return key.append('|').append(r.srcPort).append('|').append(r.dstPort).toString();
    }

    /** {@code src|dst|proto}: how ICMP is compared (exporters put type/code in different fields). */
    public String threeTupleKey(final FlowRecord r)
    {
        key.setLength(0);
        appendThreeTuple(r);
        return key.toString();
    }

    private void appendThreeTuple(final FlowRecord r)
    {
        if (r.srcAddrPresent)
        {
            AddressText.append(key, r.srcAddrHi, r.srcAddrLo);
        }
        else
        {
            key.append("None");
        }
        key.append('|');
        if (r.dstAddrPresent)
        {
            AddressText.append(key, r.dstAddrHi, r.dstAddrLo);
        }
        else
        {
            key.append("None");
        }
        key.append('|').append(protoText(r));
    }

    private static String protoText(final FlowRecord r)
    {
        return r.ipVersion == 0 && r.proto == 0 && !r.srcAddrPresent ? "None" : Integer.toString(r.proto);
    }

    /** Truth's 5-tuple key reduced to {@code src|dst|proto}. */
    public static String threeTupleOf(final String fiveTupleKey)
    {
        int bar = -1;
        for (int i = 0; i < 3; i++)
        {
            bar = fiveTupleKey.indexOf('|', bar + 1);
        }
        return bar < 0 ? fiveTupleKey : fiveTupleKey.substring(0, bar);
    }
}
