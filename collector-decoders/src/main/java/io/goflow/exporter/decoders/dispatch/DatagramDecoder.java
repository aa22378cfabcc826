package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.ipfix.IpfixDecoder;
import io.goflow.exporter.decoders.netflow5.Netflow5Decoder;
import io.goflow.exporter.decoders.netflow9.Netflow9Decoder;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.sflow.SflowDecoder;
import io.goflow.exporter.decoders.template.DataSetDecoder;
import io.goflow.exporter.decoders.template.ExporterStatsVisitor;
import io.goflow.exporter.decoders.template.ExporterTable;
import io.goflow.exporter.decoders.template.StateBudget;
import org.agrona.DirectBuffer;

/**
 * Decodes whole datagrams of any supported protocol: picks the protocol from the version field
 * (narrowed by the {@link ListenerProtocol}), keeps template and sampling state per exporter and
 * emits {@link FlowRecord}s to a {@link FlowSink}.
 *
 * <h2>Detection</h2>
 * By the version field, with {@link ProtocolDetector} (the detection the receive readers label
 * datagrams with): 5 (NetFlow v5), 9 (NetFlow v9) or 10 (IPFIX) in the first two bytes, or sFlow
 * v5's 4-byte version 5, {@code 00 00 00 05}. The listener narrows what is accepted
 * ({@link ListenerProtocol}): NETFLOW takes 5/9/10, IPFIX 9/10, SFLOW sFlow only, AUTO everything.
 * Anything else is rejected whole ({@link DecodeCounters#rejected}) as
 * {@link DecodeError#BAD_VERSION} under the detected protocol, or, when nothing was recognised, as
 * unrecognised ({@link DecodeCounters#rejectedUnrecognised}), which is where the receive counters
 * put it too ({@code protocol="unknown"}); a datagram too short for a version is rejected as
 * {@link DecodeError#TRUNCATED}. Each protocol decoder counts its own outcome: the datagram
 * accepted ({@link DecodeCounters#datagram}) or rejected whole (too short for its header or
 * declared length, inconsistent header length/count, exporter cap), so every datagram given to
 * {@link #decode} has exactly one outcome.
 *
 * <p>Thread ownership: one instance per decode shard; every method is called from that shard's
 * thread only, except {@link #forEachExporter}, which any thread may call. Exporters are sharded by
 * address (and domain), so an exporter's templates and data are always seen, in order, by the same
 * instance.
 */
public final class DatagramDecoder
{
    private final DecoderSettings settings;
    private final DecodeCounters counters;
    private final ExporterTable exporters;
    private final ExporterSamplingTable samplingStates;
    private final Netflow9Decoder netflow9;
    private final IpfixDecoder ipfix;
    private final Netflow5Decoder netflow5;
    private final SflowDecoder sflow;

    /** A decoder with state caps of its own, from {@code settings} (one shard, tools, tests). */
    public DatagramDecoder(final DecoderSettings settings, final DecodeCounters counters)
    {
        this(settings, counters, StateBudget.of(settings));
    }

    /** @param budget the exporter-state caps shared by every shard's decoder. */
    public DatagramDecoder(final DecoderSettings settings, final DecodeCounters counters, final StateBudget budget)
    {
        this.settings = settings;
        this.counters = counters;
        this.exporters = new ExporterTable(settings, counters, budget);
        this.samplingStates = ExporterSamplingTable.of(settings);
        final DataSetDecoder dataSets = new DataSetDecoder(settings, counters, exporters, samplingStates);
        this.netflow9 = new Netflow9Decoder(counters, dataSets);
        this.ipfix = new IpfixDecoder(counters, dataSets);
        this.netflow5 = new Netflow5Decoder(counters, settings, samplingStates);
        this.sflow = new SflowDecoder(counters, settings, samplingStates);
    }

    /**
     * Decodes one datagram. Never throws on malformed input: the datagram is counted once, as
     * accepted or rejected whole, in {@link #counters()}; every problem inside an accepted
     * datagram is counted there by reason, and whatever can still be decoded is.
     *
     * @param source where and when the datagram came from, and the listener it arrived on.
     * @param buffer the datagram bytes.
     * @param offset offset of the first payload byte in {@code buffer}.
     * @param length payload length, bytes.
     * @param sink   receives each record.
     * @return the number of flow records emitted.
     */
    public int decode(
        final DatagramSource source, final DirectBuffer buffer, final int offset, final int length, final FlowSink sink)
    {
        final FlowType type = ProtocolDetector.detect(buffer, offset, length);
        if (type == null)
        {
            counters.rejectedUnrecognised(ProtocolDetector.unrecognisedReason(buffer, offset, length));
            return 0;
        }
        final ListenerProtocol listener = source.listener();
        switch (type)
        {
            case NETFLOW_V9:
                if (listener != ListenerProtocol.SFLOW)
                {
                    return netflow9.decode(source, buffer, offset, length, sink);
                }
                break;
            case IPFIX:
                if (listener != ListenerProtocol.SFLOW)
                {
                    return ipfix.decode(source, buffer, offset, length, sink);
                }
                break;
            case NETFLOW_V5:
                if (listener == ListenerProtocol.NETFLOW || listener == ListenerProtocol.AUTO)
                {
                    return netflow5.decode(source, buffer, offset, length, sink);
                }
                break;
            case SFLOW_5:
                if (listener == ListenerProtocol.SFLOW || listener == ListenerProtocol.AUTO)
                {
                    return sflow.decode(source, buffer, offset, length, sink);
                }
                break;
        }
        counters.rejected(type, DecodeError.BAD_VERSION);
        return 0;
    }

    /**
     * Housekeeping due at {@code nowNs} (epoch ns, the clock of {@link DatagramSource#receivedNs}): template expiry,
     * held-set expiry, idle exporter removal, and publication of the exporter statistics read by
     * {@link #forEachExporter}.
     */
    public void onTimer(final long nowNs)
    {
        exporters.onTimer(nowNs);
        samplingStates.onTimer(nowNs);
    }

    /**
     * Visits each exporter's sampling sources (every protocol) as of the last {@link #onTimer}.
     * Safe from any thread.
     */
    public void forEachSamplingState(final ExporterSamplingTable.Visitor visitor)
    {
        samplingStates.forEachExporter(visitor);
    }

    /** @return where each exporter's rates come from. Decoding thread only. */
    public ExporterSamplingTable samplingStates()
    {
        return samplingStates;
    }

    /**
     * Visits the per-exporter statistics (v9 and IPFIX streams) as of the last {@link #onTimer}.
     * Safe from any thread, e.g. a metrics scrape: it reads an immutable snapshot published through
     * a volatile field.
     */
    public void forEachExporter(final ExporterStatsVisitor visitor)
    {
        exporters.forEachExporter(visitor);
    }

    /** @return the v9/IPFIX exporter state. Decoding thread only. */
    public ExporterTable exporters()
    {
        return exporters;
    }

    public DecoderSettings settings()
    {
        return settings;
    }

    public DecodeCounters counters()
    {
        return counters;
    }
}
