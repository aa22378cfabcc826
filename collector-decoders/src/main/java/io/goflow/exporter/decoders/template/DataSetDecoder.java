package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.packet.SampledHeaderDecoder;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.sampling.SamplingSource;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.goflow.exporter.decoders.template.FieldAction.*;

/**
 * The template machinery shared by NetFlow v9 and IPFIX: stores announced templates, decodes data
 * sets by walking a {@link Template}'s compiled program into a preallocated {@link FlowRecord},
 * holds sets whose template is unknown and replays them when it arrives.
 *
 * <h2>Record semantics</h2>
 * <ul>
 *   <li><b>bytes</b>: IE 1 octetDeltaCount; else IE 85 octetTotalCount; else NSEL IE 231 + 232
 *       initiator + responder octets (Cisco ASA); else IE 23 postOctetDeltaCount. <b>packets</b>
 *       likewise from 2, 86, 298 + 299, 24. This is the order Wireshark uses, so figures compare
 *       with the truth files. Unsigned values of any length 1-8 are accepted (reduced-size
 *       encoding, RFC 7011 section 6.2). A record whose counters fail
 *       {@link FlowRecord#plausibleCounters} (2^64 - 1 among them) is dropped and counted
 *       {@link DecodeError#IMPLAUSIBLE_COUNTER}; so is a biflow's reverse record on its own.</li>
 *   <li><b>times</b>: every encoding to epoch ns, first present of ms, s, µs, ns, delta µs,
 *       sysUpTime (see {@link InformationElementDescriptor}); an end time missing but a start and
 *       a duration (161/162) present gives start + duration.</li>
 *   <li><b>sampling rate</b>, first that applies: the configured per-exporter override; rate fields
 *       in the record itself (Huawei and others); the options rate of the record's sampler ID (48
 *       or 302); the exporter's options rate without sampler ID; for a record without sampler ID,
 *       the rate of the exporter's only announced sampler; the configured default; else 0. A rate
 *       above {@link FlowRecord#MAX_SAMPLING_RATE} drops the record, and in options data is not
 *       learnt ({@link DecodeError#IMPLAUSIBLE_SAMPLING_RATE}).
 *       Within one record: 34, then 50, then 309/310 (population / size), 311 (1 / probability),
 *       305/306 ((interval + space) / interval), chosen by IE 304 when present; a fractional rate
 *       is rounded to the nearest integer. PSAMP selector reports (RFC 5476: IE 302 with 304 and
 *       305/306, 309/310 or 311 in options data) are remembered per selector id of the
 *       observation domain, so a packet report carrying IE 302 takes its selector's rate. Where
 *       the rate came from ({@link SamplingSource}) is tallied per exporter in
 *       {@link ExporterSamplingTable}: an exporter that announces no sampling is a state
 *       ({@code source="none"}), not an error per record.</li>
 *   <li><b>packet reports</b> (RFC 5476 / RFC 7133; records with IE 315 dataLinkFrameSection,
 *       104 layer2packetSectionData, 313 ipHeaderPacketSection or 314 ipPayloadPacketSection):
 *       the first section field of the record is parsed by {@link SampledHeaderDecoder}, the
 *       parser sFlow raw headers use, over its first IE 410 sectionExportedOctets (or IE 103)
 *       bytes when given (beyond the field: counted {@link DecodeError#SECTION_MALFORMED}, field
 *       length used). A section with a non-zero IE 409 sectionOffset (or 102) is not parsed.
 *       Header fields fill what the record's own fields do not give: a field present in the
 *       record always wins. IE 314 yields ports / flags / ICMP after a whole IP header section
 *       (313 holding just the header), or alone when the record has IE 4.
 *       Counters: with no byte counter (1, 85, 231/232, 23) bytes are the L3 length from the
 *       header (IPv4 total length, IPv6 payload length + 40), else IE 224 ipTotalLength, else
 *       IE 312 dataLinkFrameSize, else the section length; with no packet counter (2, 86,
 *       298/299, 24) packets are 1. IE 312 is also {@link FlowRecord#frameLength}. A section cut
 *       inside a header counts {@link DecodeError#SECTION_TRUNCATED}, a lying one
 *       {@link DecodeError#SECTION_MALFORMED}; the record is emitted either way.</li>
 *   <li><b>addresses</b>: a record carrying both IPv4 (8/12) and IPv6 (27/28) fields keeps the
 *       non-zero one, IPv4 when both are set (Wireshark keys on IPv4 first).</li>
 *   <li><b>RFC 5103 biflow</b>: a record with reverse counters (PEN 29305, IE 1/2 or 85/86) that
 *       are not both zero is followed by a second record with {@link FlowRecord#reverse} set, the
 *       key fields swapped and the reverse counters and times (forward times when the template has
 *       no reverse time). With both reverse counters zero no reverse record is emitted: there was
 *       no reverse traffic to count. The reverse record starts from a copy of the forward one with
 *       the enrichment outputs cleared, in case a sink enriched the forward record in place.</li>
 * </ul>
 *
 * <h2>Data before template</h2>
 * A data set whose template is unknown is copied into the exporter's {@link HeldSetBuffer} and not
 * counted as an error: it is not lost yet. When the template arrives the held sets are decoded with
 * their own header context (their records counted as decoded); a held set whose template does not
 * arrive in time expires in {@link ExporterTable#onTimer} (counted once,
 * {@link DecodeError#NO_TEMPLATE_EXPIRED}). A set that cannot be held is dropped and counted once:
 * {@link DecodeError#PENDING_FULL} when the buffer is full, {@link DecodeError#NO_TEMPLATE} when
 * holding is disabled. So every set without a known template ends in exactly one of: decoded on
 * replay, still held ({@link ExporterStats#heldSetsNow}), or one of those three drop reasons.
 *
 * <p>Owned by the decoding thread; allocation-free except when a new or changed template is stored
 * or a hold buffer grows.
 */
public final class DataSetDecoder implements HeldSetBuffer.ReplayHandler
{
    private static final long NS_PER_SEC = 1_000_000_000L;
    private static final long NS_PER_MS = 1_000_000L;
    /**
     * Template fields read (one per field of each record walked) in one message, or in one held
     * set on replay; the records after it are dropped, counted {@link DecodeError#FIELD_BUDGET}.
     * A datagram holds at most 65,535 bytes, so real templates (at least a byte per field for
     * most of them, see {@link Template}) stay below it; this bounds the decode time of any
     * datagram whatever its templates.
     */
    public static final int MAX_FIELD_READS_PER_DATAGRAM = 65_536;
    /** Seconds from the NTP era 0 (1900-01-01) to the UNIX epoch, RFC 7011 section 6.1.10. */
    private static final long NTP_UNIX_OFFSET_SEC = 2_208_988_800L;

    private static final int SET_SRC_V4 = 1;
    private static final int SET_DST_V4 = 1 << 1;
    private static final int SET_SRC_PORT = 1 << 2;
    private static final int SET_DST_PORT = 1 << 3;
    private static final int SET_SRC_MAC = 1 << 4;
    private static final int SET_DST_MAC = 1 << 5;
    private static final int SET_NEXT_HOP = 1 << 6;
    private static final int SET_IP_VERSION = 1 << 7;
    private static final int SET_ICMP_TYPE_CODE = 1 << 8;
    private static final int SET_PROTO = 1 << 9;
    private static final int SET_TOS = 1 << 10;
    private static final int SET_TCP_FLAGS = 1 << 11;
    private static final int SET_SRC_VLAN = 1 << 12;
    private static final int SET_ETHER_TYPE = 1 << 13;
    private static final int SET_ICMP = 1 << 14;

    private final DecoderSettings settings;
    private final DecodeCounters counters;
    private final ExporterTable exporters;
    private final FlowRecord record = new FlowRecord();
    private final FlowRecord reverseRecord = new FlowRecord();
    private final FlowRecord optionsRecord = new FlowRecord();
    /** The packet of a packet report's section, parsed before its fields are merged into the record. */
    private final FlowRecord sectionRecord = new FlowRecord();
    private final ExporterSamplingTable samplingStates;
    private final long[] scratch = new long[SCRATCH_SLOTS];
    private final MessageContext replayContext = new MessageContext();
    private long scratchMask;
    private int directMask;
    /**
     * Packet section of the record being walked: header protocol for {@link SampledHeaderDecoder}
     * (0 when none), offset and field length in the walked buffer; IE 314 payload section apart.
     */
    private int sectionProtocol;
    private int sectionOffset;
    private int sectionLength;
    private int payloadOffset;
    private int payloadLength;
    private FlowSink replaySink;
    private int replayEmitted;

    public DataSetDecoder(final DecoderSettings settings, final DecodeCounters counters, final ExporterTable exporters)
    {
        this(settings, counters, exporters, ExporterSamplingTable.of(settings));
    }

    /** A decoder reporting each exporter's sampling source to {@code samplingStates}. */
    public DataSetDecoder(
        final DecoderSettings settings,
        final DecodeCounters counters,
        final ExporterTable exporters,
        final ExporterSamplingTable samplingStates)
    {
        this.settings = settings;
        this.counters = counters;
        this.exporters = exporters;
        this.samplingStates = samplingStates;
    }

    public ExporterTable exporters()
    {
        return exporters;
    }

    /**
     * Stores one template record announced in a message, after validation, and replays the sets held
     * for it.
     *
     * @param definition          {@code fieldCount} triples (element id, length, enterprise).
     * @param allowVariableLength true for IPFIX.
     * @return flow records emitted by replaying held sets.
     */
    public int onTemplate(
        final MessageContext ctx,
        final int templateId,
        final int kind,
        final int scopeFieldCount,
        final int[] definition,
        final int fieldCount,
        final boolean allowVariableLength,
        final FlowSink sink)
    {
        final DecodeError invalid = Template.validate(definition, fieldCount, allowVariableLength);
        if (invalid != null)
        {
            counters.error(ctx.type, invalid);
            return 0;
        }
        final ExporterState exporter = ctx.exporter;
        final DecodeError error = exporter.putTemplate(
            templateId, kind, scopeFieldCount, definition, fieldCount, settings.maxTemplatesPerExporter(), ctx.receivedNs);
        if (error != null)
        {
            counters.error(ctx.type, error);
            return 0;
        }
        if (exporter.held.count() == 0)
        {
            return 0;
        }
        replaySink = sink;
        replayEmitted = 0;
        replayContext.begin(ctx.type, exporter, 0, 0, 0, ctx.hasSysUptime, ctx.receivedNs);
        final int replayed = exporter.held.replay(templateId, this);
        replaySink = null;
        if (replayed > 0)
        {
            exporters.addReplayed(exporter, replayed);
        }
        return replayEmitted;
    }

    /** {@inheritDoc} Decodes one held set with the header context it arrived with. */
    @Override
    public void onHeldSet(
        final long receivedNs,
        final long exportTimeSec,
        final long sequence,
        final int sysUptimeMs,
        final int templateId,
        final DirectBuffer body,
        final int offset,
        final int length)
    {
        final ExporterState exporter = replayContext.exporter;
        final Template template = exporter.template(templateId);
        if (template != null)
        {
            replayContext.begin(
                replayContext.type, exporter, sequence, exportTimeSec, sysUptimeMs, replayContext.hasSysUptime, receivedNs);
            replayEmitted += walkSet(replayContext, template, body, offset, offset + length, replaySink);
        }
    }

    /**
     * Decodes one data set, or holds it when its template is unknown.
     *
     * @param bodyOffset first byte after the set header.
     * @param bodyEnd    end of the set (exclusive), already checked against the datagram.
     * @return flow records emitted.
     */
    public int onDataSet(
        final MessageContext ctx,
        final int templateId,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int bodyEnd,
        final FlowSink sink)
    {
        final ExporterState exporter = ctx.exporter;
        final Template template = exporter.template(templateId);
        if (template != null)
        {
            return walkSet(ctx, template, buffer, bodyOffset, bodyEnd, sink);
        }
        ctx.incomplete = true;
        if (exporter.held.capacity() == 0)
        {
            exporter.refusedSets++;
            counters.error(ctx.type, DecodeError.NO_TEMPLATE);
            return 0;
        }
        if (exporter.held.hold(
            ctx.receivedNs, ctx.exportTimeSec, ctx.sequence, ctx.sysUptimeMs, templateId, buffer, bodyOffset,
            bodyEnd - bodyOffset))
        {
            exporter.heldSets++;
        }
        else
        {
            exporter.refusedSets++;
            counters.error(ctx.type, DecodeError.PENDING_FULL);
        }
        return 0;
    }

    /**
     * Walks every record of a set; the bytes after the last whole record are padding
     * (RFC 7011 section 3.3.1, RFC 3954 section 5.3). A non-empty set shorter than one record of
     * its template holds no record and is not padding after one: counted
     * {@link DecodeError#SHORT_DATA_SET}.
     */
    int walkSet(
        final MessageContext ctx,
        final Template template,
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final FlowSink sink)
    {
        final int emitted = walkRecords(ctx, template, buffer, offset, end, sink);
        if (emitted > 0)
        {
            counters.record(ctx.type, emitted);
        }
        samplingStates.flush(ctx.type, ctx.exporter.addrHi, ctx.exporter.addrLo, ctx.receivedNs);
        return emitted;
    }

    private int walkRecords(
        final MessageContext ctx,
        final Template template,
        final DirectBuffer buffer,
        final int offset,
        final int end,
        final FlowSink sink)
    {
        final int minLength = template.minRecordLength();
        final int[] program = template.program();
        final boolean options = template.kind() == Template.KIND_OPTIONS;
        final int maxRecords = settings.maxRecordsPerDatagram();
        final int maxFieldReads = MAX_FIELD_READS_PER_DATAGRAM - program.length;
        if (end - offset < minLength)
        {
            if (end > offset)
            {
                ctx.incomplete = true;
                counters.error(ctx.type, DecodeError.SHORT_DATA_SET);
            }
            return 0;
        }
        int emitted = 0;
        int p = offset;
        while (end - p >= minLength)
        {
            if (ctx.records >= maxRecords)
            {
                capReached(ctx, DecodeError.TOO_MANY_RECORDS);
                return emitted;
            }
            if (ctx.fieldReads > maxFieldReads)
            {
                capReached(ctx, DecodeError.FIELD_BUDGET);
                return emitted;
            }
            ctx.fieldReads += program.length;
            final FlowRecord r = options ? optionsRecord : record;
            r.reset();
            scratchMask = 0;
            directMask = 0;
            sectionProtocol = 0;
            payloadLength = 0;
            final int next = walkRecord(program, buffer, p, end, r);
            if (next < 0)
            {
                ctx.incomplete = true;
                counters.error(ctx.type, DecodeError.BAD_LENGTH);
                return emitted;
            }
            p = next;
            ctx.records++;
            if (options)
            {
                ctx.optionsRecords++;
                finishOptions(ctx, r, sink);
            }
            else
            {
                emitted += finishFlow(ctx, template, buffer, r, sink);
            }
        }
        return emitted;
    }

    /** Stops the message at a per-datagram cap, counting {@code reason} once per message. */
    private void capReached(final MessageContext ctx, final DecodeError reason)
    {
        if (!ctx.capReached)
        {
            ctx.capReached = true;
            ctx.incomplete = true;
            counters.error(ctx.type, reason);
        }
    }

    /** @return the offset after the record, or -1 when a field overruns {@code end}. */
    private int walkRecord(final int[] program, final DirectBuffer buffer, final int offset, final int end, final FlowRecord r)
    {
        int p = offset;
        for (final int op : program)
        {
            int length = op & 0xFFFF;
            if (length == InformationElementDescriptor.VARIABLE_LENGTH)
            {
                if (p >= end)
                {
                    return -1;
                }
                length = buffer.getByte(p) & 0xFF;
                p++;
                if (length == 255)
                {
                    if (end - p < 2)
                    {
                        return -1;
                    }
                    length = buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                    p += 2;
                }
            }
            if (length > end - p)
            {
                return -1;
            }
            final int action = op >>> 16;
            if (action >= SCRATCH_BASE)
            {
                final long bit = 1L << (action - SCRATCH_BASE);
                if ((scratchMask & bit) == 0 && length > 0)
                {
                    scratchMask |= bit;
                    scratch[action - SCRATCH_BASE] = unsigned(buffer, p, length);
                }
            }
            else if (action != SKIP && length > 0)
            {
                apply(action, buffer, p, length, r);
            }
            p += length;
        }
        return p;
    }

    /**
     * Writes a direct (non-scratch) field into the record. A field marked in {@code directMask} wins
     * over its fallbacks (ports over alternate ports, MACs over post MACs, type-code over type and
     * code, next hop over BGP next hop, IPv4 over IPv6) whatever their order in the template.
     */
    private void apply(final int action, final DirectBuffer b, final int p, final int length, final FlowRecord r)
    {
        switch (action)
        {
            case PROTO -> r.proto = (int)marked(SET_PROTO, unsigned(b, p, length));
            case TOS -> r.tos = (int)marked(SET_TOS, unsigned(b, p, length));
            case TCP_FLAGS -> r.tcpFlags = (int)marked(SET_TCP_FLAGS, unsigned(b, p, length));
            case SRC_PORT -> r.srcPort = (int)marked(SET_SRC_PORT, unsigned(b, p, length));
            case DST_PORT -> r.dstPort = (int)marked(SET_DST_PORT, unsigned(b, p, length));
            case SRC_PORT_ALT -> r.srcPort = unset(SET_SRC_PORT) ? (int)unsigned(b, p, length) : r.srcPort;
            case DST_PORT_ALT -> r.dstPort = unset(SET_DST_PORT) ? (int)unsigned(b, p, length) : r.dstPort;
            case SRC_V4, DST_V4 -> ipv4(action == SRC_V4, b, p, length, r);
            case SRC_V6, DST_V6 -> ipv6(action == SRC_V6, b, p, length, r);
            case SRC_MASK -> r.srcMask = (int)unsigned(b, p, length);
            case DST_MASK -> r.dstMask = (int)unsigned(b, p, length);
            case IN_IF -> r.inIf = unsigned(b, p, length);
            case OUT_IF -> r.outIf = unsigned(b, p, length);
            case NEXT_HOP_V4, NEXT_HOP_V6, BGP_NEXT_HOP_V4, BGP_NEXT_HOP_V6 -> nextHop(action, b, p, length, r);
            case SRC_AS -> r.srcAs = unsigned(b, p, length);
            case DST_AS -> r.dstAs = unsigned(b, p, length);
            case ICMP_TYPE_CODE ->
            {
                final int typeCode = (int)unsigned(b, p, length);
                r.icmpType = (typeCode >>> 8) & 0xFF;
                r.icmpCode = typeCode & 0xFF;
                directMask |= SET_ICMP_TYPE_CODE | SET_ICMP;
            }
            case ICMP_TYPE ->
                r.icmpType = unset(SET_ICMP_TYPE_CODE) ? (int)marked(SET_ICMP, unsigned(b, p, length)) : r.icmpType;
            case ICMP_CODE ->
                r.icmpCode = unset(SET_ICMP_TYPE_CODE) ? (int)marked(SET_ICMP, unsigned(b, p, length)) : r.icmpCode;
            case SRC_VLAN -> r.srcVlan = (int)marked(SET_SRC_VLAN, unsigned(b, p, length));
            case DST_VLAN -> r.dstVlan = (int)unsigned(b, p, length);
            case SRC_MAC -> r.srcMac = marked(SET_SRC_MAC, mac(b, p, length));
            case DST_MAC -> r.dstMac = marked(SET_DST_MAC, mac(b, p, length));
            case SRC_MAC_POST -> r.srcMac = unset(SET_SRC_MAC) ? mac(b, p, length) : r.srcMac;
            case DST_MAC_POST -> r.dstMac = unset(SET_DST_MAC) ? mac(b, p, length) : r.dstMac;
            case DIRECTION -> r.direction = (int)unsigned(b, p, length);
            case FORWARDING_STATUS -> r.forwardingStatus = (int)unsigned(b, p, length);
            case INTERFACE_NAME -> r.interfaceName(b, p, length, true);
            case INTERFACE_DESCRIPTION -> r.interfaceName(b, p, length, false);
            case IP_VERSION -> r.ipVersion = (int)marked(SET_IP_VERSION, unsigned(b, p, length));
            case ETHER_TYPE -> r.etherType = (int)marked(SET_ETHER_TYPE, unsigned(b, p, length));
            case SECTION_L2 -> section(SampledHeaderDecoder.HEADER_PROTOCOL_ETHERNET, p, length);
            case SECTION_IP -> section(SampledHeaderDecoder.HEADER_PROTOCOL_IP, p, length);
            case SECTION_PAYLOAD ->
            {
                if (payloadLength == 0)
                {
                    payloadOffset = p;
                    payloadLength = length;
                }
            }
            case SAMPLING_PROBABILITY ->
            {
                final long bit = 1L << S_SAMPLING_PROBABILITY;
                if ((scratchMask & bit) == 0 && (length == 4 || length == 8))
                {
                    final double probability = length == 8 ?
                        b.getDouble(p, ByteOrder.BIG_ENDIAN) : b.getFloat(p, ByteOrder.BIG_ENDIAN);
                    scratchMask |= bit;
                    scratch[S_SAMPLING_PROBABILITY] = Double.doubleToRawLongBits(probability);
                }
            }
            default ->
            {
            }
        }
    }

    /** @return {@code value}, after marking {@code mark} in {@code directMask}. */
    private long marked(final int mark, final long value)
    {
        directMask |= mark;
        return value;
    }

    private boolean unset(final int mark)
    {
        return (directMask & mark) == 0;
    }

    /**
     * IE 8 / 12: kept unless it is 0.0.0.0 and the record already holds a non-zero address (from
     * IE 27 / 28); a non-zero one marks the side so that a later IPv6 field does not replace it.
     */
    private void ipv4(final boolean source, final DirectBuffer b, final int p, final int length, final FlowRecord r)
    {
        if (length == 4)
        {
            final int v4 = b.getInt(p, ByteOrder.BIG_ENDIAN);
            final boolean present = source ? r.srcAddrPresent : r.dstAddrPresent;
            final boolean zero = source ? (r.srcAddrHi == 0 && r.srcAddrLo == 0) : (r.dstAddrHi == 0 && r.dstAddrLo == 0);
            if (v4 != 0 || !present || zero)
            {
                if (source)
                {
                    r.srcIpv4(v4);
                }
                else
                {
                    r.dstIpv4(v4);
                }
                ipVersion(r, 4);
                directMask |= v4 != 0 ? (source ? SET_SRC_V4 : SET_DST_V4) : 0;
            }
        }
    }

    /** IE 27 / 28: kept unless the side holds a non-zero IPv4 address, or it is :: and an address is present. */
    private void ipv6(final boolean source, final DirectBuffer b, final int p, final int length, final FlowRecord r)
    {
        if (length == 16 && unset(source ? SET_SRC_V4 : SET_DST_V4))
        {
            final long hi = b.getLong(p, ByteOrder.BIG_ENDIAN);
            final long lo = b.getLong(p + 8, ByteOrder.BIG_ENDIAN);
            if ((hi | lo) != 0 || !(source ? r.srcAddrPresent : r.dstAddrPresent))
            {
                if (source)
                {
                    r.srcIpv6(hi, lo);
                }
                else
                {
                    r.dstIpv6(hi, lo);
                }
                ipVersion(r, 6);
            }
        }
    }

    /** IE 15 / 62 next hop, marked; IE 18 / 63 BGP next hop only where no next hop was given. */
    private void nextHop(final int action, final DirectBuffer b, final int p, final int length, final FlowRecord r)
    {
        final boolean primary = action == NEXT_HOP_V4 || action == NEXT_HOP_V6;
        final boolean v4 = action == NEXT_HOP_V4 || action == BGP_NEXT_HOP_V4;
        if (length == (v4 ? 4 : 16) && (primary || unset(SET_NEXT_HOP)))
        {
            if (v4)
            {
                r.nextHopIpv4(b.getInt(p, ByteOrder.BIG_ENDIAN));
            }
            else
            {
                r.nextHopIpv6(b.getLong(p, ByteOrder.BIG_ENDIAN), b.getLong(p + 8, ByteOrder.BIG_ENDIAN));
            }
            directMask |= primary ? SET_NEXT_HOP : 0;
        }
    }

    /** Remembers the first header section of the record (parsed in {@link #packetReport}). */
    private void section(final int headerProtocol, final int offset, final int length)
    {
        if (sectionProtocol == 0)
        {
            sectionProtocol = headerProtocol;
            sectionOffset = offset;
            sectionLength = length;
        }
    }

    private void ipVersion(final FlowRecord r, final int version)
    {
        if ((directMask & SET_IP_VERSION) == 0)
        {
            r.ipVersion = version;
        }
    }

    private int finishFlow(
        final MessageContext ctx, final Template template, final DirectBuffer buffer, final FlowRecord r, final FlowSink sink)
    {
        final ExporterState exporter = ctx.exporter;
        header(ctx, r);
        r.bytes = counter(S_BYTES, S_BYTES_TOTAL, S_BYTES_INITIATOR, S_BYTES_RESPONDER, S_BYTES_POST);
        r.packets = counter(S_PACKETS, S_PACKETS_TOTAL, S_PACKETS_INITIATOR, S_PACKETS_RESPONDER, S_PACKETS_POST);
        if (sectionProtocol != 0 || payloadLength > 0)
        {
            packetReport(ctx, buffer, r);
        }
        if (!FlowRecord.plausibleCounters(r.bytes, r.packets))
        {
            counters.error(ctx.type, DecodeError.IMPLAUSIBLE_COUNTER);
            return 0;
        }
        r.timeFlowStartNs = timeNs(ctx, S_TIME);
        r.timeFlowEndNs = endTimeNs(ctx, S_TIME + S_TIME_END_OFFSET, r.timeFlowStartNs);

        final boolean hasSamplerId = has(S_SAMPLER_ID) || has(S_SELECTOR_ID);
        final long samplerId = has(S_SAMPLER_ID) ? scratch[S_SAMPLER_ID] : scratch[S_SELECTOR_ID];
        r.samplerId = hasSamplerId ? samplerId : 0;
        SamplingSource source = SamplingSource.CONFIG;
        long rate = exporter.overrideRate;
        if (rate == 0)
        {
            source = SamplingSource.RECORD;
            rate = recordRate();
        }
        if (rate == 0)
        {
            source = SamplingSource.OPTIONS;
            rate = hasSamplerId ? exporter.samplerRate(samplerId) : 0;
            if (rate == 0)
            {
                rate = exporter.optionsDefaultRate;
            }
            if (rate == 0 && !hasSamplerId)
            {
                rate = exporter.onlySamplerRate;
            }
        }
        if (rate == 0)
        {
            rate = settings.defaultSamplingRate();
            source = rate > 0 ? SamplingSource.DEFAULT : SamplingSource.NONE;
        }
        if (!FlowRecord.plausibleSamplingRate(rate))
        {
            counters.error(ctx.type, DecodeError.IMPLAUSIBLE_SAMPLING_RATE);
            return 0;
        }
        samplingStates.count(source, rate);
        r.samplingRate = rate;

        sink.onFlowRecord(r);
        if (!template.hasReverse())
        {
            return 1;
        }
        final long reverseBytes = has(S_REV_BYTES) ? scratch[S_REV_BYTES] : scratch[S_REV_BYTES_TOTAL];
        final long reversePackets = has(S_REV_PACKETS) ? scratch[S_REV_PACKETS] : scratch[S_REV_PACKETS_TOTAL];
        if (reverseBytes == 0 && reversePackets == 0)
        {
            return 1;
        }
        if (!FlowRecord.plausibleCounters(reverseBytes, reversePackets))
        {
            counters.error(ctx.type, DecodeError.IMPLAUSIBLE_COUNTER);
            return 1;
        }
        emitReverse(ctx, r, reverseBytes, reversePackets, sink);
        return 2;
    }

    /**
     * Fills a packet report (a record with a packet section, see the class Javadoc) from its
     * section: the header fields the record's own fields did not give, and the counters it lacks.
     * A bad section is counted ({@link DecodeError#SECTION_TRUNCATED},
     * {@link DecodeError#SECTION_MALFORMED}) and the record kept.
     */
    private void packetReport(final MessageContext ctx, final DirectBuffer buffer, final FlowRecord r)
    {
        final boolean headerSection = sectionProtocol != 0;
        int length = headerSection ? sectionLength : payloadLength;
        if (has(S_SECTION_EXPORTED))
        {
            if (scratch[S_SECTION_EXPORTED] > length)
            {
                counters.error(ctx.type, DecodeError.SECTION_MALFORMED);
            }
            else
            {
                length = (int)scratch[S_SECTION_EXPORTED];
            }
        }
        final FlowRecord h = sectionRecord;
        h.reset();
        final boolean fromPacketStart = !has(S_SECTION_OFFSET) || scratch[S_SECTION_OFFSET] == 0;
        int result = 0;
        if (fromPacketStart && headerSection)
        {
            result = SampledHeaderDecoder.decode(buffer, sectionOffset, length, sectionProtocol, h);
            if ((result & SampledHeaderDecoder.MALFORMED) != 0)
            {
                counters.error(ctx.type, DecodeError.SECTION_MALFORMED);
            }
            else if ((result & SampledHeaderDecoder.CUT) != 0)
            {
                counters.error(ctx.type, DecodeError.SECTION_TRUNCATED);
            }
            else if (payloadLength > 0 && SampledHeaderDecoder.foundAddresses(result) && h.srcPort == 0 && h.dstPort == 0
                && (result & SampledHeaderDecoder.LATER_FRAGMENT) == 0)
            {
                SampledHeaderDecoder.decodeTransportOnly(buffer, payloadOffset, payloadOffset + payloadLength, h);
            }
            mergeHeader(h, r);
        }
        else if (fromPacketStart && !headerSection && (directMask & SET_PROTO) != 0)
        {
            h.proto = r.proto;
            SampledHeaderDecoder.decodeTransportOnly(buffer, payloadOffset, payloadOffset + length, h);
            mergeTransport(h, r);
        }
        if (has(S_FRAME_SIZE))
        {
            r.frameLength = scratch[S_FRAME_SIZE];
        }
        if (!hasAny(S_BYTES, S_BYTES_TOTAL, S_BYTES_INITIATOR, S_BYTES_RESPONDER, S_BYTES_POST))
        {
            if ((result & SampledHeaderDecoder.FOUND_L3_LENGTH) != 0 && (result & SampledHeaderDecoder.MALFORMED) == 0)
            {
                r.bytes = h.bytes;
            }
            else if (has(S_IP_TOTAL_LENGTH))
            {
                r.bytes = scratch[S_IP_TOTAL_LENGTH];
            }
            else if (has(S_FRAME_SIZE))
            {
                r.bytes = scratch[S_FRAME_SIZE];
            }
            else
            {
                r.bytes = length;
            }
        }
        if (!hasAny(S_PACKETS, S_PACKETS_TOTAL, S_PACKETS_INITIATOR, S_PACKETS_RESPONDER, S_PACKETS_POST))
        {
            r.packets = 1;
        }
    }

    /** Copies the section's header fields into {@code r} where the record's own fields gave none. */
    private void mergeHeader(final FlowRecord h, final FlowRecord r)
    {
        if (!r.srcAddrPresent && h.srcAddrPresent)
        {
            r.srcAddrPresent = true;
            r.srcAddrHi = h.srcAddrHi;
            r.srcAddrLo = h.srcAddrLo;
        }
        if (!r.dstAddrPresent && h.dstAddrPresent)
        {
            r.dstAddrPresent = true;
            r.dstAddrHi = h.dstAddrHi;
            r.dstAddrLo = h.dstAddrLo;
        }
        if (r.ipVersion == 0)
        {
            r.ipVersion = h.ipVersion;
        }
        if ((directMask & SET_PROTO) == 0)
        {
            r.proto = h.proto;
        }
        if ((directMask & SET_TOS) == 0)
        {
            r.tos = h.tos;
        }
        if ((directMask & SET_SRC_VLAN) == 0 && r.srcVlan == 0)
        {
            r.srcVlan = h.srcVlan;
        }
        if ((directMask & SET_ETHER_TYPE) == 0)
        {
            r.etherType = h.etherType;
        }
        if ((directMask & SET_SRC_MAC) == 0 && r.srcMac == 0)
        {
            r.srcMac = h.srcMac;
        }
        if ((directMask & SET_DST_MAC) == 0 && r.dstMac == 0)
        {
            r.dstMac = h.dstMac;
        }
        mergeTransport(h, r);
    }

    private void mergeTransport(final FlowRecord h, final FlowRecord r)
    {
        if ((directMask & SET_SRC_PORT) == 0 && r.srcPort == 0)
        {
            r.srcPort = h.srcPort;
        }
        if ((directMask & SET_DST_PORT) == 0 && r.dstPort == 0)
        {
            r.dstPort = h.dstPort;
        }
        if ((directMask & SET_TCP_FLAGS) == 0)
        {
            r.tcpFlags = h.tcpFlags;
        }
        if ((directMask & SET_ICMP) == 0)
        {
            r.icmpType = h.icmpType;
            r.icmpCode = h.icmpCode;
        }
    }

    private void emitReverse(
        final MessageContext ctx, final FlowRecord forward, final long bytes, final long packets, final FlowSink sink)
    {
        final FlowRecord r = reverseRecord;
        r.copyFrom(forward);
        r.reverse = true;
        r.srcCountry = 0;
        r.dstCountry = 0;
        r.srcAsn = 0;
        r.dstAsn = 0;
        r.srcCityId = 0;
        r.dstCityId = 0;
        r.bytes = bytes;
        r.packets = packets;
        r.srcAddrPresent = forward.dstAddrPresent;
        r.srcAddrHi = forward.dstAddrHi;
        r.srcAddrLo = forward.dstAddrLo;
        r.dstAddrPresent = forward.srcAddrPresent;
        r.dstAddrHi = forward.srcAddrHi;
        r.dstAddrLo = forward.srcAddrLo;
        r.srcPort = forward.dstPort;
        r.dstPort = forward.srcPort;
        r.srcMask = forward.dstMask;
        r.dstMask = forward.srcMask;
        r.srcAs = forward.dstAs;
        r.dstAs = forward.srcAs;
        r.inIf = forward.outIf;
        r.outIf = forward.inIf;
        r.srcVlan = forward.dstVlan;
        r.dstVlan = forward.srcVlan;
        r.srcMac = forward.dstMac;
        r.dstMac = forward.srcMac;
        if (has(S_REV_TCP_FLAGS))
        {
            r.tcpFlags = (int)scratch[S_REV_TCP_FLAGS];
        }
        final long start = timeNs(ctx, S_TIME + S_TIME_REVERSE_OFFSET);
        if (start != 0)
        {
            r.timeFlowStartNs = start;
            r.timeFlowEndNs = endTimeNs(ctx, S_TIME + S_TIME_REVERSE_OFFSET + S_TIME_END_OFFSET, start);
        }
        sink.onFlowRecord(r);
    }

    private void finishOptions(final MessageContext ctx, final FlowRecord r, final FlowSink sink)
    {
        final ExporterState exporter = ctx.exporter;
        header(ctx, r);
        r.kind = FlowRecord.Kind.OPTIONS;
        final boolean hasSamplerId = has(S_SAMPLER_ID) || has(S_SELECTOR_ID);
        final long samplerId = has(S_SAMPLER_ID) ? scratch[S_SAMPLER_ID] : scratch[S_SELECTOR_ID];
        r.samplerId = hasSamplerId ? samplerId : 0;
        long rate = recordRate();
        if (!FlowRecord.plausibleSamplingRate(rate))
        {
            counters.error(ctx.type, DecodeError.IMPLAUSIBLE_SAMPLING_RATE);
            rate = 0;
        }
        if (rate != 0)
        {
            exporter.samplingFromOptions(hasSamplerId, samplerId, rate);
        }
        r.samplingRate = rate;
        if (has(S_SYSTEM_INIT_MS) && scratch[S_SYSTEM_INIT_MS] > 0)
        {
            exporter.systemInitMs = scratch[S_SYSTEM_INIT_MS];
        }
        sink.onOtherRecord(r);
    }

    private static void header(final MessageContext ctx, final FlowRecord r)
    {
        final ExporterState exporter = ctx.exporter;
        r.type = ctx.type;
        r.samplerAddrHi = exporter.addrHi;
        r.samplerAddrLo = exporter.addrLo;
        r.observationDomainId = exporter.domain;
        r.sequenceNum = ctx.sequence;
        r.timeReceivedNs = ctx.receivedNs;
    }

    private boolean has(final int slot)
    {
        return (scratchMask & (1L << slot)) != 0;
    }

    private boolean hasAny(final int a, final int b, final int c, final int d, final int e)
    {
        return (scratchMask & ((1L << a) | (1L << b) | (1L << c) | (1L << d) | (1L << e))) != 0;
    }

    private long counter(final int delta, final int total, final int initiator, final int responder, final int post)
    {
        if (has(delta))
        {
            return scratch[delta];
        }
        if (has(total))
        {
            return scratch[total];
        }
        if (has(initiator) || has(responder))
        {
            final long a = has(initiator) ? scratch[initiator] : 0;
            final long b = has(responder) ? scratch[responder] : 0;
            return FlowRecord.plausibleCounters(a, 0) && FlowRecord.plausibleCounters(b, 0) ? a + b : -1;
        }
        return has(post) ? scratch[post] : 0;
    }

    /**
     * @return the sampling rate carried by the record's own fields, 0 when none; unsigned, so an
     * absurd value on the wire (2^64 - 1) stays absurd for {@link FlowRecord#plausibleSamplingRate}.
     */
    private long recordRate()
    {
        if (has(S_SAMPLING_INTERVAL) && scratch[S_SAMPLING_INTERVAL] != 0)
        {
            return scratch[S_SAMPLING_INTERVAL];
        }
        if (has(S_SAMPLER_RANDOM_INTERVAL) && scratch[S_SAMPLER_RANDOM_INTERVAL] != 0)
        {
            return scratch[S_SAMPLER_RANDOM_INTERVAL];
        }
        final long algorithm = has(S_SELECTOR_ALGORITHM) ? scratch[S_SELECTOR_ALGORITHM] : -1;
        final long size = has(S_SAMPLING_SIZE) ? scratch[S_SAMPLING_SIZE] : 0;
        final long population = has(S_SAMPLING_POPULATION) ? scratch[S_SAMPLING_POPULATION] : 0;
        if (size != 0 && population != 0 && (algorithm == 3 || algorithm == -1))
        {
            return ratio(population, size);
        }
        if (has(S_SAMPLING_PROBABILITY) && (algorithm == 4 || algorithm == 5 || algorithm == -1))
        {
            final double probability = Double.longBitsToDouble(scratch[S_SAMPLING_PROBABILITY]);
            if (probability > 0 && probability <= 1)
            {
                return Math.round(1 / probability);
            }
        }
        final long interval = has(S_PACKET_INTERVAL) ? scratch[S_PACKET_INTERVAL] : 0;
        if (interval != 0 && (algorithm == 1 || algorithm == -1) && (has(S_PACKET_SPACE) || algorithm == 1))
        {
            final long space = has(S_PACKET_SPACE) ? scratch[S_PACKET_SPACE] : 0;
            return space < 0 || interval + space < 0 ? -1 : ratio(interval + space, interval);
        }
        if (size != 0 && population != 0)
        {
            return ratio(population, size);
        }
        return 0;
    }

    /**
     * @return {@code numerator / denominator} of two unsigned non-zero values rounded to the
     * nearest integer, at least 1; -1 (2^64 - 1 unsigned, absurd) when the numerator is at or
     * above 2^63.
     */
    private static long ratio(final long numerator, final long denominator)
    {
        if (numerator < 0)
        {
            return -1;
        }
        return denominator < 0 ? 1 : Math.max(1, Math.round((double)numerator / denominator));
    }

    private long endTimeNs(final MessageContext ctx, final int base, final long startNs)
    {
        final long end = timeNs(ctx, base);
        if (end != 0 || startNs == 0)
        {
            return end;
        }
        if (has(S_DURATION_MS))
        {
            return startNs + scratch[S_DURATION_MS] * NS_PER_MS;
        }
        if (has(S_DURATION_US))
        {
            return startNs + scratch[S_DURATION_US] * 1000;
        }
        return 0;
    }

    /** @return the epoch ns of the time whose slots start at {@code base}, 0 when absent. */
    private long timeNs(final MessageContext ctx, final int base)
    {
        if (has(base + TIME_MS))
        {
            return scratch[base + TIME_MS] * NS_PER_MS;
        }
        if (has(base + TIME_SEC))
        {
            return scratch[base + TIME_SEC] * NS_PER_SEC;
        }
        if (has(base + TIME_US))
        {
            return ntpToEpochNs(scratch[base + TIME_US]);
        }
        if (has(base + TIME_NS))
        {
            return ntpToEpochNs(scratch[base + TIME_NS]);
        }
        if (has(base + TIME_DELTA_US))
        {
            return ctx.exportTimeSec * NS_PER_SEC - scratch[base + TIME_DELTA_US] * 1000;
        }
        if (has(base + TIME_UPTIME_MS))
        {
            final long uptimeMs = scratch[base + TIME_UPTIME_MS];
            if (ctx.hasSysUptime)
            {
                return ctx.exportTimeSec * NS_PER_SEC - (long)(ctx.sysUptimeMs - (int)uptimeMs) * NS_PER_MS;
            }
            final long initMs = has(S_SYSTEM_INIT_MS) ? scratch[S_SYSTEM_INIT_MS] : ctx.exporter.systemInitMs;
            return initMs > 0 ? (initMs + uptimeMs) * NS_PER_MS : 0;
        }
        return 0;
    }

    /** RFC 7011 section 6.1.9/6.1.10: NTP seconds since 1900 and a 2^-32 s fraction. */
    static long ntpToEpochNs(final long ntp)
    {
        final long seconds = (ntp >>> 32) - NTP_UNIX_OFFSET_SEC;
        final long fraction = ntp & 0xFFFF_FFFFL;
        return seconds * NS_PER_SEC + ((fraction * NS_PER_SEC) >>> 32);
    }

    /** Big-endian unsigned value of 1-8 bytes; of a longer field, its last 8 bytes. */
    static long unsigned(final DirectBuffer b, final int p, final int length)
    {
        switch (length)
        {
            case 1:
                return b.getByte(p) & 0xFFL;
            case 2:
                return b.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
            case 4:
                return b.getInt(p, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            case 8:
                return b.getLong(p, ByteOrder.BIG_ENDIAN);
            default:
                long v = 0;
                for (int i = length > 8 ? p + length - 8 : p, end = p + length; i < end; i++)
                {
                    v = (v << 8) | (b.getByte(i) & 0xFFL);
                }
                return v;
        }
    }

    /** @return true when every byte in {@code [from, to)} is zero: set padding. */
    public static boolean isZeroPadding(final DirectBuffer b, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (b.getByte(i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static long mac(final DirectBuffer b, final int p, final int length)
    {
        return length == 6 ? unsigned(b, p, 6) : 0;
    }
}
