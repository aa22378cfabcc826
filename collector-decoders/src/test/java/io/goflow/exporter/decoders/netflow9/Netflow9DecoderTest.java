package io.goflow.exporter.decoders.netflow9;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.decoders.template.ExporterStats;
import io.goflow.exporter.decoders.template.RecordingSink;
import io.goflow.exporter.decoders.template.StateBudget;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import io.goflow.exporter.decoders.testsupport.SamplingStates;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NetFlow v9 (RFC 3954) through {@link DatagramDecoder}, on hand-built datagrams. Expected values
 * are the ones written into the fixtures, and times are computed by hand from the header.
 */
class Netflow9DecoderTest
{
    private static final long EXPORTER_HI = 0;
    /** 192.0.2.9, IPv4-mapped. */
    private static final long EXPORTER_LO = FlowRecord.ipv4MappedLo(0xC000_0209);
    private static final int EXPORTER_PORT = 40000;
    private static final long SEC = 1_000_000_000L;
    private static final long RECEIVED_NS = 1_700_000_000L * SEC + 5;
    private static final int UNIX_SECS = 1_700_000_000;
    private static final int SYS_UPTIME_MS = 100_000;
    private static final int SOURCE_ID = 7;

    private final DatagramSource source = new DatagramSource();
    private final RecordingSink sink = new RecordingSink();
    private DecodeCounters counters = new DecodeCounters();
    private DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), counters);

    /** Packet header, RFC 3954 section 5.1. */
    private static ByteFixture header(final long sequence, final long sourceId)
    {
        return new ByteFixture()
            .u16(9)                 // version
            .u16(2)                 // count (not trusted)
            .u32(SYS_UPTIME_MS)     // sysUptime, ms
            .u32(UNIX_SECS)         // unix_secs
            .u32(sequence)          // package sequence
            .u32(sourceId);         // source id
    }

    /** Template FlowSet with template 256: 18 fields, 47-byte records. */
    private static void template256(final ByteFixture w)
    {
        w.u16(0).u16(4 + 4 + 18 * 4)  // FlowSet id 0 (template), length 80
            .u16(256).u16(18)         // template id 256, field count 18
            .u16(8).u16(4)            // IPV4_SRC_ADDR
            .u16(12).u16(4)           // IPV4_DST_ADDR
            .u16(7).u16(2)            // L4_SRC_PORT
            .u16(11).u16(2)           // L4_DST_PORT
            .u16(4).u16(1)            // PROTOCOL
            .u16(5).u16(1)            // SRC_TOS
            .u16(6).u16(1)            // TCP_FLAGS
            .u16(1).u16(4)            // IN_BYTES
            .u16(2).u16(4)            // IN_PKTS
            .u16(22).u16(4)           // FIRST_SWITCHED, sysUptime ms
            .u16(21).u16(4)           // LAST_SWITCHED, sysUptime ms
            .u16(10).u16(2)           // INPUT_SNMP
            .u16(14).u16(2)           // OUTPUT_SNMP
            .u16(16).u16(2)           // SRC_AS
            .u16(17).u16(4)           // DST_AS
            .u16(9).u16(1)            // SRC_MASK
            .u16(13).u16(1)           // DST_MASK
            .u16(15).u16(4);          // IPV4_NEXT_HOP
    }

    /** One 47-byte record of template 256 with the given bytes. */
    private static void record256(final ByteFixture w, final long bytes)
    {
        w.ipv4("192.0.2.1")          // src 192.0.2.1
            .ipv4("198.51.100.2")    // dst 198.51.100.2
            .u16(49152)               // src port
            .u16(443)                 // dst port
            .u8(6)                    // TCP
            .u8(0x10)                 // ToS
            .u8(0x1B)                 // flags FIN SYN PSH ACK
            .u32(bytes)               // bytes
            .u32(3)                   // packets
            .u32(95_000)              // first switched: 5 s before export
            .u32(99_000)              // last switched: 1 s before export
            .u16(10)                  // in if
            .u16(20)                  // out if
            .u16(64500)               // src AS
            .u32(4_200_000_000L)      // dst AS (4-byte)
            .u8(24)                   // src mask
            .u8(16)                   // dst mask
            .ipv4("192.0.2.254");    // next hop
    }

    private static void dataSet256(final ByteFixture w, final long... bytes)
    {
        w.u16(256).u16(4 + 47 * bytes.length + 1);  // FlowSet 256, length incl. 1 padding byte
        for (final long b : bytes)
        {
            record256(w, b);
        }
        w.u8(0);                                     // padding
    }

    private int decode(final ByteFixture w)
    {
        return decode(w.toArray(), RECEIVED_NS);
    }

    private int decode(final byte[] bytes, final long receivedNs)
    {
        return decoder.decode(
            source.set(ListenerProtocol.NETFLOW, EXPORTER_HI, EXPORTER_LO, EXPORTER_PORT, receivedNs),
            new UnsafeBuffer(bytes), 0, bytes.length, sink);
    }

    private Map<String, Long> sources()
    {
        return SamplingStates.sources(decoder.samplingStates(), RECEIVED_NS);
    }

    private long errors(final DecodeError error)
    {
        return counters.errors(FlowType.NETFLOW_V9, error);
    }

    private long rejections(final DecodeError error)
    {
        return counters.rejections(FlowType.NETFLOW_V9, error);
    }

    private void settings(final DecoderSettings settings)
    {
        counters = new DecodeCounters();
        decoder = new DatagramDecoder(settings, counters);
    }

    private static DecoderSettings settingsWith(
        final int maxExporters, final int maxTemplates, final int pendingBytes, final int maxRecords,
        final long defaultRate, final Map<String, Long> overrides)
    {
        return new DecoderSettings(
            false, maxExporters, maxTemplates, 60 * SEC, pendingBytes, 10 * SEC, maxRecords, defaultRate, overrides);
    }

    private List<ExporterStats> stats()
    {
        final List<ExporterStats> list = new ArrayList<>();
        decoder.forEachExporter(list::add);
        return list;
    }

    @Test
    void shouldDecodeEveryFieldWhenTemplateAndDataShareDatagram()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1500);

        assertEquals(1, decode(w));

        final FlowRecord r = sink.flow(0);
        assertEquals(FlowType.NETFLOW_V9, r.type);
        assertEquals(FlowRecord.ipv4MappedLo(0xC000_0201), r.srcAddrLo);
        assertEquals(FlowRecord.ipv4MappedLo(0xC633_6402), r.dstAddrLo);
        assertEquals(49152, r.srcPort);
        assertEquals(443, r.dstPort);
        assertEquals(6, r.proto);
        assertEquals(0x10, r.tos);
        assertEquals(0x1B, r.tcpFlags);
        assertEquals(1500, r.bytes);
        assertEquals(3, r.packets);
        assertEquals(10, r.inIf);
        assertEquals(20, r.outIf);
        assertEquals(64500, r.srcAs);
        assertEquals(4_200_000_000L, r.dstAs);
        assertEquals(24, r.srcMask);
        assertEquals(16, r.dstMask);
        assertEquals(FlowRecord.ipv4MappedLo(0xC000_02FE), r.nextHopLo);
        assertEquals(4, r.ipVersion);
        assertEquals(SOURCE_ID, r.observationDomainId);
        assertEquals(1, r.sequenceNum);
        assertEquals(EXPORTER_LO, r.samplerAddrLo);
        assertEquals(RECEIVED_NS, r.timeReceivedNs);
    }

    @Test
    void shouldConvertSysUptimeRelativeTimesWhenHeaderGivesUptimeAndUnixSecs()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1500);

        decode(w);

        assertEquals((UNIX_SECS - 5L) * SEC, sink.flow(0).timeFlowStartNs);
        assertEquals((UNIX_SECS - 1L) * SEC, sink.flow(0).timeFlowEndNs);
    }

    @Test
    void shouldDecodeDataInLaterDatagramWhenTemplateWasLearnt()
    {
        final ByteFixture first = header(1, SOURCE_ID);
        template256(first);
        decode(first);
        final ByteFixture second = header(2, SOURCE_ID);
        dataSet256(second, 100, 200);

        assertEquals(2, decode(second));
        assertEquals(100, sink.flow(0).bytes);
        assertEquals(200, sink.flow(1).bytes);
    }

    @Test
    void shouldKeepTemplatesApartWhenSourceIdsDiffer()
    {
        final ByteFixture first = header(1, SOURCE_ID);
        template256(first);
        decode(first);
        final ByteFixture other = header(1, SOURCE_ID + 1);
        dataSet256(other, 100);

        assertEquals(0, decode(other));
        assertEquals(1, exporter(SOURCE_ID + 1).held().count());
    }

    @Test
    void shouldDecodeReducedSizeFieldsWhenExporterShortensThem()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 4 + 5 * 4)   // template FlowSet, length 28
            .u16(300).u16(5)          // template 300, 5 fields
            .u16(1).u16(3)            // IN_BYTES, 3 bytes
            .u16(2).u16(1)            // IN_PKTS, 1 byte
            .u16(10).u16(1)           // INPUT_SNMP, 1 byte
            .u16(14).u16(5)           // OUTPUT_SNMP, 5 bytes
            .u16(16).u16(8);          // SRC_AS, 8 bytes
        w.u16(300).u16(4 + 18)        // data FlowSet 300, one 18-byte record
            .u8(0x01).u16(0x0203)     // bytes 0x010203 = 66051
            .u8(200)                  // packets 200
            .u8(7)                    // in if 7
            .u8(0x01).u32(0)          // out if 2^32
            .u64(65_000);             // src AS 65000

        decode(w);

        final FlowRecord r = sink.flow(0);
        assertEquals(66_051, r.bytes);
        assertEquals(200, r.packets);
        assertEquals(7, r.inIf);
        assertEquals(1L << 32, r.outIf);
        assertEquals(65_000, r.srcAs);
    }

    @Test
    void shouldUseInitiatorPlusResponderOctetsWhenOnlyNselCountersPresent()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 4 + 2 * 4)   // template FlowSet
            .u16(263).u16(2)          // template 263 (Cisco ASA style)
            .u16(231).u16(4)          // NF_F_FWD_FLOW_DELTA_BYTES / initiatorOctets
            .u16(232).u16(4);         // NF_F_REV_FLOW_DELTA_BYTES / responderOctets
        w.u16(263).u16(4 + 8)
            .u32(1000)                // initiator octets
            .u32(234);                // responder octets

        decode(w);

        assertEquals(1234, sink.flow(0).bytes);
        assertEquals(0, sink.flow(0).packets);
    }

    @Test
    void shouldApplyOptionsSamplingIntervalWhenOptionsPrecedeData()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(1).u16(4 + 6 + 4 + 8 + 2)  // options template FlowSet, length 24 with 2 padding
            .u16(257)                    // template id 257
            .u16(4)                      // option scope length: one scope field
            .u16(8)                      // option length: two fields
            .u16(1).u16(4)               // scope: System, 4 bytes
            .u16(34).u16(4)              // SAMPLING_INTERVAL
            .u16(35).u16(1)              // SAMPLING_ALGORITHM
            .u16(0);                     // padding
        w.u16(257).u16(4 + 9 + 3)        // options data FlowSet, one 9-byte record, 3 padding
            .u32(0)                      // scope System value
            .u32(10)                     // 1-in-10
            .u8(1)                       // deterministic
            .zeros(3);
        template256(w);
        dataSet256(w, 1500);

        decode(w);

        assertEquals(10, sink.flow(0).samplingRate);
        assertEquals(FlowRecord.Kind.OPTIONS, sink.others.get(0).kind);
        assertEquals(10, sink.others.get(0).samplingRate);
        assertEquals(Map.of("options", 10L), sources());
    }

    @Test
    void shouldNotApplyOptionsRateWhenDataPrecedesOptions()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1500);
        w.u16(1).u16(4 + 6 + 8 + 2)      // options template FlowSet
            .u16(257).u16(4).u16(4)      // template 257, scope length 4, option length 4
            .u16(1).u16(4)               // scope System
            .u16(34).u16(4)              // SAMPLING_INTERVAL
            .u16(0);                     // padding
        w.u16(257).u16(4 + 8)
            .u32(0).u32(10);             // scope, 1-in-10

        decode(w);

        assertEquals(0, sink.flow(0).samplingRate);
        assertEquals(Map.of("none", 1L), sources());
    }

    /** Options template 258: scope System; FLOW_SAMPLER_ID, FLOW_SAMPLER_MODE, FLOW_SAMPLER_RANDOM_INTERVAL. */
    private static void samplerOptions(final ByteFixture w, final int samplerId, final long interval)
    {
        w.u16(1).u16(4 + 6 + 16 + 2)     // options template FlowSet
            .u16(258).u16(4).u16(12)     // template 258, scope length 4, option length 12
            .u16(1).u16(4)               // scope System
            .u16(48).u16(1)              // FLOW_SAMPLER_ID
            .u16(49).u16(1)              // FLOW_SAMPLER_MODE
            .u16(50).u16(4)              // FLOW_SAMPLER_RANDOM_INTERVAL
            .u16(0);                     // padding
        w.u16(258).u16(4 + 10 + 2)
            .u32(0)                      // scope
            .u8(samplerId)               // sampler id
            .u8(2)                       // random
            .u32(interval)               // 1-in-interval
            .u16(0);                     // padding
    }

    @Test
    void shouldApplySamplerRateBySamplerIdWhenDataRecordCarriesSamplerId()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        samplerOptions(w, 3, 512);
        samplerOptions(w, 4, 64);
        w.u16(0).u16(4 + 4 + 2 * 4)      // template FlowSet
            .u16(301).u16(2)             // template 301
            .u16(1).u16(4)               // IN_BYTES
            .u16(48).u16(1);             // FLOW_SAMPLER_ID
        w.u16(301).u16(4 + 10 + 2)
            .u32(100).u8(4)              // bytes 100, sampler 4
            .u32(200).u8(3)              // bytes 200, sampler 3
            .u16(0);                     // padding

        decode(w);

        assertEquals(64, sink.flow(0).samplingRate);
        assertEquals(4, sink.flow(0).samplerId);
        assertEquals(512, sink.flow(1).samplingRate);
    }

    @Test
    void shouldApplyOnlyKnownSamplerRateWhenRecordCarriesNoSamplerId()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        samplerOptions(w, 3, 512);
        template256(w);
        dataSet256(w, 1500);

        decode(w);

        assertEquals(512, sink.flow(0).samplingRate);
    }

    @Test
    void shouldApplyNoRateWhenRecordCarriesNoSamplerIdAndSeveralSamplersAreKnown()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        samplerOptions(w, 3, 512);
        samplerOptions(w, 4, 64);
        template256(w);
        dataSet256(w, 1500);

        decode(w);

        assertEquals(0, sink.flow(0).samplingRate);
        assertEquals(Map.of("none", 1L), sources());
    }

    @Test
    void shouldApplyInRecordSamplingIntervalWhenDataRecordCarriesIt()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 4 + 3 * 4)      // template FlowSet (Huawei NetStream style)
            .u16(302).u16(3)             // template 302
            .u16(1).u16(4)               // IN_BYTES
            .u16(34).u16(4)              // SAMPLING_INTERVAL inside the data record
            .u16(35).u16(1);             // SAMPLING_ALGORITHM
        w.u16(302).u16(4 + 9 + 3)
            .u32(100).u32(2000).u8(2)    // bytes 100, 1-in-2000, random
            .zeros(3);                 // padding

        decode(w);

        assertEquals(2000, sink.flow(0).samplingRate);
        assertEquals(Map.of("record", 2000L), sources());
    }

    /** Template 310: IN_BYTES and IN_PKTS of {@code counterLength} bytes each, SAMPLING_INTERVAL of 4. */
    private static void counterTemplate(final ByteFixture w, final int counterLength)
    {
        w.u16(0).u16(4 + 4 + 3 * 4)
            .u16(310).u16(3)             // template 310
            .u16(1).u16(counterLength)   // IN_BYTES
            .u16(2).u16(counterLength)   // IN_PKTS
            .u16(34).u16(4);             // SAMPLING_INTERVAL
    }

    @Test
    void shouldRefuseRecordWhenEightByteCountersAre2To64Minus1()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        counterTemplate(w, 8);
        w.u16(310).u16(4 + 3 * 20)
            .u64(-1L).u64(-1L).u32(10)   // 2^64 - 1 bytes and packets: was added as -1 x 10
            .u64(-1L).u64(-1L).u32(10)
            .u64(1500).u64(3).u32(10);   // plausible

        assertEquals(1, decode(w));
        assertEquals(2, errors(DecodeError.IMPLAUSIBLE_COUNTER));
        assertEquals(1, sink.flows.size());
        assertEquals(15_000, sink.flow(0).scaledBytes());
    }

    @Test
    void shouldRefuseRecordWhenCounterIsAbove2To48()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        counterTemplate(w, 8);
        w.u16(310).u16(4 + 2 * 20)
            .u64((1L << 48) + 1).u64(1L << 40).u32(1)
            .u64(1L << 48).u64(1L << 40).u32(1); // at the bound: kept

        assertEquals(1, decode(w));
        assertEquals(1, errors(DecodeError.IMPLAUSIBLE_COUNTER));
        assertEquals(1L << 48, sink.flow(0).bytes);
    }

    @Test
    void shouldReadReducedSizeCountersUnsignedWhenTopBitIsSet()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        counterTemplate(w, 4);
        w.u16(310).u16(4 + 12)
            .u32(0xFFFF_FFFFL).u32(0x8000_0000L).u32(1); // RFC 7011 6.2: unsigned64 sent in 4 bytes

        assertEquals(1, decode(w));
        assertEquals(4_294_967_295L, sink.flow(0).bytes);
        assertEquals(2_147_483_648L, sink.flow(0).packets);
    }

    @Test
    void shouldRefuseRecordWhenBytesPerPacketExceed2To20()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        counterTemplate(w, 4);
        w.u16(310).u16(4 + 2 * 12)
            .u32((1L << 21) + 1).u32(2).u32(1)   // one byte more than 2 x 2^20
            .u32(1L << 21).u32(2).u32(1);        // 2^20 per packet: kept

        assertEquals(1, decode(w));
        assertEquals(1, errors(DecodeError.IMPLAUSIBLE_COUNTER));
        assertEquals(1L << 21, sink.flow(0).bytes);
    }

    @Test
    void shouldRefuseRecordWhenItsSamplingIntervalIsAbove2To24()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        counterTemplate(w, 4);
        w.u16(310).u16(4 + 3 * 12)
            .u32(100).u32(1).u32(0xFFFF_FFFFL)      // 1-in-4,294,967,295: 100 B would count 4.3e11
            .u32(100).u32(1).u32((1L << 24) + 1)
            .u32(100).u32(1).u32(1L << 24);         // at the bound: kept

        assertEquals(1, decode(w));
        assertEquals(2, errors(DecodeError.IMPLAUSIBLE_SAMPLING_RATE));
        assertEquals(100L << 24, sink.flow(0).scaledBytes());
        assertEquals(Map.of("record", 1L << 24), sources());
    }

    @Test
    void shouldNotLearnOptionsRateWhenItIsAbove2To24()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        samplerOptions(w, 1, 0xFFFF_FFFFL);
        template256(w);
        dataSet256(w, 1500);

        assertEquals(1, decode(w));
        assertEquals(1, errors(DecodeError.IMPLAUSIBLE_SAMPLING_RATE));
        assertEquals(0, sink.flow(0).samplingRate);
        assertEquals(Map.of("none", 1L), sources());
    }

    @Test
    void shouldApplyOverrideWhenConfiguredForExporterAddress()
    {
        settings(settingsWith(16, 16, 4096, 100, 0, Map.of("192.0.2.9", 333L)));
        final ByteFixture w = header(1, SOURCE_ID);
        samplerOptions(w, 0, 64);
        template256(w);
        dataSet256(w, 1500);

        decode(w);

        assertEquals(333, sink.flow(0).samplingRate);
        assertEquals(Map.of("config", 333L), sources());
    }

    @Test
    void shouldApplyDefaultRateWhenExporterReportsNone()
    {
        settings(settingsWith(16, 16, 4096, 100, 50, Map.of()));
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1500);

        decode(w);

        assertEquals(50, sink.flow(0).samplingRate);
        assertEquals(Map.of("default", 50L), sources());
    }

    @Test
    void shouldReportRateUnknownOncePerExporterNotPerRecordWhenNoRateIsKnown()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1, 2);

        decode(w);

        assertEquals(0, sink.flow(0).samplingRate);
        assertEquals(Map.of("netflow_v9 192.0.2.9 none", 1L), SamplingStates.published(decoder.samplingStates(), RECEIVED_NS));
        for (final DecodeError e : DecodeError.values())
        {
            assertEquals(0, errors(e), e.reason());
        }
    }

    private ExporterState exporter()
    {
        return exporter(SOURCE_ID);
    }

    private ExporterState exporter(final long sourceId)
    {
        return decoder.exporters().lookup(FlowType.NETFLOW_V9, EXPORTER_HI, EXPORTER_LO, EXPORTER_PORT, sourceId, 0);
    }

    /**
     * Every data set without a known template ends in exactly one of: decoded on replay, still
     * held, or dropped under one reason. Checked from the counters a scrape shows.
     */
    private void assertHeldSetsAddUp(final long setsWithoutTemplate)
    {
        decoder.onTimer(RECEIVED_NS);
        long replayed = 0;
        long heldNow = 0;
        for (final ExporterStats s : stats())
        {
            replayed += s.replayedSets();
            heldNow += s.heldSetsNow();
        }
        final long dropped = errors(DecodeError.NO_TEMPLATE) + errors(DecodeError.PENDING_FULL)
            + errors(DecodeError.NO_TEMPLATE_EXPIRED);
        assertEquals(setsWithoutTemplate, replayed + heldNow + dropped);
    }

    @Test
    void shouldCountHeldRecordsOnlyAsDecodedWhenReplayed()
    {
        final ByteFixture data = header(1, SOURCE_ID);
        dataSet256(data, 100, 200);
        dataSet256(data, 300);
        decode(data);
        assertEquals(0, counters.records(FlowType.NETFLOW_V9));
        assertEquals(0, errors(DecodeError.NO_TEMPLATE));

        final ByteFixture template = header(2, SOURCE_ID);
        template256(template);
        assertEquals(3, decode(template));

        assertEquals(3, counters.records(FlowType.NETFLOW_V9));
        assertEquals(0, errors(DecodeError.NO_TEMPLATE) + errors(DecodeError.NO_TEMPLATE_EXPIRED)
            + errors(DecodeError.PENDING_FULL));
        assertHeldSetsAddUp(2);
    }

    @Test
    void shouldCountHeldSetDroppedOnceWhenItExpires()
    {
        final ByteFixture data = header(1, SOURCE_ID);
        dataSet256(data, 100, 200);
        decode(data);

        decoder.onTimer(RECEIVED_NS + DecoderSettings.PENDING_TIMEOUT_NS_DEFAULT + 1);
        decoder.onTimer(RECEIVED_NS + DecoderSettings.PENDING_TIMEOUT_NS_DEFAULT + 2);
        final ByteFixture template = header(2, SOURCE_ID);
        template256(template);
        decode(template.toArray(), RECEIVED_NS + DecoderSettings.PENDING_TIMEOUT_NS_DEFAULT + 3);

        assertEquals(0, counters.records(FlowType.NETFLOW_V9));
        assertEquals(1, errors(DecodeError.NO_TEMPLATE_EXPIRED));
        assertEquals(0, errors(DecodeError.NO_TEMPLATE));
        assertHeldSetsAddUp(1);
    }

    @Test
    void shouldCountSetDroppedOnceWhenHoldingIsDisabled()
    {
        settings(settingsWith(16, 16, 0, 100, 0, Map.of()));
        final ByteFixture data = header(1, SOURCE_ID);
        dataSet256(data, 100);
        decode(data);

        assertEquals(1, errors(DecodeError.NO_TEMPLATE));
        assertEquals(0, errors(DecodeError.PENDING_FULL));
        assertHeldSetsAddUp(1);
    }

    @Test
    void shouldAddUpWhenSomeSetsAreHeldAndOthersRefused()
    {
        settings(settingsWith(16, 16, 100, 100, 0, Map.of()));
        final ByteFixture data = header(1, SOURCE_ID);
        dataSet256(data, 1);
        dataSet256(data, 2);
        decode(data);
        final ByteFixture template = header(2, SOURCE_ID);
        template256(template);

        assertEquals(1, decode(template));
        assertEquals(1, errors(DecodeError.PENDING_FULL));
        assertHeldSetsAddUp(2);
    }

    @Test
    void shouldCountLostDatagramsWhenSequenceJumps()
    {
        decode(header(10, SOURCE_ID));
        decode(header(11, SOURCE_ID));
        decode(header(15, SOURCE_ID));    // 12, 13, 14 lost

        assertEquals(1, exporter().sequenceGaps());
        assertEquals(3, exporter().sequenceLost());
    }

    @Test
    void shouldNotCountGapWhenSequenceWrapsPastZero()
    {
        decode(header(0xFFFF_FFFEL, SOURCE_ID));
        decode(header(0xFFFF_FFFFL, SOURCE_ID));
        decode(header(0, SOURCE_ID));
        decode(header(1, SOURCE_ID));

        assertEquals(0, exporter().sequenceGaps());
    }

    @Test
    void shouldCountResetNotLossWhenExporterRestarts()
    {
        decode(header(5_000_000, SOURCE_ID));
        decode(header(1, SOURCE_ID));     // restart: far backwards
        decode(header(2, SOURCE_ID));

        assertEquals(0, exporter().sequenceLost());
        assertEquals(1, exporter().sequenceResets());
    }

    @Test
    void shouldCountLateNotLossWhenDatagramArrivesOutOfOrder()
    {
        decode(header(10, SOURCE_ID));
        decode(header(12, SOURCE_ID));    // 11 missing so far
        decode(header(11, SOURCE_ID));    // late
        decode(header(13, SOURCE_ID));

        assertEquals(1, exporter().sequenceLost());
        assertEquals(1, exporter().sequenceLate());
    }

    @Test
    void shouldRejectTruncatedWhenDatagramShorterThanHeader()
    {
        final byte[] bytes = header(1, SOURCE_ID).toArray();
        final byte[] shortBytes = java.util.Arrays.copyOf(bytes, 19);

        assertEquals(0, decode(shortBytes, RECEIVED_NS));
        assertEquals(1, rejections(DecodeError.TRUNCATED));
        assertEquals(DecodeError.TRUNCATED, counters.lastRejection());
    }

    @Test
    void shouldNotCountDatagramNorErrorWhenHeaderIsCut()
    {
        final byte[] shortBytes = java.util.Arrays.copyOf(header(1, SOURCE_ID).toArray(), 19);

        decode(shortBytes, RECEIVED_NS);

        assertEquals(0, counters.datagrams(FlowType.NETFLOW_V9));
        assertEquals(0, errors(DecodeError.TRUNCATED));
        assertEquals(1, counters.outcomes());
    }

    @Test
    void shouldCountTruncatedWhenFlowSetLengthExceedsDatagram()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        w.u16(256).u16(200)               // claims 200 bytes
            .zeros(20);                 // only 20 present

        decode(w);

        assertEquals(1, errors(DecodeError.TRUNCATED));
        assertEquals(1, exporter().templateCount());
    }

    @Test
    void shouldCountBadLengthWhenFlowSetLengthBelowHeader()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(256).u16(2)                 // length 2 < 4: cannot advance
            .hex("AAAAAAAAAAAAAAAA");

        decode(w);

        assertEquals(1, errors(DecodeError.BAD_LENGTH));
    }

    @Test
    void shouldCountBadTemplateAndDecodeRestWhenTemplateHasNoField()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 4)               // template FlowSet, length 8
            .u16(400).u16(0);             // template 400, zero fields
        template256(w);
        dataSet256(w, 1500);

        assertEquals(1, decode(w));
        assertEquals(1, errors(DecodeError.BAD_TEMPLATE));
    }

    @Test
    void shouldCountBadTemplateWhenFieldCountOverrunsFlowSet()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 4 + 4)           // room for one field
            .u16(401).u16(50)             // claims 50 fields
            .u16(1).u16(4);

        decode(w);

        assertEquals(1, errors(DecodeError.BAD_TEMPLATE));
        assertEquals(0, exporter().templateCount());
    }

    @Test
    void shouldRefuseTemplateWhoseRecordsHaveNoLengthSoDataCannotLoop()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 4 + 2 * 4)
            .u16(402).u16(2)              // template 402
            .u16(1).u16(0)                // IN_BYTES, length 0
            .u16(2).u16(0);               // IN_PKTS, length 0: record length 0
        w.u16(402).u16(4 + 64).zeros(64);

        assertEquals(0, decode(w));
        assertEquals(1, errors(DecodeError.BAD_TEMPLATE));
        assertEquals(1, exporter().held().count());
    }

    @Test
    void shouldCountBadLengthWhenTemplateFlowSetEndsInNonZeroBytes()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 4 + 4 + 4)       // template FlowSet with 4 trailing bytes
            .u16(403).u16(1)
            .u16(1).u16(4)
            .u16(0x00FF).u16(0xFFFF);     // not a template (id < 256), not zero padding

        decode(w);

        assertEquals(1, errors(DecodeError.BAD_LENGTH));
        assertEquals(1, exporter().templateCount());
    }

    @Test
    void shouldCountTemplateLimitWhenExporterHasTooManyTemplates()
    {
        settings(settingsWith(16, 1, 4096, 100, 0, Map.of()));
        final ByteFixture w = header(1, SOURCE_ID);
        w.u16(0).u16(4 + 2 * 8)
            .u16(500).u16(1).u16(1).u16(4)  // template 500
            .u16(501).u16(1).u16(1).u16(4); // template 501: over the cap of 1

        decode(w);

        assertEquals(1, errors(DecodeError.TEMPLATE_LIMIT));
        assertEquals(1, exporter().templateCount());
    }

    @Test
    void shouldCountExporterLimitWhenTooManyExportersThatSentData()
    {
        settings(settingsWith(1, 16, 4096, 100, 0, Map.of()));
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1500);
        decode(w);
        decode(header(1, SOURCE_ID + 1));

        assertEquals(1, rejections(DecodeError.EXPORTER_LIMIT));
        assertEquals(0, errors(DecodeError.EXPORTER_LIMIT));
        assertEquals(1, counters.datagrams(FlowType.NETFLOW_V9));
        assertEquals(1, decoder.exporters().size());
        assertEquals(1, decoder.exporters().budget().refusals(StateBudget.Limit.MAX_EXPORTERS));
    }

    @Test
    void shouldEvictStreamThatNeverSentDataWhenTooManyExporters()
    {
        settings(settingsWith(1, 16, 4096, 100, 0, Map.of()));
        final ByteFixture first = header(1, SOURCE_ID);
        template256(first);
        decode(first);
        decode(header(1, SOURCE_ID + 1));

        assertEquals(0, rejections(DecodeError.EXPORTER_LIMIT));
        assertEquals(2, counters.datagrams(FlowType.NETFLOW_V9));
        assertEquals(1, decoder.exporters().size());
        assertEquals(1, decoder.exporters().budget().evictions(StateBudget.Limit.MAX_EXPORTERS));
        assertEquals(0, decoder.exporters().budget().templates(), "the evicted stream's template was released");
    }

    @Test
    void shouldCountTooManyRecordsWhenDatagramExceedsCap()
    {
        settings(settingsWith(16, 16, 4096, 2, 0, Map.of()));
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1, 2, 3);

        assertEquals(2, decode(w));
        assertEquals(1, errors(DecodeError.TOO_MANY_RECORDS));
    }

    /**
     * Template FlowSet with one template of {@code zeroLength} IN_BYTES fields of length 0 followed
     * by {@code sized} IN_BYTES fields of {@code length} bytes.
     */
    private static void sparseTemplate(
        final ByteFixture w, final int templateId, final int zeroLength, final int sized, final int length)
    {
        final int fields = zeroLength + sized;
        w.u16(0).u16(4 + 4 + fields * 4).u16(templateId).u16(fields);
        for (int i = 0; i < fields; i++)
        {
            w.u16(1).u16(i < zeroLength ? 0 : length);
        }
    }

    @Test
    void shouldRefuseAmplificationTemplateWhenItHas16360MostlyZeroLengthFields()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        sparseTemplate(w, 600, 16_359, 1, 1);       // issue 18 item 5: 16,359 x 0 bytes + 1 x 1 byte
        assertTrue(w.length() <= 65_535);

        assertEquals(0, decode(w));
        assertEquals(1, errors(DecodeError.TOO_MANY_FIELDS));
        assertEquals(0, exporter().templateCount());
    }

    @Test
    void shouldRefuseSparseTemplateAndHoldItsDataWhenFieldsOutnumberTwicePerRecordByte()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        sparseTemplate(w, 601, 500, 1, 1);          // 501 fields, 1-byte records
        w.u16(601).u16(4 + 1000).zeros(1000);        // would be 1,000 records x 501 fields

        assertEquals(0, decode(w));
        assertEquals(1, errors(DecodeError.SPARSE_TEMPLATE));
        assertEquals(0, exporter().templateCount());
        assertEquals(1, exporter().held().count());
    }

    @Test
    void shouldStopDatagramAtFieldBudgetWhenValidTemplateWouldReadMoreFields()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        sparseTemplate(w, 602, 256, 256, 1);        // 512 fields, 256-byte records: valid
        final int records = 200;                    // 200 x 512 = 102,400 reads > 65,536
        w.u16(602).u16(4 + records * 256).zeros(records * 256);
        template256(w);
        dataSet256(w, 1500);                        // after the cut: not decoded

        assertEquals(65_536 / 512, decode(w));
        assertEquals(1, errors(DecodeError.FIELD_BUDGET));
        assertEquals(0, errors(DecodeError.TOO_MANY_RECORDS));

        final ByteFixture next = header(2, SOURCE_ID);
        next.u16(602).u16(4 + 256).zeros(256);
        assertEquals(1, decode(next));
        assertEquals(1, errors(DecodeError.FIELD_BUDGET));
    }

    @Test
    void shouldDecodeWholeDatagramWhenOneByteFieldsFillTheLargestDatagram()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        sparseTemplate(w, 603, 0, 16, 1);           // 16 one-byte fields
        final int records = (65_535 - w.length() - 4) / 16;
        w.u16(603).u16(4 + records * 16).zeros(records * 16);

        assertEquals(records, decode(w));
        assertEquals(0, errors(DecodeError.FIELD_BUDGET));
    }

    @Test
    void shouldCountShortDataSetWhenSetIsShorterThanOneRecord()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        w.u16(256).u16(4 + 46).zeros(46);           // 46 bytes: one byte short of a 47-byte record
        dataSet256(w, 1500);                        // the next set still decodes

        assertEquals(1, decode(w));
        assertEquals(1, errors(DecodeError.SHORT_DATA_SET));
        assertEquals(0, errors(DecodeError.BAD_LENGTH));
    }

    @Test
    void shouldNotCountShortDataSetWhenSetIsEmpty()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        w.u16(256).u16(4);                          // header only: no record, nothing lost

        assertEquals(0, decode(w));
        assertEquals(0, errors(DecodeError.SHORT_DATA_SET));
    }

    @Test
    void shouldCountShortDataSetWhenHeldSetIsReplayedAndTooShort()
    {
        final ByteFixture data = header(1, SOURCE_ID);
        data.u16(256).u16(4 + 20).zeros(20);        // held: template unknown
        assertEquals(0, decode(data));
        assertEquals(0, errors(DecodeError.SHORT_DATA_SET));

        final ByteFixture template = header(2, SOURCE_ID);
        template256(template);
        assertEquals(0, decode(template));

        assertEquals(1, errors(DecodeError.SHORT_DATA_SET));
    }

    @Test
    void shouldReplayHeldSetWhenTemplateArrivesLater()
    {
        final ByteFixture data = header(1, SOURCE_ID);
        dataSet256(data, 1500);
        assertEquals(0, decode(data));

        final ByteFixture template = header(2, SOURCE_ID);
        template256(template);
        assertEquals(1, decode(template));

        final FlowRecord r = sink.flow(0);
        assertEquals(1500, r.bytes);
        assertEquals(1, r.sequenceNum);
        assertEquals((UNIX_SECS - 5L) * SEC, r.timeFlowStartNs);
        assertEquals(0, errors(DecodeError.NO_TEMPLATE));
        assertEquals(1, exporter().heldSets());
        assertEquals(1, exporter().replayedSets());
        assertEquals(0, exporter().held().count());
    }

    @Test
    void shouldExpireHeldSetWhenTemplateNeverArrives()
    {
        final ByteFixture data = header(1, SOURCE_ID);
        dataSet256(data, 1500);
        decode(data);

        decoder.onTimer(RECEIVED_NS + DecoderSettings.PENDING_TIMEOUT_NS_DEFAULT + 1);
        final ByteFixture template = header(2, SOURCE_ID);
        template256(template);

        assertEquals(0, decode(template.toArray(), RECEIVED_NS + DecoderSettings.PENDING_TIMEOUT_NS_DEFAULT + 2));
        assertEquals(1, errors(DecodeError.NO_TEMPLATE_EXPIRED));
        assertEquals(1, exporter().expiredSets());
    }

    @Test
    void shouldCountPendingFullWhenHoldBufferIsFull()
    {
        settings(settingsWith(16, 16, 100, 100, 0, Map.of()));
        final ByteFixture data = header(1, SOURCE_ID);
        dataSet256(data, 1);              // 48 body + 32 entry header: fits in 100
        dataSet256(data, 2);              // does not fit

        decode(data);

        assertEquals(0, errors(DecodeError.NO_TEMPLATE));
        assertEquals(1, errors(DecodeError.PENDING_FULL));
        assertEquals(1, exporter().held().count());
    }

    @Test
    void shouldExpireTemplateWhenNotRefreshedInTime()
    {
        final ByteFixture template = header(1, SOURCE_ID);
        template256(template);
        decode(template);

        decoder.onTimer(RECEIVED_NS + DecoderSettings.TEMPLATE_TIMEOUT_NS_DEFAULT + 1);
        final ByteFixture data = header(2, SOURCE_ID);
        dataSet256(data, 1500);

        assertEquals(0, decode(data.toArray(), RECEIVED_NS + DecoderSettings.TEMPLATE_TIMEOUT_NS_DEFAULT + 2));
        assertEquals(1, exporter().held().count());
    }

    @Test
    void shouldKeepTemplateWhenRefreshedBeforeTimeout()
    {
        final ByteFixture template = header(1, SOURCE_ID);
        template256(template);
        decode(template);
        final long later = RECEIVED_NS + DecoderSettings.TEMPLATE_TIMEOUT_NS_DEFAULT / 2;
        decode(template.toArray(), later);

        decoder.onTimer(RECEIVED_NS + DecoderSettings.TEMPLATE_TIMEOUT_NS_DEFAULT + 1);
        final ByteFixture data = header(2, SOURCE_ID);
        dataSet256(data, 1500);

        assertEquals(1, decode(data.toArray(), later + 1));
    }

    @Test
    void shouldSeparateExportersByPortWhenKeyIncludesPort()
    {
        settings(new DecoderSettings(true, 16, 16, 60 * SEC, 0, 10 * SEC, 100, 0, Map.of()));
        final ByteFixture template = header(1, SOURCE_ID);
        template256(template);
        decode(template);
        final ByteFixture data = header(2, SOURCE_ID);
        dataSet256(data, 1500);
        final byte[] bytes = data.toArray();

        final int sameport = decode(bytes, RECEIVED_NS);
        final int otherPort = decoder.decode(
            source.set(ListenerProtocol.NETFLOW, EXPORTER_HI, EXPORTER_LO, EXPORTER_PORT + 1, RECEIVED_NS),
            new UnsafeBuffer(bytes), 0, bytes.length, sink);

        assertEquals(1, sameport);
        assertEquals(0, otherPort);
    }

    @Test
    void shouldPublishExporterStatsWhenTimerRuns()
    {
        final ByteFixture w = header(1, SOURCE_ID);
        template256(w);
        dataSet256(w, 1);
        decode(w);
        decode(header(4, SOURCE_ID));

        assertTrue(stats().isEmpty());
        decoder.onTimer(RECEIVED_NS + 1);

        final List<ExporterStats> stats = stats();
        assertEquals(1, stats.size());
        final ExporterStats s = stats.get(0);
        assertEquals(FlowType.NETFLOW_V9, s.type());
        assertEquals(EXPORTER_LO, s.addrLo());
        assertEquals(SOURCE_ID, s.domain());
        assertEquals(1, s.templates());
        assertEquals(2, s.sequenceLost());
        assertEquals(RECEIVED_NS, s.lastSeenNs());
        assertFalse(s.port() >= 0);
    }
}
