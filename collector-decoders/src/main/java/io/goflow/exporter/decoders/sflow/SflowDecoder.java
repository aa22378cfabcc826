package io.goflow.exporter.decoders.sflow;

import static io.goflow.exporter.decoders.sflow.SflowDescriptor.*;

import java.nio.ByteOrder;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.header.HeaderCheck;
import io.goflow.exporter.decoders.packet.SampledHeaderDecoder;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.sampling.SamplingOverrides;
import org.agrona.DirectBuffer;

/**
 * sFlow v5 datagram decoder (layout in {@link SflowDescriptor}). Allocation-free: one preallocated
 * {@link FlowRecord} is refilled for every sample.
 *
 * <h2>What is emitted</h2>
 * <ul>
 *   <li>One {@link FlowRecord.Kind#FLOW} record per flow sample (compact 0:1 and expanded 0:3),
 *       even when the sampled packet is not IP (addresses then absent).</li>
 *   <li>One {@link FlowRecord.Kind#INTERFACE_COUNTERS} record through
 *       {@link FlowSink#onOtherRecord} per generic interface counters record (0:1) of a counter
 *       sample (0:2 and 0:4): ifIndex, speed, in/out octets, in/out packets (unicast + multicast +
 *       broadcast), errors and discards.</li>
 * </ul>
 *
 * <h2>Byte semantics</h2>
 * {@link FlowRecord#bytes} is L3: the IP total length (IPv4) or payload length + 40 (IPv6) from
 * the first sampled header that holds an IP header, else the length of a sampled IPv4/IPv6
 * record; 0 when the sample carries no IP. {@link FlowRecord#packets} is 1.
 * {@link FlowRecord#frameLength} is what the agent reports as the packet's length: the first raw
 * header's frame_length, else a sampled Ethernet record's length, else a sampled IPv4/IPv6
 * record's length (the same precedence Wireshark-derived truth files use). When a sample holds
 * several records of the same kind, the first one wins.
 *
 * <h2>Other fields</h2>
 * sampler address = agent address (the datagram source when the agent type is 0 "unknown");
 * observation domain = sub-agent id; sequence number = the datagram's; sampling rate = the
 * configured override for the agent address (or, failing that, the datagram source), else the
 * sample's, else (0 in the sample) the configured default, else 0 (the source is the agent's state
 * in {@link ExporterSamplingTable}, not an error);
 * sampler id = {@code source_id_type << 32 | source_id_index}; flow start and end = the
 * receive time. Interfaces: the low 30 bits (compact) or the value (expanded) of input/output;
 * output format 1 (discarded) sets forwardingStatus 128 and outIf 0, format 2 (multiple) sets
 * forwardingStatus 64 and outIf 0, output 0x3FFFFFFF (internal) sets forwardingStatus 192 and
 * keeps the value, any other single output 64. Direction is ingress when the data source index
 * is the input interface, egress when it is the output interface. Extended switch gives VLANs
 * (overriding a tag found in the header); extended router the next hop and masks; extended gateway
 * src AS, next-hop AS (first AS of the path) and dst AS (last AS of the path, or the router's own
 * AS when the path is empty), and the BGP next hop when no router record gave one.
 *
 * <h2>Errors</h2>
 * Every length is checked before it is read and every nested length must fit its parent: a sample
 * or record header cut short counts {@code truncated}, a length beyond its parent {@code bad_length}
 * (the rest of the parent is then skipped), an unknown agent address type {@code bad_length}, a
 * sample or record of a format not decoded here (any other enterprise, or format) is skipped by
 * length and counted {@code unsupported}; a flow sample whose rate in force is above
 * {@link FlowRecord#MAX_SAMPLING_RATE} (2^24; sampling_rate is unsigned 32-bit on the wire) is
 * skipped and counted {@code implausible_sampling_rate}. A flow sample whose records are damaged is still
 * emitted with what was decoded. A datagram shorter than its header (version, agent address,
 * sub-agent id, sequence, uptime, sample count) is rejected whole as {@code truncated}, one with an
 * unknown agent address type as {@code bad_length} ({@link DecodeCounters#rejected}); otherwise it
 * is accepted ({@link DecodeCounters#datagram}) and what goes wrong later is an error. This decoder
 * counts the datagram, every flow record emitted and every error itself.
 *
 * <p>Thread ownership: one instance per decode shard.
 */
public final class SflowDecoder
{
    /** Version (u32) and agent address type (u32), the bytes read before the address. */
    private static final int VERSION_AND_ADDRESS_TYPE_LENGTH = 8;

    private final DecodeCounters counters;
    private final HeaderCheck headerCheck;
    private final SamplingOverrides sampling;
    private final ExporterSamplingTable samplingStates;
    private final FlowRecord record = new FlowRecord();

    private DirectBuffer buffer;
    private long agentHi;
    private long agentLo;
    private long exporterHi;
    private long exporterLo;
    private long subAgentId;
    private long datagramSequence;
    private long receivedNs;
    private FlowSink sink;

    private boolean haveFrameLength;
    private boolean haveIp;
    private boolean haveRouterNextHop;

    /** A decoder with {@link DecoderSettings#defaults()} (no override, no default rate). */
    public SflowDecoder(final DecodeCounters counters)
    {
        this(counters, DecoderSettings.defaults());
    }

    /** A decoder applying the sampling override and default of {@code settings}. */
    public SflowDecoder(final DecodeCounters counters, final DecoderSettings settings)
    {
        this(counters, settings, ExporterSamplingTable.of(settings));
    }

    /** A decoder that also reports each agent's sampling source to {@code samplingStates}. */
    public SflowDecoder(
        final DecodeCounters counters, final DecoderSettings settings, final ExporterSamplingTable samplingStates)
    {
        this.counters = counters;
        this.headerCheck = new HeaderCheck(
            counters, FlowType.SFLOW_5, VERSION_AND_ADDRESS_TYPE_LENGTH, VERSION_OFFSET, Integer.BYTES, VERSION);
        this.sampling = new SamplingOverrides(settings);
        this.samplingStates = samplingStates;
    }

    /**
     * Decodes one sFlow v5 datagram whose version field has been checked by the caller.
     *
     * @return the number of flow records emitted.
     */
    public int decode(
        final DatagramSource source, final DirectBuffer buffer, final int offset, final int length, final FlowSink sink)
    {
        final long exporterAddrHi = source.exporterAddrHi();
        final long exporterAddrLo = source.exporterAddrLo();
        final long receivedNs = source.receivedNs();
        final int end = offset + length;
        if (!headerCheck.accept(buffer, offset, length))
        {
            return 0;
        }
        final int addressType = buffer.getInt(offset + 4, ByteOrder.BIG_ENDIAN);
        int at = offset + 8;
        if (addressType == ADDRESS_IPV4)
        {
            if (end - at < 4)
            {
                headerCheck.reject(DecodeError.TRUNCATED);
                return 0;
            }
            agentHi = 0;
            agentLo = FlowRecord.ipv4MappedLo(buffer.getInt(at, ByteOrder.BIG_ENDIAN));
            at += 4;
        }
        else if (addressType == ADDRESS_IPV6)
        {
            if (end - at < 16)
            {
                headerCheck.reject(DecodeError.TRUNCATED);
                return 0;
            }
            agentHi = buffer.getLong(at, ByteOrder.BIG_ENDIAN);
            agentLo = buffer.getLong(at + 8, ByteOrder.BIG_ENDIAN);
            at += 16;
        }
        else if (addressType == 0)
        {
            agentHi = exporterAddrHi;
            agentLo = exporterAddrLo;
        }
        else
        {
            headerCheck.reject(DecodeError.BAD_LENGTH);
            return 0;
        }
        if (end - at < 16)
        {
            headerCheck.reject(DecodeError.TRUNCATED);
            return 0;
        }
        counters.datagram(FlowType.SFLOW_5);
        this.buffer = buffer;
        this.exporterHi = exporterAddrHi;
        this.exporterLo = exporterAddrLo;
        this.receivedNs = receivedNs;
        this.sink = sink;
        subAgentId = u32(at);
        datagramSequence = u32(at + 4);
        final long samples = u32(at + 12);
        at += 16;

        int emitted = 0;
        for (long i = 0; i < samples; i++)
        {
            if (end - at < STRUCTURE_HEADER_LENGTH)
            {
                error(DecodeError.TRUNCATED);
                break;
            }
            final int format = buffer.getInt(at, ByteOrder.BIG_ENDIAN);
            final long sampleLength = u32(at + 4);
            final int start = at + STRUCTURE_HEADER_LENGTH;
            if (sampleLength > end - start)
            {
                error(DecodeError.BAD_LENGTH);
                break;
            }
            final int sampleEnd = start + (int)sampleLength;
            if ((format >>> 12) != 0)
            {
                error(DecodeError.UNSUPPORTED);
            }
            else
            {
                switch (format & 0xFFF)
                {
                    case FORMAT_FLOW_SAMPLE:
                        emitted += flowSample(start, sampleEnd, false);
                        break;
                    case FORMAT_EXPANDED_FLOW_SAMPLE:
                        emitted += flowSample(start, sampleEnd, true);
                        break;
                    case FORMAT_COUNTER_SAMPLE:
                        counterSample(start, sampleEnd, false);
                        break;
                    case FORMAT_EXPANDED_COUNTER_SAMPLE:
                        counterSample(start, sampleEnd, true);
                        break;
                    default:
                        error(DecodeError.UNSUPPORTED);
                        break;
                }
            }
            at = sampleEnd;
        }
        this.sink = null;
        this.buffer = null;
        samplingStates.flush(FlowType.SFLOW_5, agentHi, agentLo, receivedNs);
        return emitted;
    }

    private int flowSample(final int start, final int end, final boolean expanded)
    {
        if (end - start < (expanded ? EXPANDED_FLOW_SAMPLE_FIXED_LENGTH : FLOW_SAMPLE_FIXED_LENGTH))
        {
            error(DecodeError.TRUNCATED);
            return 0;
        }
        final FlowRecord r = startRecord();
        final long sourceType;
        final long sourceIndex;
        final int inputFormat;
        final long inputValue;
        final int outputFormat;
        final long outputValue;
        final long records;
        int at;
        if (expanded)
        {
            sourceType = u32(start + 4);
            sourceIndex = u32(start + 8);
            r.samplingRate = sampleRate(u32(start + 12));
            inputFormat = buffer.getInt(start + 24, ByteOrder.BIG_ENDIAN);
            inputValue = u32(start + 28);
            outputFormat = buffer.getInt(start + 32, ByteOrder.BIG_ENDIAN);
            outputValue = u32(start + 36);
            records = u32(start + 40);
            at = start + EXPANDED_FLOW_SAMPLE_FIXED_LENGTH;
        }
        else
        {
            final int sourceId = buffer.getInt(start + 4, ByteOrder.BIG_ENDIAN);
            sourceType = sourceId >>> 24;
            sourceIndex = sourceId & 0x00FF_FFFF;
            r.samplingRate = sampleRate(u32(start + 8));
            final int input = buffer.getInt(start + 20, ByteOrder.BIG_ENDIAN);
            final int output = buffer.getInt(start + 24, ByteOrder.BIG_ENDIAN);
            inputFormat = input >>> INTERFACE_FORMAT_SHIFT;
            inputValue = input & INTERFACE_VALUE_MASK;
            outputFormat = output >>> INTERFACE_FORMAT_SHIFT;
            outputValue = output & INTERFACE_VALUE_MASK;
            records = u32(start + 28);
            at = start + FLOW_SAMPLE_FIXED_LENGTH;
        }
        if (r.samplingRate < 0)
        {
            error(DecodeError.IMPLAUSIBLE_SAMPLING_RATE);
            return 0;
        }
        r.samplerId = (sourceType << 32) | sourceIndex;
        r.inIf = inputFormat == INTERFACE_FORMAT_SINGLE ? inputValue : 0;
        if (outputFormat == INTERFACE_FORMAT_DISCARD)
        {
            r.outIf = 0;
            r.forwardingStatus = FORWARDING_DROPPED;
        }
        else if (outputFormat == INTERFACE_FORMAT_MULTIPLE)
        {
            r.outIf = 0;
            r.forwardingStatus = FORWARDING_FORWARDED;
        }
        else
        {
            r.outIf = outputValue;
            r.forwardingStatus = outputValue == INTERFACE_LOCAL ? FORWARDING_CONSUMED : FORWARDING_FORWARDED;
        }
        if (sourceIndex == r.inIf && r.inIf != 0)
        {
            r.direction = FlowRecord.DIRECTION_INGRESS;
        }
        else if (sourceIndex == r.outIf && r.outIf != 0)
        {
            r.direction = FlowRecord.DIRECTION_EGRESS;
        }

        haveFrameLength = false;
        haveIp = false;
        haveRouterNextHop = false;
        for (long i = 0; i < records; i++)
        {
            if (end - at < STRUCTURE_HEADER_LENGTH)
            {
                error(DecodeError.TRUNCATED);
                break;
            }
            final int format = buffer.getInt(at, ByteOrder.BIG_ENDIAN);
            final long recordLength = u32(at + 4);
            final int recordStart = at + STRUCTURE_HEADER_LENGTH;
            if (recordLength > end - recordStart)
            {
                error(DecodeError.BAD_LENGTH);
                break;
            }
            final int recordEnd = recordStart + (int)recordLength;
            if ((format >>> 12) != 0)
            {
                error(DecodeError.UNSUPPORTED);
            }
            else
            {
                flowRecord(format & 0xFFF, recordStart, recordEnd, r);
            }
            at = recordEnd;
        }
        counters.record(FlowType.SFLOW_5);
        sink.onFlowRecord(r);
        return 1;
    }

    /**
     * @return the rate in force for a sample reporting {@code reported}, tallied by its source; -1,
     * not tallied, when it is above {@link FlowRecord#MAX_SAMPLING_RATE}.
     */
    private long sampleRate(final long reported)
    {
        final long rate = sampling.rate(agentHi, agentLo, exporterHi, exporterLo, reported);
        if (!FlowRecord.plausibleSamplingRate(rate))
        {
            return -1;
        }
        samplingStates.count(sampling.source(agentHi, agentLo, exporterHi, exporterLo, reported), rate);
        return rate;
    }

    private void flowRecord(final int format, final int start, final int end, final FlowRecord r)
    {
        final int length = end - start;
        switch (format)
        {
            case RECORD_SAMPLED_HEADER:
                sampledHeader(start, end, r);
                break;
            case RECORD_SAMPLED_ETHERNET:
                if (length < SAMPLED_ETHERNET_LENGTH)
                {
                    error(DecodeError.BAD_LENGTH);
                    return;
                }
                if (!haveFrameLength)
                {
                    haveFrameLength = true;
                    r.frameLength = u32(start);
                }
                if (r.srcMac == 0 && r.dstMac == 0)
                {
                    r.srcMac = mac(start + 4);
                    r.dstMac = mac(start + 12);
                }
                if (r.etherType == 0)
                {
                    r.etherType = buffer.getInt(start + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                }
                break;
            case RECORD_SAMPLED_IPV4:
            case RECORD_SAMPLED_IPV6:
                sampledIp(format == RECORD_SAMPLED_IPV6, start, length, r);
                break;
            case RECORD_EXTENDED_SWITCH:
                if (length < EXTENDED_SWITCH_LENGTH)
                {
                    error(DecodeError.BAD_LENGTH);
                    return;
                }
                r.srcVlan = buffer.getInt(start, ByteOrder.BIG_ENDIAN) & 0xFFF;
                r.dstVlan = buffer.getInt(start + 8, ByteOrder.BIG_ENDIAN) & 0xFFF;
                break;
            case RECORD_EXTENDED_ROUTER:
                extendedRouter(start, end, r);
                break;
            case RECORD_EXTENDED_GATEWAY:
                extendedGateway(start, end, r);
                break;
            default:
                error(DecodeError.UNSUPPORTED);
                break;
        }
    }

    private void sampledHeader(final int start, final int end, final FlowRecord r)
    {
        if (end - start < SAMPLED_HEADER_FIXED_LENGTH)
        {
            error(DecodeError.BAD_LENGTH);
            return;
        }
        final int headerProtocol = buffer.getInt(start, ByteOrder.BIG_ENDIAN);
        final long frameLength = u32(start + 4);
        final long headerLength = u32(start + 12);
        final int header = start + SAMPLED_HEADER_FIXED_LENGTH;
        if (headerLength > end - header)
        {
            error(DecodeError.BAD_LENGTH);
            return;
        }
        if (!haveFrameLength)
        {
            haveFrameLength = true;
            r.frameLength = frameLength;
            if (!haveIp)
            {
                haveIp = SampledHeaderDecoder.foundAddresses(
                    SampledHeaderDecoder.decode(buffer, header, (int)headerLength, headerProtocol, r));
            }
        }
    }

    private void sampledIp(final boolean ipv6, final int start, final int length, final FlowRecord r)
    {
        if (length < (ipv6 ? SAMPLED_IPV6_LENGTH : SAMPLED_IPV4_LENGTH))
        {
            error(DecodeError.BAD_LENGTH);
            return;
        }
        final long ipLength = u32(start);
        if (!haveFrameLength)
        {
            haveFrameLength = true;
            r.frameLength = ipLength;
        }
        if (haveIp)
        {
            return;
        }
        haveIp = true;
        r.bytes = ipLength;
        r.proto = buffer.getInt(start + 4, ByteOrder.BIG_ENDIAN) & 0xFF;
        final int ports;
        if (ipv6)
        {
            r.ipVersion = 6;
            r.etherType = SampledHeaderDecoder.ETHERTYPE_IPV6;
            r.srcIpv6(buffer.getLong(start + 8, ByteOrder.BIG_ENDIAN), buffer.getLong(start + 16, ByteOrder.BIG_ENDIAN));
            r.dstIpv6(buffer.getLong(start + 24, ByteOrder.BIG_ENDIAN), buffer.getLong(start + 32, ByteOrder.BIG_ENDIAN));
            ports = start + 40;
        }
        else
        {
            r.ipVersion = 4;
            r.etherType = SampledHeaderDecoder.ETHERTYPE_IPV4;
            r.srcIpv4(buffer.getInt(start + 8, ByteOrder.BIG_ENDIAN));
            r.dstIpv4(buffer.getInt(start + 12, ByteOrder.BIG_ENDIAN));
            ports = start + 16;
        }
        r.srcPort = buffer.getInt(ports, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        r.dstPort = buffer.getInt(ports + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        r.tcpFlags = buffer.getInt(ports + 8, ByteOrder.BIG_ENDIAN) & 0xFF;
        r.tos = buffer.getInt(ports + 12, ByteOrder.BIG_ENDIAN) & 0xFF;
    }

    private void extendedRouter(final int start, final int end, final FlowRecord r)
    {
        final int at = nextHop(start, end, r, true);
        if (at < 0)
        {
            return;
        }
        if (end - at < 8)
        {
            error(DecodeError.BAD_LENGTH);
            return;
        }
        r.srcMask = buffer.getInt(at, ByteOrder.BIG_ENDIAN) & 0xFF;
        r.dstMask = buffer.getInt(at + 4, ByteOrder.BIG_ENDIAN) & 0xFF;
    }

    private void extendedGateway(final int start, final int end, final FlowRecord r)
    {
        int at = nextHop(start, end, r, false);
        if (at < 0)
        {
            return;
        }
        if (end - at < 16)
        {
            error(DecodeError.BAD_LENGTH);
            return;
        }
        final long routerAs = u32(at);
        r.srcAs = u32(at + 4);
        final long segments = u32(at + 12);
        at += 16;
        long firstAs = 0;
        long lastAs = 0;
        boolean any = false;
        for (long s = 0; s < segments; s++)
        {
            if (end - at < 8 || s == AS_PATH_MAX_SEGMENTS)
            {
                error(DecodeError.BAD_LENGTH);
                return;
            }
            final long count = u32(at + 4);
            at += 8;
            if (count > (end - at) / 4)
            {
                error(DecodeError.BAD_LENGTH);
                return;
            }
            if (count > 0)
            {
                if (!any)
                {
                    firstAs = u32(at);
                    any = true;
                }
                lastAs = u32(at + (int)(count - 1) * 4);
            }
            at += (int)count * 4;
        }
        r.nextHopAs = firstAs;
        r.dstAs = any ? lastAs : routerAs;
    }

    /**
     * Reads an sFlow {@code address} (type + 4 or 16 bytes) as the next hop.
     *
     * @return the offset after it, or -1 (counted) when it does not fit.
     */
    private int nextHop(final int start, final int end, final FlowRecord r, final boolean router)
    {
        if (end - start < 4)
        {
            error(DecodeError.BAD_LENGTH);
            return -1;
        }
        final int type = buffer.getInt(start, ByteOrder.BIG_ENDIAN);
        final int at = start + 4;
        final boolean set = router || !haveRouterNextHop;
        if (type == ADDRESS_IPV4)
        {
            if (end - at < 4)
            {
                error(DecodeError.BAD_LENGTH);
                return -1;
            }
            if (set)
            {
                r.nextHopIpv4(buffer.getInt(at, ByteOrder.BIG_ENDIAN));
            }
            haveRouterNextHop |= router;
            return at + 4;
        }
        if (type == ADDRESS_IPV6)
        {
            if (end - at < 16)
            {
                error(DecodeError.BAD_LENGTH);
                return -1;
            }
            if (set)
            {
                r.nextHopIpv6(buffer.getLong(at, ByteOrder.BIG_ENDIAN), buffer.getLong(at + 8, ByteOrder.BIG_ENDIAN));
            }
            haveRouterNextHop |= router;
            return at + 16;
        }
        if (type == 0)
        {
            return at;
        }
        error(DecodeError.BAD_LENGTH);
        return -1;
    }

    private void counterSample(final int start, final int end, final boolean expanded)
    {
        if (end - start < (expanded ? EXPANDED_COUNTER_SAMPLE_FIXED_LENGTH : COUNTER_SAMPLE_FIXED_LENGTH))
        {
            error(DecodeError.TRUNCATED);
            return;
        }
        final long samplerId;
        final long records;
        int at;
        if (expanded)
        {
            samplerId = (u32(start + 4) << 32) | u32(start + 8);
            records = u32(start + 12);
            at = start + EXPANDED_COUNTER_SAMPLE_FIXED_LENGTH;
        }
        else
        {
            final int sourceId = buffer.getInt(start + 4, ByteOrder.BIG_ENDIAN);
            samplerId = ((long)(sourceId >>> 24) << 32) | (sourceId & 0x00FF_FFFF);
            records = u32(start + 8);
            at = start + COUNTER_SAMPLE_FIXED_LENGTH;
        }
        for (long i = 0; i < records; i++)
        {
            if (end - at < STRUCTURE_HEADER_LENGTH)
            {
                error(DecodeError.TRUNCATED);
                return;
            }
            final int format = buffer.getInt(at, ByteOrder.BIG_ENDIAN);
            final long recordLength = u32(at + 4);
            final int recordStart = at + STRUCTURE_HEADER_LENGTH;
            if (recordLength > end - recordStart)
            {
                error(DecodeError.BAD_LENGTH);
                return;
            }
            if (format == COUNTER_GENERIC_INTERFACE)
            {
                if (recordLength < IF_COUNTERS_LENGTH)
                {
                    error(DecodeError.BAD_LENGTH);
                }
                else
                {
                    interfaceCounters(recordStart, samplerId);
                }
            }
            else
            {
                error(DecodeError.UNSUPPORTED);
            }
            at = recordStart + (int)recordLength;
        }
    }

    private void interfaceCounters(final int at, final long samplerId)
    {
        final FlowRecord r = startRecord();
        r.kind = FlowRecord.Kind.INTERFACE_COUNTERS;
        r.samplerId = samplerId;
        r.packets = 0;
        r.ifIndex = u32(at + IF_INDEX_OFFSET);
        r.ifSpeed = buffer.getLong(at + IF_SPEED_OFFSET, ByteOrder.BIG_ENDIAN);
        r.ifDirection = (int)u32(at + IF_DIRECTION_OFFSET);
        r.ifInOctets = buffer.getLong(at + IF_IN_OCTETS_OFFSET, ByteOrder.BIG_ENDIAN);
        r.ifInPackets = u32(at + IF_IN_UCAST_OFFSET) + u32(at + IF_IN_MCAST_OFFSET) + u32(at + IF_IN_BCAST_OFFSET);
        r.ifInDiscards = u32(at + IF_IN_DISCARDS_OFFSET);
        r.ifInErrors = u32(at + IF_IN_ERRORS_OFFSET);
        r.ifOutOctets = buffer.getLong(at + IF_OUT_OCTETS_OFFSET, ByteOrder.BIG_ENDIAN);
        r.ifOutPackets = u32(at + IF_OUT_UCAST_OFFSET) + u32(at + IF_OUT_MCAST_OFFSET) + u32(at + IF_OUT_BCAST_OFFSET);
        r.ifOutDiscards = u32(at + IF_OUT_DISCARDS_OFFSET);
        r.ifOutErrors = u32(at + IF_OUT_ERRORS_OFFSET);
        sink.onOtherRecord(r);
    }

    private FlowRecord startRecord()
    {
        final FlowRecord r = record;
        r.reset();
        r.type = FlowType.SFLOW_5;
        r.samplerAddrHi = agentHi;
        r.samplerAddrLo = agentLo;
        r.observationDomainId = subAgentId;
        r.sequenceNum = datagramSequence;
        r.timeReceivedNs = receivedNs;
        r.timeFlowStartNs = receivedNs;
        r.timeFlowEndNs = receivedNs;
        r.packets = 1;
        return r;
    }

    private long u32(final int index)
    {
        return buffer.getInt(index, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    private long mac(final int index)
    {
        return ((buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFFL) << 32)
            | (buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    private void error(final DecodeError error)
    {
        counters.error(FlowType.SFLOW_5, error);
    }

    public DecodeCounters counters()
    {
        return counters;
    }
}
