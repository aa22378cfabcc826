package io.goflow.exporter.decoders.netflow5;

import static io.goflow.exporter.decoders.netflow5.Netflow5Descriptor.*;

import java.nio.ByteOrder;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.header.HeaderCheck;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.sampling.SamplingOverrides;
import org.agrona.DirectBuffer;

/**
 * NetFlow v5 datagram decoder (layout in {@link Netflow5Descriptor}). Stateless apart from its
 * preallocated record; allocates nothing per datagram.
 *
 * <p>Per record: {@link FlowRecord#bytes}/{@link FlowRecord#packets} are dOctets/dPkts (L3, raw);
 * flow start/end are First/Last converted to epoch ns as
 * {@code exportNs - (sysUptime - First) ms}, where {@code exportNs = unix_secs, unix_nsecs} and the
 * uptime difference is taken as a signed 32-bit value, so a First slightly after sysUptime (clock
 * skew) gives a time after the export and sysUptime wrap-around is handled.
 * {@link FlowRecord#samplingRate} is the configured override for the exporter address when there
 * is one, else the header's 14-bit sampling interval whatever the 2-bit mode (as Wireshark reads
 * it), else (interval 0) the configured default; when that is 0 too the record carries rate 0.
 * Where the rate came from is the exporter's state in {@link ExporterSamplingTable} (once per
 * datagram), not an error. A record whose dOctets exceed dPkts times
 * {@link FlowRecord#MAX_BYTES_PER_PACKET} ({@link FlowRecord#plausibleCounters}) is dropped and
 * counted {@code implausible_counter}. {@link FlowRecord#observationDomainId} is {@code engine_type << 8 | engine_id}. For
 * ICMP the exporter's dstport (type * 256 + code) also fills icmpType/icmpCode.
 *
 * <p>Counting: this decoder counts the datagram, each record emitted and every error itself. A
 * datagram shorter than the header is rejected whole as {@code truncated}; one whose
 * {@code 24 + count * 48} exceeds its length is rejected whole as {@code bad_length} (its count
 * cannot be trusted), as is a count of 0 ({@link DecodeCounters#rejected}). Any other datagram is
 * accepted ({@link DecodeCounters#datagram}).
 *
 * <p>Thread ownership: one instance per decode shard.
 */
public final class Netflow5Decoder
{
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int PROTO_ICMP = 1;

    private final DecodeCounters counters;
    private final HeaderCheck headerCheck;
    private final SamplingOverrides sampling;
    private final ExporterSamplingTable samplingStates;
    private final FlowRecord record = new FlowRecord();

    /** A decoder with {@link DecoderSettings#defaults()} (no override, no default rate). */
    public Netflow5Decoder(final DecodeCounters counters)
    {
        this(counters, DecoderSettings.defaults());
    }

    /** A decoder applying the sampling override and default of {@code settings}. */
    public Netflow5Decoder(final DecodeCounters counters, final DecoderSettings settings)
    {
        this(counters, settings, ExporterSamplingTable.of(settings));
    }

    /** A decoder that also reports each exporter's sampling source to {@code samplingStates}. */
    public Netflow5Decoder(
        final DecodeCounters counters, final DecoderSettings settings, final ExporterSamplingTable samplingStates)
    {
        this.counters = counters;
        this.headerCheck = new HeaderCheck(counters, FlowType.NETFLOW_V5, HEADER_LENGTH, VERSION_OFFSET, 2, VERSION);
        this.sampling = new SamplingOverrides(settings);
        this.samplingStates = samplingStates;
    }

    /**
     * Decodes one v5 datagram whose version field has been checked by the caller.
     *
     * @return the number of flow records emitted.
     */
    public int decode(
        final DatagramSource source, final DirectBuffer buffer, final int offset, final int length, final FlowSink sink)
    {
        final long exporterAddrHi = source.exporterAddrHi();
        final long exporterAddrLo = source.exporterAddrLo();
        final long receivedNs = source.receivedNs();
        if (!headerCheck.accept(buffer, offset, length))
        {
            return 0;
        }
        final int count = buffer.getShort(offset + COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (count == 0 || HEADER_LENGTH + count * RECORD_LENGTH > length)
        {
            headerCheck.reject(DecodeError.BAD_LENGTH);
            return 0;
        }
        counters.datagram(FlowType.NETFLOW_V5);
        final long sysUptimeMs = buffer.getInt(offset + SYS_UPTIME_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long exportNs = (buffer.getInt(offset + UNIX_SECS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL)
            * NANOS_PER_SECOND + (buffer.getInt(offset + UNIX_NSECS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
        final long sequence = buffer.getInt(offset + FLOW_SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final int engine = buffer.getShort(offset + ENGINE_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int samplingInterval =
            buffer.getShort(offset + SAMPLING_OFFSET, ByteOrder.BIG_ENDIAN) & SAMPLING_INTERVAL_MASK;
        final long samplingRate = sampling.rate(exporterAddrHi, exporterAddrLo, exporterAddrHi, exporterAddrLo,
            samplingInterval);
        samplingStates.count(
            sampling.source(exporterAddrHi, exporterAddrLo, exporterAddrHi, exporterAddrLo, samplingInterval), samplingRate);
        samplingStates.flush(FlowType.NETFLOW_V5, exporterAddrHi, exporterAddrLo, receivedNs);

        final FlowRecord r = record;
        int emitted = 0;
        int at = offset + HEADER_LENGTH;
        for (int i = 0; i < count; i++, at += RECORD_LENGTH)
        {
            r.reset();
            r.type = FlowType.NETFLOW_V5;
            r.samplerAddrHi = exporterAddrHi;
            r.samplerAddrLo = exporterAddrLo;
            r.observationDomainId = engine;
            r.sequenceNum = sequence;
            r.samplingRate = samplingRate;
            r.timeReceivedNs = receivedNs;
            r.ipVersion = 4;
            r.etherType = 0x0800;
            r.srcIpv4(buffer.getInt(at + SRC_ADDR_OFFSET, ByteOrder.BIG_ENDIAN));
            r.dstIpv4(buffer.getInt(at + DST_ADDR_OFFSET, ByteOrder.BIG_ENDIAN));
            r.nextHopIpv4(buffer.getInt(at + NEXT_HOP_OFFSET, ByteOrder.BIG_ENDIAN));
            r.inIf = buffer.getShort(at + INPUT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            r.outIf = buffer.getShort(at + OUTPUT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            r.packets = buffer.getInt(at + PACKETS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            r.bytes = buffer.getInt(at + OCTETS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            final long firstMs = buffer.getInt(at + FIRST_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            final long lastMs = buffer.getInt(at + LAST_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            r.timeFlowStartNs = exportNs - (long)(int)(sysUptimeMs - firstMs) * NANOS_PER_MILLI;
            r.timeFlowEndNs = exportNs - (long)(int)(sysUptimeMs - lastMs) * NANOS_PER_MILLI;
            r.srcPort = buffer.getShort(at + SRC_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            r.dstPort = buffer.getShort(at + DST_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            r.tcpFlags = buffer.getByte(at + TCP_FLAGS_OFFSET) & 0xFF;
            r.proto = buffer.getByte(at + PROTOCOL_OFFSET) & 0xFF;
            r.tos = buffer.getByte(at + TOS_OFFSET) & 0xFF;
            r.srcAs = buffer.getShort(at + SRC_AS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            r.dstAs = buffer.getShort(at + DST_AS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            r.srcMask = buffer.getByte(at + SRC_MASK_OFFSET) & 0xFF;
            r.dstMask = buffer.getByte(at + DST_MASK_OFFSET) & 0xFF;
            if (r.proto == PROTO_ICMP)
            {
                r.icmpType = r.dstPort >>> 8;
                r.icmpCode = r.dstPort & 0xFF;
            }
            if (!FlowRecord.plausibleCounters(r.bytes, r.packets))
            {
                counters.error(FlowType.NETFLOW_V5, DecodeError.IMPLAUSIBLE_COUNTER);
                continue;
            }
            emitted++;
            counters.record(FlowType.NETFLOW_V5);
            sink.onFlowRecord(r);
        }
        return emitted;
    }

    public DecodeCounters counters()
    {
        return counters;
    }
}
