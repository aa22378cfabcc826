package io.goflow.exporter.decoders.netflow9;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.template.DataSetDecoder;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.decoders.template.MessageContext;
import io.goflow.exporter.decoders.template.SetLayout;
import io.goflow.exporter.decoders.template.Template;
import io.goflow.exporter.decoders.template.TemplateSetWalker;
import org.agrona.DirectBuffer;

import static io.goflow.exporter.decoders.netflow9.Netflow9Descriptor.*;

/**
 * NetFlow v9 packet decoder (RFC 3954; layouts in {@link Netflow9Descriptor}). Walks the FlowSets,
 * stores templates and options templates per exporter stream, decodes data FlowSets through the
 * shared {@link DataSetDecoder} and tracks the header sequence number (one per export packet).
 *
 * <p>A datagram shorter than the 20-byte header is rejected whole as {@link DecodeError#TRUNCATED},
 * one from an exporter beyond the exporter cap as {@link DecodeError#EXPORTER_LIMIT}
 * ({@link DecodeCounters#rejected}); any other is accepted ({@link DecodeCounters#datagram}) and
 * the problems below are errors inside it.
 *
 * <p>Every length is checked before it is read. A FlowSet shorter than its header is counted
 * {@link DecodeError#BAD_LENGTH} and ends the packet (the next one cannot be found); a FlowSet
 * longer than the rest of the packet is counted {@link DecodeError#TRUNCATED} and ends it; a bad
 * template is counted {@link DecodeError#BAD_TEMPLATE} (or the reason {@link Template#validate}
 * gives: {@link DecodeError#TOO_MANY_FIELDS}, {@link DecodeError#SPARSE_TEMPLATE}) and, when its
 * length cannot be trusted, ends its FlowSet. Non-zero bytes left in a template FlowSet (bad padding) are counted
 * {@code BAD_LENGTH}. FlowSet IDs 2-255 are reserved and skipped by length. Zero bytes after the
 * last FlowSet (Cisco ACI, Palo Alto pad datagrams) are padding, not an error.
 *
 * <p>Deliberate choices: a field length of 65535 is read as an IPFIX-style variable-length field
 * (RFC 7011 section 7), as H3C NetStream sends and Wireshark decodes. The header's Count is not
 * trusted: several exporters count only template records, so every FlowSet present is decoded
 * (Wireshark stops after Count records, which is why a few truth files have fewer flows).
 *
 * <p>Owned by the decoding thread; allocation-free in steady state.
 */
public final class Netflow9Decoder
{
    private static final FlowType TYPE = FlowType.NETFLOW_V9;
    private static final SetLayout LAYOUT =
        new SetLayout(TYPE, HEADER_LENGTH, TEMPLATE_SET_ID, OPTIONS_TEMPLATE_SET_ID, false, false, true);

    private final DecodeCounters counters;
    private final TemplateSetWalker sets;
    private final Netflow9HeaderFlyweight header = new Netflow9HeaderFlyweight();
    private final MessageContext context = new MessageContext();

    public Netflow9Decoder(final DecodeCounters counters, final DataSetDecoder dataSets)
    {
        this.counters = counters;
        this.sets = new TemplateSetWalker(LAYOUT, counters, dataSets);
    }

    /**
     * Decodes one v9 packet whose version field has been checked by the caller.
     *
     * @return the number of flow records emitted (replayed held sets included).
     */
    public int decode(
        final DatagramSource source, final DirectBuffer buffer, final int offset, final int length, final FlowSink sink)
    {
        final long exporterAddrHi = source.exporterAddrHi();
        final long exporterAddrLo = source.exporterAddrLo();
        final int exporterPort = source.exporterPort();
        final long receivedNs = source.receivedNs();
        if (length < HEADER_LENGTH)
        {
            counters.rejected(TYPE, DecodeError.TRUNCATED);
            return 0;
        }
        header.wrap(buffer, offset);
        final ExporterState exporter = sets.acceptExporter(
            exporterAddrHi, exporterAddrLo, exporterPort, header.sourceId(), receivedNs);
        if (exporter == null)
        {
            return 0;
        }
        final long sequence = header.sequence();
        if (exporter.checkSequence(sequence, ExporterState.V9_MAX_GAP, ExporterState.V9_REORDER_WINDOW))
        {
            exporter.expectSequence(sequence + 1);
        }
        final MessageContext ctx = context.begin(
            TYPE, exporter, sequence, header.unixSecs(), header.sysUptimeMs(), true, receivedNs);

        return sets.walk(ctx, buffer, offset, offset + length, sink);
    }
}
