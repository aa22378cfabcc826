package io.goflow.exporter.decoders.ipfix;

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

import static io.goflow.exporter.decoders.ipfix.IpfixDescriptor.*;

/**
 * IPFIX message decoder (RFC 7011; layouts in {@link IpfixDescriptor}). Walks the sets, stores and
 * withdraws templates and options templates per exporter stream (enterprise-specific elements are
 * kept in the definition and skipped by length unless they are RFC 5103 reverse elements), decodes
 * data sets through the shared {@link DataSetDecoder} and tracks the header sequence number, which
 * counts data records. The message is decoded first and then judged by
 * {@link ExporterState#recordSequence}, which learns whether the exporter counts before or after the
 * message's own records and whether options data records count (softflowd counts after, flow
 * records only); a message with a held or malformed set restarts the chain rather than guessing.
 *
 * <p>Checks: a datagram shorter than the 16-byte header, or than the message length field, is
 * rejected whole as {@link DecodeError#TRUNCATED}; a message length field below the header as
 * {@link DecodeError#BAD_LENGTH}; an exporter beyond the exporter cap as
 * {@link DecodeError#EXPORTER_LIMIT} ({@link DecodeCounters#rejected}; bytes after the declared
 * length are ignored). Any other message is accepted ({@link DecodeCounters#datagram}). Sets are
 * checked as in v9: below 4 bytes {@code BAD_LENGTH}, beyond the message {@code TRUNCATED}, both
 * ending the message. A template whose field specifiers overrun its set, or whose scope field count is
 * 0 or above its field count is {@code BAD_TEMPLATE}; one that fails {@link Template#validate} is counted
 * by the reason it returns ({@code BAD_TEMPLATE}, {@code TOO_MANY_FIELDS}, {@code SPARSE_TEMPLATE}).
 * A withdrawal (field count 0) is a template update: beyond {@code template_updates_per_second} it is
 * refused and counted {@code TEMPLATE_RATE}, the template staying.
 *
 * <p>Owned by the decoding thread; allocation-free in steady state.
 */
public final class IpfixDecoder
{
    private static final FlowType TYPE = FlowType.IPFIX;
    private static final SetLayout LAYOUT =
        new SetLayout(TYPE, HEADER_LENGTH, TEMPLATE_SET_ID, OPTIONS_TEMPLATE_SET_ID, true, true, false);

    private final DecodeCounters counters;
    private final TemplateSetWalker sets;
    private final IpfixHeaderFlyweight header = new IpfixHeaderFlyweight();
    private final MessageContext context = new MessageContext();

    public IpfixDecoder(final DecodeCounters counters, final DataSetDecoder dataSets)
    {
        this.counters = counters;
        this.sets = new TemplateSetWalker(LAYOUT, counters, dataSets);
    }

    /**
     * Decodes one IPFIX message whose version field has been checked by the caller.
     *
     * @return the number of flow records emitted (replayed held sets and biflow reverses included).
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
        final int messageLength = header.length();
        if (messageLength < HEADER_LENGTH)
        {
            counters.rejected(TYPE, DecodeError.BAD_LENGTH);
            return 0;
        }
        if (messageLength > length)
        {
            counters.rejected(TYPE, DecodeError.TRUNCATED);
            return 0;
        }
        final ExporterState exporter = sets.acceptExporter(
            exporterAddrHi, exporterAddrLo, exporterPort, header.observationDomainId(), receivedNs);
        if (exporter == null)
        {
            return 0;
        }
        final long sequence = header.sequence();
        final MessageContext ctx = context.begin(TYPE, exporter, sequence, header.exportTimeSec(), 0, false, receivedNs);

        final int emitted = sets.walk(ctx, buffer, offset, offset + messageLength, sink);
        exporter.recordSequence(sequence, ctx.records(), ctx.flowRecords(), !ctx.incomplete(),
            ExporterState.IPFIX_MAX_GAP, ExporterState.IPFIX_REORDER_WINDOW);
        return emitted;
    }
}
