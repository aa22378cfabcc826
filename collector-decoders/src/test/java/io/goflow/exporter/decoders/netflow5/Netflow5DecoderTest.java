package io.goflow.exporter.decoders.netflow5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.testsupport.SamplingStates;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Netflow5DecoderTest
{
    private static final long EXPORTER_LO = FlowRecord.ipv4MappedLo(0xC0000201);

    /** One header (24 bytes) and one record (48 bytes), every field distinct. */
    private static final int[] ONE_RECORD = {
        0x00, 0x05,             // version 5
        0x00, 0x01,             // count 1
        0x00, 0x01, 0x86, 0xA0, // sysUptime 100000 ms
        0x5F, 0x5E, 0x10, 0x00, // unix_secs 1599999999 + 1 = 0x5F5E1000 = 1600000000
        0x00, 0x00, 0x03, 0xE8, // unix_nsecs 1000
        0x00, 0x00, 0x00, 0x2A, // flow_sequence 42
        0x01,                   // engine_type 1
        0x02,                   // engine_id 2
        0x40, 0x64,             // sampling: mode 01, interval 100
        0x0A, 0x00, 0x00, 0x01, // srcaddr 10.0.0.1
        0xC0, 0xA8, 0x01, 0x02, // dstaddr 192.168.1.2
        0x0A, 0x00, 0x00, 0xFE, // nexthop 10.0.0.254
        0x00, 0x03,             // input 3
        0x00, 0x04,             // output 4
        0x00, 0x00, 0x00, 0x0A, // dPkts 10
        0x00, 0x00, 0x05, 0xDC, // dOctets 1500
        0x00, 0x01, 0x5F, 0x90, // First 90000 ms (10 s before export)
        0x00, 0x01, 0x81, 0xCD, // Last 98765 ms
        0x30, 0x39,             // srcport 12345
        0x01, 0xBB,             // dstport 443
        0x00,                   // pad1
        0x1B,                   // tcp_flags FIN SYN PSH ACK
        0x06,                   // prot TCP
        0xB8,                   // tos 0xB8 (DSCP EF)
        0xFD, 0xE8,             // src_as 65000
        0x00, 0x0F,             // dst_as 15
        0x18,                   // src_mask 24
        0x10,                   // dst_mask 16
        0x00, 0x00,             // pad2
    };

    private final DatagramSource source = new DatagramSource();
    private final DecodeCounters counters = new DecodeCounters();
    private final Netflow5Decoder decoder = new Netflow5Decoder(counters);
    private final List<FlowRecord> records = new ArrayList<>();
    private final FlowSink sink = r ->
    {
        final FlowRecord copy = new FlowRecord();
        copy.copyFrom(r);
        records.add(copy);
    };

    private int decode(final int[] bytes, final int length)
    {
        final byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)bytes[i];
        }
        return decoder.decode(
            source.set(ListenerProtocol.AUTO, 0, EXPORTER_LO, 0, 7L), new UnsafeBuffer(b), 0, length, sink);
    }

    @Test
    void shouldDecodeEveryFieldWhenRecordIsWellFormed()
    {
        assertEquals(1, decode(ONE_RECORD, ONE_RECORD.length));
        final FlowRecord r = records.get(0);
        assertEquals(FlowType.NETFLOW_V5, r.type);
        assertEquals("192.0.2.1", AddressText.toString(r.samplerAddrHi, r.samplerAddrLo));
        assertEquals("10.0.0.1", AddressText.toString(r.srcAddrHi, r.srcAddrLo));
        assertEquals("192.168.1.2", AddressText.toString(r.dstAddrHi, r.dstAddrLo));
        assertEquals("10.0.0.254", AddressText.toString(r.nextHopHi, r.nextHopLo));
        assertEquals(0x0102, r.observationDomainId);
        assertEquals(42, r.sequenceNum);
        assertEquals(100, r.samplingRate);
        assertEquals(3, r.inIf);
        assertEquals(4, r.outIf);
        assertEquals(10, r.packets);
        assertEquals(1500, r.bytes);
        assertEquals(1_600_000_000_000_001_000L - 10_000_000_000L, r.timeFlowStartNs);
        assertEquals(1_600_000_000_000_001_000L - 1_235_000_000L, r.timeFlowEndNs);
        assertEquals(12345, r.srcPort);
        assertEquals(443, r.dstPort);
        assertEquals(0x1B, r.tcpFlags);
        assertEquals(6, r.proto);
        assertEquals(0xB8, r.tos);
        assertEquals(65000, r.srcAs);
        assertEquals(15, r.dstAs);
        assertEquals(24, r.srcMask);
        assertEquals(16, r.dstMask);
        assertEquals(4, r.ipVersion);
        assertEquals(7L, r.timeReceivedNs);
        assertEquals(1, counters.records(FlowType.NETFLOW_V5));
    }

    @Test
    void shouldDropRecordAndCountWhenOctetsPerPacketAreImplausible()
    {
        final int[] two = new int[24 + 2 * 48];
        System.arraycopy(ONE_RECORD, 0, two, 0, ONE_RECORD.length);
        System.arraycopy(ONE_RECORD, 24, two, 24 + 48, 48);
        two[3] = 2;                                     // count 2
        final int second = 24 + 48;
        for (int i = 0; i < 4; i++)
        {
            two[second + 16 + i] = i == 3 ? 1 : 0;      // dPkts 1
            two[second + 20 + i] = 0xFF;                // dOctets 4,294,967,295 in one packet
        }

        assertEquals(1, decode(two, two.length));
        assertEquals(1, counters.errors(FlowType.NETFLOW_V5, DecodeError.IMPLAUSIBLE_COUNTER));
        assertEquals(1, records.size());
        assertEquals(1500, records.get(0).bytes);
        assertEquals(1, counters.records(FlowType.NETFLOW_V5));
    }

    @Test
    void shouldRejectBadLengthWhenCountExceedsDatagram()
    {
        assertEquals(0, decode(ONE_RECORD, ONE_RECORD.length - 1));
        assertEquals(1, counters.rejections(FlowType.NETFLOW_V5, DecodeError.BAD_LENGTH));
        assertEquals(0, records.size());
    }

    @Test
    void shouldNotCountDatagramNorErrorWhenCountExceedsDatagram()
    {
        decode(ONE_RECORD, ONE_RECORD.length - 1);
        assertEquals(0, counters.datagrams(FlowType.NETFLOW_V5));
        assertEquals(0, counters.errors(FlowType.NETFLOW_V5, DecodeError.BAD_LENGTH));
    }

    @Test
    void shouldRejectTruncatedWhenShorterThanHeader()
    {
        assertEquals(0, decode(ONE_RECORD, 23));
        assertEquals(1, counters.rejections(FlowType.NETFLOW_V5, DecodeError.TRUNCATED));
        assertEquals(DecodeError.TRUNCATED, counters.lastRejection());
    }

    @Test
    void shouldNotCountDatagramNorErrorWhenShorterThanHeader()
    {
        decode(ONE_RECORD, 23);
        assertEquals(0, counters.datagrams(FlowType.NETFLOW_V5));
        assertEquals(0, counters.errors(FlowType.NETFLOW_V5, DecodeError.TRUNCATED));
        assertEquals(1, counters.outcomes());
    }

    @Test
    void shouldTakeIcmpTypeAndCodeFromDstPortWhenProtocolIsIcmp()
    {
        final int[] icmp = ONE_RECORD.clone();
        icmp[24 + 34] = 0x03;
        icmp[24 + 35] = 0x01;
        icmp[24 + 38] = 0x01;
        decode(icmp, icmp.length);
        assertEquals(3, records.get(0).icmpType);
        assertEquals(1, records.get(0).icmpCode);
    }

    @Test
    void shouldHandleUptimeWrapWhenFirstIsJustBeforeWrap()
    {
        final int[] wrap = ONE_RECORD.clone();
        // sysUptime 0x00000010 (16 ms after wrap), First 0xFFFFFFF0 (16 ms before wrap): 32 ms earlier
        wrap[4] = 0; wrap[5] = 0; wrap[6] = 0; wrap[7] = 0x10;
        wrap[24 + 24] = 0xFF; wrap[24 + 25] = 0xFF; wrap[24 + 26] = 0xFF; wrap[24 + 27] = 0xF0;
        decode(wrap, wrap.length);
        assertEquals(1_600_000_000_000_001_000L - 32_000_000L, records.get(0).timeFlowStartNs);
    }

    private static DecoderSettings settings(final long defaultRate, final Map<String, Long> overrides)
    {
        final DecoderSettings d = DecoderSettings.defaults();
        return new DecoderSettings(d.templateKeyIncludesPort(), d.maxExporters(), d.maxTemplatesPerExporter(),
            d.templateTimeoutNs(), d.pendingBytesPerExporter(), d.pendingTimeoutNs(), d.maxRecordsPerDatagram(),
            defaultRate, overrides);
    }

    private static byte[] bytes(final int[] ints)
    {
        final byte[] b = new byte[ints.length];
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)ints[i];
        }
        return b;
    }

    @Test
    void shouldUseOverrideWhenExporterAddressIsConfigured()
    {
        final Netflow5Decoder overridden = new Netflow5Decoder(counters, settings(0, Map.of("192.0.2.1", 1000L)));
        overridden.decode(
            source.set(ListenerProtocol.AUTO, 0, EXPORTER_LO, 0, 7L),
            new UnsafeBuffer(bytes(ONE_RECORD)), 0, ONE_RECORD.length, sink);
        assertEquals(1000, records.get(0).samplingRate);
    }

    @Test
    void shouldUseDefaultAndNotCountWhenIntervalIsZeroAndDefaultIsSet()
    {
        final int[] unsampled = ONE_RECORD.clone();
        unsampled[22] = 0;
        unsampled[23] = 0;
        final ExporterSamplingTable states = new ExporterSamplingTable(16, 60 * 1_000_000_000L);
        final Netflow5Decoder withDefault = new Netflow5Decoder(counters, settings(64, Map.of()), states);
        withDefault.decode(
            source.set(ListenerProtocol.AUTO, 0, EXPORTER_LO, 0, 7L),
            new UnsafeBuffer(bytes(unsampled)), 0, unsampled.length, sink);
        assertEquals(64, records.get(0).samplingRate);
        assertEquals(Map.of("netflow_v5 192.0.2.1 default", 64L), SamplingStates.published(states, 7L));
    }

    @Test
    void shouldReportSourceNoneOncePerExporterWhenIntervalIsZeroWithoutDefault()
    {
        final int[] unsampled = ONE_RECORD.clone();
        unsampled[22] = 0;
        unsampled[23] = 0;
        final ExporterSamplingTable states = new ExporterSamplingTable(16, 60 * 1_000_000_000L);
        final Netflow5Decoder unsampledDecoder = new Netflow5Decoder(counters, settings(0, Map.of()), states);
        for (int i = 0; i < 3; i++)
        {
            unsampledDecoder.decode(
                source.set(ListenerProtocol.AUTO, 0, EXPORTER_LO, 0, 7L),
                new UnsafeBuffer(bytes(unsampled)), 0, unsampled.length, sink);
        }
        assertEquals(0, records.get(0).samplingRate);
        assertEquals(Map.of("netflow_v5 192.0.2.1 none", 1L), SamplingStates.published(states, 7L));
        assertEquals(3, counters.records(FlowType.NETFLOW_V5));
    }
}
