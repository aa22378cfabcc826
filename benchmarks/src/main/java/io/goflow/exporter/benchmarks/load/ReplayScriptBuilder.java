package io.goflow.exporter.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a capture of one exporter into a {@link ReplayScript}.
 *
 * <p>NetFlow v9 and IPFIX datagrams often carry templates and data together. Every datagram is cut
 * in two: its template sets (ids 0/1 for v9, RFC 3954 section 5.2-5.3; 2/3 for IPFIX, RFC 7011
 * section 3.4) plus any options data sets go to a template datagram, its data sets to a data
 * datagram, each with a copy of the original header whose record count (v9) or length (IPFIX) is
 * rewritten. Template datagrams of identical content are kept once. While walking the data sets
 * with the templates seen so far, the builder counts flow records, sums their packet and byte
 * counters, collects their 5-tuples and remembers where each source address sits, so the
 * generator can patch addresses and sequence numbers at send time without parsing.
 *
 * <p>NetFlow v5 and sFlow v5 carry no templates: their datagrams are all data. sFlow flow samples
 * are counted as flow records; their addresses are inside sampled headers and are not varied.
 *
 * <p>Load time only: allocates freely.
 */
final class ReplayScriptBuilder
{
    private static final int IE_OCTET_DELTA_COUNT = 1;
    private static final int IE_PACKET_DELTA_COUNT = 2;
    private static final int IE_PROTOCOL = 4;
    private static final int IE_SRC_PORT = 7;
    private static final int IE_SRC_IPV4 = 8;
    private static final int IE_DST_PORT = 11;
    private static final int IE_DST_IPV4 = 12;
    private static final int IE_SRC_IPV6 = 27;
    private static final int IE_DST_IPV6 = 28;
    private static final int IE_OCTET_TOTAL_COUNT = 85;
    private static final int IE_PACKET_TOTAL_COUNT = 86;
    private static final int VARIABLE_LENGTH = 0xFFFF;
    private static final int MIN_DATA_SET_ID = 256;
    private static final int SET_HEADER_LENGTH = 4;
    private static final int V5_RECORD_LENGTH = 48;
    private static final int SFLOW_FLOW_SAMPLE = 1;
    private static final int SFLOW_EXPANDED_FLOW_SAMPLE = 3;

    /** A template: information element ids (-1 for enterprise-specific) and field lengths. */
    private record Template(int[] ids, int[] lengths, boolean options)
    {
    }

    /** Flow-record facts gathered while walking one datagram's data sets. */
    private static final class Tally
    {
        int flowRecords;
        int dataRecords;
        long packets;
        long bytes;
        final List<Integer> srcOffsets = new ArrayList<>();
        final List<Byte> srcLengths = new ArrayList<>();

        ReplayDatagram toDatagram(final byte[] payload, final int headerRecords)
        {
            final int[] offsets = new int[srcOffsets.size()];
            final byte[] lengths = new byte[srcLengths.size()];
            for (int i = 0; i < offsets.length; i++)
            {
                offsets[i] = srcOffsets.get(i);
                lengths[i] = srcLengths.get(i);
            }
            return new ReplayDatagram(payload, flowRecords, dataRecords, headerRecords, packets, bytes, offsets, lengths);
        }
    }

    private final Map<Long, Template> templates = new HashMap<>();
    private final Map<ByteBuffer, ReplayDatagram> templateDatagrams = new LinkedHashMap<>();
    private final List<ReplayDatagram> dataDatagrams = new ArrayList<>();
    private final Set<String> flowKeys = new HashSet<>();

    private ReplayScriptBuilder()
    {
    }

    /**
     * Reads a capture and splits it.
     *
     * @throws IOException when the capture cannot be read, holds no export datagram, or holds more
     *                     than one exporter or protocol (replay scripts are per exporter).
     */
    static ReplayScript fromCapture(final Path capture) throws IOException
    {
        final List<CapturedPayloads.Payload> payloads = CapturedPayloads.read(capture);
        final String name = capture.getFileName().toString();
        ExportFormat format = null;
        int dstPort = -1;
        String source = null;
        final ReplayScriptBuilder builder = new ReplayScriptBuilder();
        for (final CapturedPayloads.Payload payload : payloads)
        {
            final ExportFormat f = ExportFormat.of(payload.bytes());
            if (f == null)
            {
                continue;
            }
            if (format == null)
            {
                format = f;
                dstPort = payload.dstPort();
                source = payload.sourceKey();
            }
            else if (f != format || !source.equals(payload.sourceKey()))
            {
                throw new IOException(name + ": more than one exporter or protocol; split the capture first");
            }
            builder.add(f, payload.bytes());
        }
        if (format == null)
        {
            throw new IOException(name + ": no NetFlow/IPFIX/sFlow datagram found");
        }
        return new ReplayScript(
            name, format, dstPort, List.copyOf(builder.templateDatagrams.values()), List.copyOf(builder.dataDatagrams),
            Set.copyOf(builder.flowKeys));
    }

    private void add(final ExportFormat format, final byte[] payload)
    {
        switch (format)
        {
            case NETFLOW_V5 -> addV5(payload);
            case SFLOW_V5 -> addSflow(payload);
            default -> addTemplated(format, payload);
        }
    }

    private void addV5(final byte[] payload)
    {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final int count = Math.min(b.getShort(2) & 0xFFFF, (payload.length - ExportFormat.NETFLOW_V5.headerLength()) / V5_RECORD_LENGTH);
        final Tally tally = new Tally();
        for (int i = 0; i < count; i++)
        {
            final int r = ExportFormat.NETFLOW_V5.headerLength() + i * V5_RECORD_LENGTH;
            tally.flowRecords++;
            tally.dataRecords++;
            tally.packets += b.getInt(r + 16) & 0xFFFF_FFFFL;
            tally.bytes += b.getInt(r + 20) & 0xFFFF_FFFFL;
            tally.srcOffsets.add(r);
            tally.srcLengths.add((byte)4);
            flowKeys.add(hex(payload, r, 4) + '|' + hex(payload, r + 4, 4) + '|' + (payload[r + 38] & 0xFF) + '|' +
                (b.getShort(r + 32) & 0xFFFF) + '|' + (b.getShort(r + 34) & 0xFFFF));
        }
        dataDatagrams.add(tally.toDatagram(payload, count));
    }

    private void addSflow(final byte[] payload)
    {
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final int agentLength = b.getInt(4) == 2 ? 16 : 4;
        int position = 8 + agentLength + 16;
        if (position > payload.length)
        {
            return;
        }
        final int samples = b.getInt(position - 4);
        final Tally tally = new Tally();
        for (int i = 0; i < samples && position + 8 <= payload.length; i++)
        {
            final int type = b.getInt(position);
            final int length = b.getInt(position + 4);
            if (length < 0 || position + 8 + length > payload.length)
            {
                break;
            }
            if (type == SFLOW_FLOW_SAMPLE || type == SFLOW_EXPANDED_FLOW_SAMPLE)
            {
                tally.flowRecords++;
                tally.dataRecords++;
            }
            position += 8 + length;
        }
        dataDatagrams.add(tally.toDatagram(payload, samples));
    }

    private void addTemplated(final ExportFormat format, final byte[] payload)
    {
        final boolean ipfix = format == ExportFormat.IPFIX;
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final int header = format.headerLength();
        final int end = ipfix ? Math.min(payload.length, b.getShort(2) & 0xFFFF) : payload.length;
        final long exporterDomain = b.getInt(ipfix ? 12 : 16) & 0xFFFF_FFFFL;
        final ByteArrayOutputStream templateSets = new ByteArrayOutputStream();
        final ByteArrayOutputStream dataSets = new ByteArrayOutputStream();
        final Tally templateTally = new Tally();
        final Tally dataTally = new Tally();
        int templateRecords = 0;
        int dataHeaderRecords = 0;
        int position = header;
        while (position + SET_HEADER_LENGTH <= end)
        {
            final int setId = b.getShort(position) & 0xFFFF;
            final int setLength = b.getShort(position + 2) & 0xFFFF;
            if (setLength < SET_HEADER_LENGTH || position + setLength > end)
            {
                break;
            }
            if (setId == (ipfix ? 2 : 0) || setId == (ipfix ? 3 : 1))
            {
                templateRecords += parseTemplates(b, position, setLength, ipfix, setId == (ipfix ? 3 : 1), exporterDomain);
                templateSets.write(payload, position, setLength);
            }
            else if (setId >= MIN_DATA_SET_ID)
            {
                final Template template = templates.get(exporterDomain << 16 | setId);
                if (template != null && template.options())
                {
                    final int n = walkRecords(b, position, setLength, template, null, 0);
                    templateRecords += n;
                    templateTally.dataRecords += n;
                    templateSets.write(payload, position, setLength);
                }
                else
                {
                    if (template != null)
                    {
                        final int n = walkRecords(b, position, setLength, template, dataTally, header + dataSets.size() - position);
                        dataHeaderRecords += n;
                    }
                    dataSets.write(payload, position, setLength);
                }
            }
            position += setLength;
        }
        if (templateSets.size() > 0)
        {
            final byte[] sets = templateSets.toByteArray();
            final int records = templateRecords;
            templateDatagrams.computeIfAbsent(
                ByteBuffer.wrap(sets), k -> templateTally.toDatagram(assemble(payload, header, sets, ipfix, records), records));
        }
        if (dataSets.size() > 0)
        {
            dataDatagrams.add(dataTally.toDatagram(assemble(payload, header, dataSets.toByteArray(), ipfix, dataHeaderRecords), dataHeaderRecords));
        }
    }

    private static byte[] assemble(final byte[] original, final int header, final byte[] sets, final boolean ipfix, final int records)
    {
        final byte[] out = new byte[header + sets.length];
        System.arraycopy(original, 0, out, 0, header);
        System.arraycopy(sets, 0, out, header, sets.length);
        ByteBuffer.wrap(out).putShort(2, (short)(ipfix ? out.length : records));
        return out;
    }

    private int parseTemplates(
        final ByteBuffer b, final int setStart, final int setLength, final boolean ipfix, final boolean options, final long exporterDomain)
    {
        final int end = setStart + setLength;
        int position = setStart + SET_HEADER_LENGTH;
        int records = 0;
        while (position + 4 <= end)
        {
            final int templateId = b.getShort(position) & 0xFFFF;
            final int fieldCount;
            if (!options)
            {
                fieldCount = b.getShort(position + 2) & 0xFFFF;
                position += 4;
            }
            else if (ipfix)
            {
                if (position + 6 > end)
                {
                    break;
                }
                fieldCount = b.getShort(position + 2) & 0xFFFF;
                position += 6;
            }
            else
            {
                if (position + 6 > end)
                {
                    break;
                }
                fieldCount = ((b.getShort(position + 2) & 0xFFFF) + (b.getShort(position + 4) & 0xFFFF)) / 4;
                position += 6;
            }
            if (templateId < MIN_DATA_SET_ID || fieldCount == 0)
            {
                break;
            }
            final int[] ids = new int[fieldCount];
            final int[] lengths = new int[fieldCount];
            for (int i = 0; i < fieldCount; i++)
            {
                if (position + 4 > end)
                {
                    return records;
                }
                final int id = b.getShort(position) & 0xFFFF;
                lengths[i] = b.getShort(position + 2) & 0xFFFF;
                position += 4;
                if (ipfix && (id & 0x8000) != 0)
                {
                    ids[i] = -1;
                    position += 4;
                }
                else
                {
                    ids[i] = id;
                }
            }
            templates.put(exporterDomain << 16 | templateId, new Template(ids, lengths, options));
            records++;
        }
        return records;
    }

    /**
     * Walks the records of a data set.
     *
     * @param tally       receives flow-record facts; null to count only.
     * @param shift       added to a position in the original datagram to get its position in the
     *                    datagram being assembled.
     * @return the number of whole records in the set.
     */
    private int walkRecords(
        final ByteBuffer b, final int setStart, final int setLength, final Template template, final Tally tally, final int shift)
    {
        final int end = setStart + setLength;
        int position = setStart + SET_HEADER_LENGTH;
        int records = 0;
        final int[] ids = template.ids();
        final int[] lengths = template.lengths();
        final int[] fieldOffsets = new int[ids.length];
        final int[] fieldLengths = new int[ids.length];
        while (position < end)
        {
            int p = position;
            boolean whole = true;
            for (int i = 0; i < ids.length; i++)
            {
                int length = lengths[i];
                if (length == VARIABLE_LENGTH)
                {
                    if (p + 1 > end)
                    {
                        whole = false;
                        break;
                    }
                    length = b.get(p) & 0xFF;
                    p++;
                    if (length == 255)
                    {
                        if (p + 2 > end)
                        {
                            whole = false;
                            break;
                        }
                        length = b.getShort(p) & 0xFFFF;
                        p += 2;
                    }
                }
                fieldOffsets[i] = p;
                fieldLengths[i] = length;
                p += length;
            }
            if (!whole || p > end || p == position)
            {
                break;
            }
            records++;
            if (tally != null)
            {
                tally(b, ids, fieldOffsets, fieldLengths, tally, shift);
            }
            position = p;
        }
        return records;
    }

    private void tally(
        final ByteBuffer b, final int[] ids, final int[] offsets, final int[] lengths, final Tally tally, final int shift)
    {
        tally.flowRecords++;
        tally.dataRecords++;
        String src = "";
        String dst = "";
        long proto = 0;
        long srcPort = 0;
        long dstPort = 0;
        for (int i = 0; i < ids.length; i++)
        {
            final int o = offsets[i];
            final int n = lengths[i];
            switch (ids[i])
            {
                case IE_OCTET_DELTA_COUNT, IE_OCTET_TOTAL_COUNT -> tally.bytes += unsigned(b, o, n);
                case IE_PACKET_DELTA_COUNT, IE_PACKET_TOTAL_COUNT -> tally.packets += unsigned(b, o, n);
                case IE_PROTOCOL -> proto = unsigned(b, o, n);
                case IE_SRC_PORT -> srcPort = unsigned(b, o, n);
                case IE_DST_PORT -> dstPort = unsigned(b, o, n);
                case IE_SRC_IPV4, IE_SRC_IPV6 ->
                {
                    if (n == 4 || n == 16)
                    {
                        src = hex(b.array(), o, n);
                        tally.srcOffsets.add(o + shift);
                        tally.srcLengths.add((byte)n);
                    }
                }
                case IE_DST_IPV4, IE_DST_IPV6 -> dst = hex(b.array(), o, n);
                default ->
                {
                }
            }
        }
        flowKeys.add(src + '|' + dst + '|' + proto + '|' + srcPort + '|' + dstPort);
    }

    private static long unsigned(final ByteBuffer b, final int offset, final int length)
    {
        long value = 0;
        for (int i = 0; i < Math.min(length, 8); i++)
        {
            value = value << 8 | (b.get(offset + i) & 0xFF);
        }
        return value;
    }

    private static String hex(final byte[] bytes, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++)
        {
            sb.append(Character.forDigit((bytes[offset + i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[offset + i] & 0xF, 16));
        }
        return sb.toString();
    }
}
