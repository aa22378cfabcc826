package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowSink;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Walks the sets of one NetFlow v9 or IPFIX message, the differences given by a {@link SetLayout}:
 * data sets go to {@link DataSetDecoder#onDataSet}, template and options template records are read
 * into a scratch definition and given to {@link DataSetDecoder#onTemplate}, other set IDs are skipped
 * by length.
 *
 * <pre>
 * Set header (v9 FlowSet, IPFIX set), then the set body up to Length:
 * +-------------------------------+-------------------------------+
 * |            Set ID             |     Length (incl. header)     |
 * +-------------------------------+-------------------------------+
 *
 * Template record header, then Field Count field specifiers:
 * +-------------------------------+-------------------------------+
 * |          Template ID          |          Field Count          |
 * +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Checks: a set below its 4-byte header is {@link DecodeError#BAD_LENGTH} (zero bytes there are
 * padding, not an error), one beyond the message {@link DecodeError#TRUNCATED}; both end the message
 * and mark it incomplete. Field specifiers overrunning their set, or a bad options scope, are
 * {@link DecodeError#BAD_TEMPLATE} and end the set. Non-zero bytes left in a template set that could
 * hold a record header are {@code BAD_LENGTH}.
 *
 * <p>Owned by the decoding thread; allocation-free.
 */
public final class TemplateSetWalker
{
    private static final int SET_ID_OFFSET = 0;
    private static final int SET_LENGTH_OFFSET = SET_ID_OFFSET + 2;
    private static final int SET_HEADER_LENGTH = SET_LENGTH_OFFSET + 2;
    private static final int MIN_DATA_SET_ID = 256;

    private static final int TEMPLATE_ID_OFFSET = 0;
    private static final int FIELD_COUNT_OFFSET = TEMPLATE_ID_OFFSET + 2;
    private static final int TEMPLATE_HEADER_LENGTH = FIELD_COUNT_OFFSET + 2;
    /** Third u16 of an options template header: IPFIX Scope Field Count, v9 Option Length (bytes). */
    private static final int OPTIONS_THIRD_OFFSET = FIELD_COUNT_OFFSET + 2;
    private static final int OPTIONS_TEMPLATE_HEADER_LENGTH = OPTIONS_THIRD_OFFSET + 2;

    private static final int FIELD_ID_OFFSET = 0;
    private static final int FIELD_LENGTH_OFFSET = FIELD_ID_OFFSET + 2;
    private static final int FIELD_SPECIFIER_LENGTH = FIELD_LENGTH_OFFSET + 2;
    private static final int ENTERPRISE_NUMBER_LENGTH = 4;
    private static final int ENTERPRISE_BIT = 0x8000;

    private final SetLayout layout;
    private final DecodeCounters counters;
    private final DataSetDecoder dataSets;
    private final ExporterTable exporters;
    private final int[] definition = new int[(65536 / FIELD_SPECIFIER_LENGTH) * Template.DEFINITION_STRIDE];

    public TemplateSetWalker(final SetLayout layout, final DecodeCounters counters, final DataSetDecoder dataSets)
    {
        this.layout = layout;
        this.counters = counters;
        this.dataSets = dataSets;
        this.exporters = dataSets.exporters();
    }

    /**
     * Looks up the exporter stream of a message whose header has been checked, counting the datagram
     * accepted ({@link DecodeCounters#datagram}) or rejected as {@link DecodeError#EXPORTER_LIMIT}.
     *
     * @param domainId v9 Source ID or IPFIX Observation Domain ID.
     * @return the stream, or null when the exporter cap refuses a new one.
     */
    public ExporterState acceptExporter(
        final long exporterAddrHi,
        final long exporterAddrLo,
        final int exporterPort,
        final long domainId,
        final long receivedNs)
    {
        final ExporterState exporter = exporters.lookup(
            layout.type(), exporterAddrHi, exporterAddrLo, exporterPort, domainId, receivedNs);
        if (exporter == null)
        {
            counters.rejected(layout.type(), DecodeError.EXPORTER_LIMIT);
            return null;
        }
        counters.datagram(layout.type());
        return exporter;
    }

    /**
     * Walks the sets of the message at {@code offset} (its header included) up to {@code end}, or until
     * the message's record cap is reached.
     *
     * @return the number of flow records emitted.
     */
    public int walk(
        final MessageContext ctx, final DirectBuffer buffer, final int offset, final int end, final FlowSink sink)
    {
        int emitted = 0;
        int p = offset + layout.headerLength();
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
                counters.error(layout.type(), DecodeError.BAD_LENGTH);
                ctx.markIncomplete();
                break;
            }
            if (setLength > end - p)
            {
                counters.error(layout.type(), DecodeError.TRUNCATED);
                ctx.markIncomplete();
                break;
            }
            final int body = p + SET_HEADER_LENGTH;
            final int setEnd = p + setLength;
            if (setId >= MIN_DATA_SET_ID)
            {
                emitted += dataSets.onDataSet(ctx, setId, buffer, body, setEnd, sink);
            }
            else if (setId == layout.templateSetId() || setId == layout.optionsTemplateSetId())
            {
                emitted += templateSet(ctx, setId == layout.optionsTemplateSetId(), buffer, body, setEnd, sink);
            }
            p = setEnd;
        }
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
        final boolean lengthsInBytes = options && layout.scopeLengthsInBytes();
        final int recordHeaderLength = lengthsInBytes ? OPTIONS_TEMPLATE_HEADER_LENGTH : TEMPLATE_HEADER_LENGTH;
        int emitted = 0;
        int q = offset;
        while (end - q >= recordHeaderLength)
        {
            final int templateId = buffer.getShort(q + TEMPLATE_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int second = buffer.getShort(q + FIELD_COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (layout.withdrawals() && second == 0 && (templateId >= MIN_DATA_SET_ID ||
                templateId == (options ? layout.optionsTemplateSetId() : layout.templateSetId())))
            {
                final long nowNs = ctx.receivedNs();
                final DecodeError refused = templateId >= MIN_DATA_SET_ID ?
                    exporter.withdrawTemplate(templateId, nowNs) : exporter.withdrawAll(kind, nowNs);
                if (refused != null)
                {
                    counters.error(layout.type(), refused);
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
            int fieldCount = second;
            int scopeCount = 0;
            if (lengthsInBytes)
            {
                final int optionsLength = buffer.getShort(q + OPTIONS_THIRD_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                if (second % FIELD_SPECIFIER_LENGTH != 0 || optionsLength % FIELD_SPECIFIER_LENGTH != 0 ||
                    second + optionsLength > end - q - OPTIONS_TEMPLATE_HEADER_LENGTH)
                {
                    counters.error(layout.type(), DecodeError.BAD_TEMPLATE);
                    return emitted;
                }
                scopeCount = second / FIELD_SPECIFIER_LENGTH;
                fieldCount = scopeCount + optionsLength / FIELD_SPECIFIER_LENGTH;
                fields = q + OPTIONS_TEMPLATE_HEADER_LENGTH;
            }
            else if (options)
            {
                if (end - q < OPTIONS_TEMPLATE_HEADER_LENGTH)
                {
                    counters.error(layout.type(), DecodeError.BAD_TEMPLATE);
                    return emitted;
                }
                scopeCount = buffer.getShort(q + OPTIONS_THIRD_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                fields = q + OPTIONS_TEMPLATE_HEADER_LENGTH;
                if (scopeCount == 0 || scopeCount > fieldCount)
                {
                    counters.error(layout.type(), DecodeError.BAD_TEMPLATE);
                    return emitted;
                }
            }
            final int next = readFields(buffer, fields, end, fieldCount, lengthsInBytes ? scopeCount : 0);
            if (next < 0)
            {
                counters.error(layout.type(), DecodeError.BAD_TEMPLATE);
                return emitted;
            }
            emitted += dataSets.onTemplate(ctx, templateId, kind, scopeCount, definition, fieldCount, true, sink);
            q = next;
        }
        badPadding(buffer, q, end);
        return emitted;
    }

    /**
     * Reads {@code count} field specifiers into the definition: element ID (enterprise bit cleared),
     * length, and the PEN when the enterprise bit is set, else {@link Template#SCOPE_FIELD} for the first
     * {@code markedScopes} fields (v9 options scopes), else 0.
     *
     * @return the offset after the field specifiers, or -1 when they overrun {@code end}.
     */
    private int readFields(
        final DirectBuffer buffer, final int offset, final int end, final int count, final int markedScopes)
    {
        final boolean enterpriseBit = layout.enterpriseBit();
        int f = offset;
        for (int i = 0; i < count; i++)
        {
            if (end - f < FIELD_SPECIFIER_LENGTH)
            {
                return -1;
            }
            final int id = buffer.getShort(f + FIELD_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int d = i * Template.DEFINITION_STRIDE;
            definition[d + 1] = buffer.getShort(f + FIELD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            f += FIELD_SPECIFIER_LENGTH;
            if (enterpriseBit && (id & ENTERPRISE_BIT) != 0)
            {
                if (end - f < ENTERPRISE_NUMBER_LENGTH)
                {
                    return -1;
                }
                definition[d] = id & ~ENTERPRISE_BIT;
                definition[d + 2] = buffer.getInt(f, ByteOrder.BIG_ENDIAN);
                f += ENTERPRISE_NUMBER_LENGTH;
            }
            else
            {
                definition[d] = id;
                definition[d + 2] = i < markedScopes ? Template.SCOPE_FIELD : 0;
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
            counters.error(layout.type(), DecodeError.BAD_LENGTH);
        }
    }
}
