package io.goflow.exporter.decoders.ipfix;

import io.goflow.exporter.decoders.DecodeCounters;
import io.goflow.exporter.decoders.DecodeError;
import io.goflow.exporter.decoders.FlowSink;
import io.goflow.exporter.decoders.FlowType;
import io.goflow.exporter.decoders.template.DataSetDecoder;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.decoders.template.ExporterTable;
import io.goflow.exporter.decoders.template.MessageContext;
import io.goflow.exporter.decoders.template.Template;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

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

    private final DecodeCounters counters;
    private final ExporterTable exporters;
    private final DataSetDecoder dataSets;
    private final IpfixHeaderFlyweight header = new IpfixHeaderFlyweight();
    private final MessageContext context = new MessageContext();
    private final int[] definition = new int[(65536 / FIELD_SPECIFIER_LENGTH) * Template.DEFINITION_STRIDE];

    public IpfixDecoder(final DecodeCounters counters, final DataSetDecoder dataSets)
    {
        this.counters = counters;
        this.dataSets = dataSets;
        this.exporters = dataSets.exporters();
    }

    /**
     * Decodes one IPFIX message whose version field has been checked by the caller.
     *
     * @return the number of flow records emitted (replayed held sets and biflow reverses included).
     */
    public int decode(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long exporterAddrHi,
        final long exporterAddrLo,
        final int exporterPort,
        final long receivedNs,
        final FlowSink sink)
    {
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
        final ExporterState exporter = exporters.lookup(
            TYPE, exporterAddrHi, exporterAddrLo, exporterPort, header.observationDomainId(), receivedNs);
        if (exporter == null)
        {
            counters.rejected(TYPE, DecodeError.EXPORTER_LIMIT);
            return 0;
        }
        counters.datagram(TYPE);
        final long sequence = header.sequence();
        final MessageContext ctx = context.begin(TYPE, exporter, sequence, header.exportTimeSec(), 0, false, receivedNs);

        final int end = offset + messageLength;
        int emitted = 0;
        int p = offset + HEADER_LENGTH;
        while (end - p >= SET_HEADER_LENGTH && !ctx.capReached())
        {
            final int setId = buffer.getShort(p + SET_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int setLength = buffer.getShort(p + SET_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (setLength < SET_HEADER_LENGTH)
            {
                if (DataSetDecoder.isZeroPadding(buffer, p, end))
                {
                    break;
                }
                counters.error(TYPE, DecodeError.BAD_LENGTH);
                ctx.markIncomplete();
                break;
            }
            if (setLength > end - p)
            {
                counters.error(TYPE, DecodeError.TRUNCATED);
                ctx.markIncomplete();
                break;
            }
            final int body = p + SET_HEADER_LENGTH;
            final int setEnd = p + setLength;
            if (setId >= MIN_DATA_SET_ID)
            {
                emitted += dataSets.onDataSet(ctx, setId, buffer, body, setEnd, sink);
            }
            else if (setId == TEMPLATE_SET_ID || setId == OPTIONS_TEMPLATE_SET_ID)
            {
                emitted += templateSet(ctx, setId == OPTIONS_TEMPLATE_SET_ID, buffer, body, setEnd, sink);
            }
            p = setEnd;
        }
        exporter.recordSequence(sequence, ctx.records(), ctx.flowRecords(), !ctx.incomplete(),
            ExporterState.IPFIX_MAX_GAP, ExporterState.IPFIX_REORDER_WINDOW);
        return emitted;
    }

    private int templateSet(
        final MessageContext ctx,
        final boolean options,
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final FlowSink sink)
    {
        final ExporterState exporter = ctx.exporter();
        final int kind = options ? Template.KIND_OPTIONS : Template.KIND_DATA;
        int emitted = 0;
        int q = offset;
        while (end - q >= TEMPLATE_HEADER_LENGTH)
        {
            final int templateId = buffer.getShort(q + TEMPLATE_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int fieldCount = buffer.getShort(q + FIELD_COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (fieldCount == 0 && (templateId >= MIN_DATA_SET_ID || templateId == (options ? 3 : 2)))
            {
                final long nowNs = ctx.receivedNs();
                final DecodeError refused = templateId >= MIN_DATA_SET_ID ?
                    exporter.withdrawTemplate(templateId, nowNs) : exporter.withdrawAll(kind, nowNs);
                if (refused != null)
                {
                    counters.error(TYPE, refused);
                }
                q += TEMPLATE_HEADER_LENGTH;
                continue;
            }
            if (templateId < MIN_DATA_SET_ID)
            {
                badPadding(buffer, q, end);
                return emitted;
            }
            int fields = q + TEMPLATE_HEADER_LENGTH;
            int scopeCount = 0;
            if (options)
            {
                if (end - q < OPTIONS_TEMPLATE_HEADER_LENGTH)
                {
                    counters.error(TYPE, DecodeError.BAD_TEMPLATE);
                    return emitted;
                }
                scopeCount = buffer.getShort(q + SCOPE_FIELD_COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                fields = q + OPTIONS_TEMPLATE_HEADER_LENGTH;
                if (scopeCount == 0 || scopeCount > fieldCount)
                {
                    counters.error(TYPE, DecodeError.BAD_TEMPLATE);
                    return emitted;
                }
            }
            final int next = readFields(buffer, fields, end, fieldCount);
            if (next < 0)
            {
                counters.error(TYPE, DecodeError.BAD_TEMPLATE);
                return emitted;
            }
            emitted += dataSets.onTemplate(ctx, templateId, kind, scopeCount, definition, fieldCount, true, sink);
            q = next;
        }
        badPadding(buffer, q, end);
        return emitted;
    }

    /** @return the offset after the field specifiers, or -1 when they overrun {@code end}. */
    private int readFields(final DirectBuffer buffer, final int offset, final int end, final int count)
    {
        int f = offset;
        for (int i = 0; i < count; i++)
        {
            if (end - f < FIELD_SPECIFIER_LENGTH)
            {
                return -1;
            }
            final int id = buffer.getShort(f + FIELD_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int d = i * Template.DEFINITION_STRIDE;
            definition[d] = id & ~ENTERPRISE_BIT;
            definition[d + 1] = buffer.getShort(f + FIELD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            f += FIELD_SPECIFIER_LENGTH;
            if ((id & ENTERPRISE_BIT) != 0)
            {
                if (end - f < ENTERPRISE_NUMBER_LENGTH)
                {
                    return -1;
                }
                definition[d + 2] = buffer.getInt(f, ByteOrder.BIG_ENDIAN);
                f += ENTERPRISE_NUMBER_LENGTH;
            }
            else
            {
                definition[d + 2] = 0;
            }
        }
        return f;
    }

    /**
     * Counts {@link DecodeError#BAD_LENGTH} when the bytes left in a template set could hold a record
     * header but are not zero padding. Shorter tails are alignment padding, whatever their value
     * (Cisco WLC pads with non-zero bytes).
     */
    private void badPadding(final DirectBuffer buffer, final int from, final int to)
    {
        if (to - from >= TEMPLATE_HEADER_LENGTH && !DataSetDecoder.isZeroPadding(buffer, from, to))
        {
            counters.error(TYPE, DecodeError.BAD_LENGTH);
        }
    }
}
