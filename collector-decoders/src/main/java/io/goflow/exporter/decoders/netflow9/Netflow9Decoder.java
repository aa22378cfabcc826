package io.goflow.exporter.decoders.netflow9;

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

    private final DecodeCounters counters;
    private final ExporterTable exporters;
    private final DataSetDecoder dataSets;
    private final Netflow9HeaderFlyweight header = new Netflow9HeaderFlyweight();
    private final MessageContext context = new MessageContext();
    private final int[] definition = new int[(65536 / FIELD_SPECIFIER_LENGTH) * Template.DEFINITION_STRIDE];

    public Netflow9Decoder(final DecodeCounters counters, final DataSetDecoder dataSets)
    {
        this.counters = counters;
        this.dataSets = dataSets;
        this.exporters = dataSets.exporters();
    }

    /**
     * Decodes one v9 packet whose version field has been checked by the caller.
     *
     * @return the number of flow records emitted (replayed held sets included).
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
        final ExporterState exporter = exporters.lookup(
            TYPE, exporterAddrHi, exporterAddrLo, exporterPort, header.sourceId(), receivedNs);
        if (exporter == null)
        {
            counters.rejected(TYPE, DecodeError.EXPORTER_LIMIT);
            return 0;
        }
        counters.datagram(TYPE);
        final long sequence = header.sequence();
        if (exporter.checkSequence(sequence, ExporterState.V9_MAX_GAP, ExporterState.V9_REORDER_WINDOW))
        {
            exporter.expectSequence(sequence + 1);
        }
        final MessageContext ctx = context.begin(
            TYPE, exporter, sequence, header.unixSecs(), header.sysUptimeMs(), true, receivedNs);

        final int end = offset + length;
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
                break;
            }
            if (setLength > end - p)
            {
                counters.error(TYPE, DecodeError.TRUNCATED);
                break;
            }
            final int body = p + SET_HEADER_LENGTH;
            final int setEnd = p + setLength;
            if (setId >= MIN_DATA_SET_ID)
            {
                emitted += dataSets.onDataSet(ctx, setId, buffer, body, setEnd, sink);
            }
            else if (setId == TEMPLATE_SET_ID)
            {
                emitted += templateSet(ctx, buffer, body, setEnd, sink);
            }
            else if (setId == OPTIONS_TEMPLATE_SET_ID)
            {
                emitted += optionsTemplateSet(ctx, buffer, body, setEnd, sink);
            }
            p = setEnd;
        }
        return emitted;
    }

    private int templateSet(
        final MessageContext ctx, final DirectBuffer buffer, final int offset, final int end, final FlowSink sink)
    {
        int emitted = 0;
        int q = offset;
        while (end - q >= TEMPLATE_HEADER_LENGTH)
        {
            final int templateId = buffer.getShort(q + TEMPLATE_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int fieldCount = buffer.getShort(q + FIELD_COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (templateId < MIN_DATA_SET_ID)
            {
                badPadding(buffer, q, end);
                return emitted;
            }
            final int fieldsLength = fieldCount * FIELD_SPECIFIER_LENGTH;
            if (fieldsLength > end - q - TEMPLATE_HEADER_LENGTH)
            {
                counters.error(TYPE, DecodeError.BAD_TEMPLATE);
                return emitted;
            }
            readFields(buffer, q + TEMPLATE_HEADER_LENGTH, fieldCount, 0, 0);
            emitted += dataSets.onTemplate(ctx, templateId, Template.KIND_DATA, 0, definition, fieldCount, true, sink);
            q += TEMPLATE_HEADER_LENGTH + fieldsLength;
        }
        badPadding(buffer, q, end);
        return emitted;
    }

    private int optionsTemplateSet(
        final MessageContext ctx, final DirectBuffer buffer, final int offset, final int end, final FlowSink sink)
    {
        int emitted = 0;
        int q = offset;
        while (end - q >= OPTIONS_TEMPLATE_HEADER_LENGTH)
        {
            final int templateId = buffer.getShort(q + TEMPLATE_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int scopeLength = buffer.getShort(q + OPTIONS_SCOPE_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int optionsLength = buffer.getShort(q + OPTIONS_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (templateId < MIN_DATA_SET_ID)
            {
                badPadding(buffer, q, end);
                return emitted;
            }
            if (scopeLength % FIELD_SPECIFIER_LENGTH != 0 || optionsLength % FIELD_SPECIFIER_LENGTH != 0 ||
                scopeLength + optionsLength > end - q - OPTIONS_TEMPLATE_HEADER_LENGTH)
            {
                counters.error(TYPE, DecodeError.BAD_TEMPLATE);
                return emitted;
            }
            final int scopeCount = scopeLength / FIELD_SPECIFIER_LENGTH;
            final int optionCount = optionsLength / FIELD_SPECIFIER_LENGTH;
            final int fields = q + OPTIONS_TEMPLATE_HEADER_LENGTH;
            readFields(buffer, fields, scopeCount, 0, Template.SCOPE_FIELD);
            readFields(buffer, fields + scopeLength, optionCount, scopeCount, 0);
            emitted += dataSets.onTemplate(
                ctx, templateId, Template.KIND_OPTIONS, scopeCount, definition, scopeCount + optionCount, true, sink);
            q = fields + scopeLength + optionsLength;
        }
        badPadding(buffer, q, end);
        return emitted;
    }

    private void readFields(
        final DirectBuffer buffer, final int offset, final int count, final int firstIndex, final int enterprise)
    {
        for (int i = 0; i < count; i++)
        {
            final int f = offset + i * FIELD_SPECIFIER_LENGTH;
            final int d = (firstIndex + i) * Template.DEFINITION_STRIDE;
            definition[d] = buffer.getShort(f + FIELD_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            definition[d + 1] = buffer.getShort(f + FIELD_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            definition[d + 2] = enterprise;
        }
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
