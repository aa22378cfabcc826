package io.goflow.exporter.decoders.ipfix;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.decoders.template.RecordingSink;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import io.goflow.exporter.decoders.testsupport.SamplingStates;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IPFIX (RFC 7011, RFC 5103) through {@link DatagramDecoder}, on hand-built messages. Expected
 * values are those written into the fixtures; times are worked out by hand from the encodings.
 */
class IpfixDecoderTest
{
    /** 2001:db8::9 as the exporter address. */
    private static final long EXPORTER_HI = 0x2001_0DB8_0000_0000L;
    private static final long EXPORTER_LO = 9;
    private static final int DOMAIN = 42;
    private static final long SEC = 1_000_000_000L;
    private static final long EXPORT_TIME_SEC = 1_700_000_000L;
    private static final long RECEIVED_NS = EXPORT_TIME_SEC * SEC + 7;
    /** RFC 7011 section 6.1.10: NTP era 0 starts 2,208,988,800 s before the UNIX epoch. */
    private static final long NTP_OFFSET_SEC = 2_208_988_800L;
    private static final int E = 0x8000;

    private final DatagramSource source = new DatagramSource();
    private final RecordingSink sink = new RecordingSink();
    private final DecodeCounters counters = new DecodeCounters();
    private final DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), counters);

    /** Message header, RFC 7011 section 3.1; the length is patched by {@link #decode}. */
    private static ByteFixture header(final long sequence)
    {
        return new ByteFixture()
            .u16(10)                  // version
            .u16(0)                   // length, patched
            .u32(EXPORT_TIME_SEC)     // export time
            .u32(sequence)            // sequence: data records sent before this message
            .u32(DOMAIN);             // observation domain id
    }

    private static byte[] message(final ByteFixture w)
    {
        final byte[] b = w.toArray();
        b[2] = (byte)(b.length >>> 8);
        b[3] = (byte)b.length;
        return b;
    }

    private int decode(final ByteFixture w)
    {
        return decode(message(w));
    }

    private int decode(final byte[] bytes)
    {
        return decoder.decode(
            source.set(ListenerProtocol.IPFIX, EXPORTER_HI, EXPORTER_LO, 4739, RECEIVED_NS),
            new UnsafeBuffer(bytes), 0, bytes.length, sink);
    }

    private long errors(final DecodeError error)
    {
        return counters.errors(FlowType.IPFIX, error);
    }

    private long rejections(final DecodeError error)
    {
        return counters.rejections(FlowType.IPFIX, error);
    }

    private ExporterState exporter()
    {
        return decoder.exporters().lookup(FlowType.IPFIX, EXPORTER_HI, EXPORTER_LO, 4739, DOMAIN, RECEIVED_NS);
    }

    /** Template set with one template: {@code fields} are (element id, length) pairs, IANA only. */
    private static void template(final ByteFixture w, final int templateId, final int... fields)
    {
        final int count = fields.length / 2;
        w.u16(2).u16(4 + 4 + 4 * count)   // set id 2 (template), length
            .u16(templateId).u16(count);  // template id, field count
        for (int i = 0; i < fields.length; i += 2)
        {
            w.u16(fields[i]).u16(fields[i + 1]);
        }
    }

    @Test
    void shouldDecodeIpv6RecordWhenTemplateAndDataShareMessage()
    {
        final ByteFixture w = header(0);
        template(w, 256,
            27, 16,     // sourceIPv6Address
            28, 16,     // destinationIPv6Address
            7, 2,       // sourceTransportPort
            11, 2,      // destinationTransportPort
            4, 1,       // protocolIdentifier
            1, 8,       // octetDeltaCount
            2, 8,       // packetDeltaCount
            61, 1,      // flowDirection
            89, 1,      // forwardingStatus
            58, 2,      // vlanId
            56, 6,      // sourceMacAddress
            80, 6,      // destinationMacAddress
            62, 16,     // ipNextHopIPv6Address
            139, 2);    // icmpTypeCodeIPv6
        w.u16(256).u16(4 + 87)                               // data set, one 87-byte record
            .hex("2001 0db8 0000 0000 0000 0000 0000 0001")  // src 2001:db8::1
            .hex("2001 0db8 0000 0000 0000 0000 0000 0002")  // dst 2001:db8::2
            .u16(0)                                          // src port
            .u16(0)                                          // dst port
            .u8(58)                                          // ICMPv6
            .u64(1_000_000_000_000L)                         // 10^12 bytes
            .u64(1_000_000_000L)                             // 10^9 packets (1,000 bytes each)
            .u8(1)                                           // egress
            .u8(0x40)                                        // forwarded
            .u16(100)                                        // vlan 100
            .hex("0a 0b 0c 0d 0e 0f")                        // src MAC
            .hex("01 02 03 04 05 06")                        // dst MAC
            .hex("fe80 0000 0000 0000 0000 0000 0000 0001")  // next hop fe80::1
            .u16(0x8000);                                    // echo request: type 128, code 0

        assertEquals(1, decode(w));

        final FlowRecord r = sink.flow(0);
        assertEquals(FlowType.IPFIX, r.type);
        assertEquals(0x2001_0DB8_0000_0000L, r.srcAddrHi);
        assertEquals(1, r.srcAddrLo);
        assertEquals(2, r.dstAddrLo);
        assertEquals(6, r.ipVersion);
        assertEquals(58, r.proto);
        assertEquals(1_000_000_000_000L, r.bytes);
        assertEquals(1_000_000_000L, r.packets);
        assertEquals(FlowRecord.DIRECTION_EGRESS, r.direction);
        assertEquals(0x40, r.forwardingStatus);
        assertEquals(100, r.srcVlan);
        assertEquals(0x0A0B_0C0D_0E0FL, r.srcMac);
        assertEquals(0x0102_0304_0506L, r.dstMac);
        assertEquals(0xFE80_0000_0000_0000L, r.nextHopHi);
        assertEquals(128, r.icmpType);
        assertEquals(0, r.icmpCode);
        assertEquals(DOMAIN, r.observationDomainId);
        assertEquals(EXPORTER_HI, r.samplerAddrHi);
    }

    private FlowRecord decodeTimes(final int startId, final int endId, final int length, final long start, final long end)
    {
        final ByteFixture w = header(0);
        template(w, 257, startId, length, endId, length);
        w.u16(257).u16(4 + 2 * length);
        if (length == 8)
        {
            w.u64(start).u64(end);
        }
        else
        {
            w.u32(start).u32(end);
        }
        decode(w);
        return sink.flow(0);
    }

    @Test
    void shouldConvertSecondsWhenTemplateUsesFlowStartSeconds()
    {
        final FlowRecord r = decodeTimes(150, 151, 4, EXPORT_TIME_SEC - 60, EXPORT_TIME_SEC - 1);

        assertEquals((EXPORT_TIME_SEC - 60) * SEC, r.timeFlowStartNs);
        assertEquals((EXPORT_TIME_SEC - 1) * SEC, r.timeFlowEndNs);
    }

    @Test
    void shouldConvertMillisecondsWhenTemplateUsesFlowStartMilliseconds()
    {
        final FlowRecord r = decodeTimes(152, 153, 8, 1_699_999_999_123L, 1_699_999_999_999L);

        assertEquals(1_699_999_999_123_000_000L, r.timeFlowStartNs);
        assertEquals(1_699_999_999_999_000_000L, r.timeFlowEndNs);
    }

    @Test
    void shouldConvertNtpMicrosecondsWhenTemplateUsesFlowStartMicroseconds()
    {
        final long ntpSeconds = EXPORT_TIME_SEC + NTP_OFFSET_SEC;
        final FlowRecord r = decodeTimes(154, 155, 8,
            (ntpSeconds << 32) | 0x8000_0000L,      // +0.5 s
            ((ntpSeconds + 1) << 32) | 0x4000_0000L); // +1.25 s

        assertEquals(EXPORT_TIME_SEC * SEC + 500_000_000L, r.timeFlowStartNs);
        assertEquals((EXPORT_TIME_SEC + 1) * SEC + 250_000_000L, r.timeFlowEndNs);
    }

    @Test
    void shouldConvertNtpNanosecondsWhenTemplateUsesFlowStartNanoseconds()
    {
        final long ntpSeconds = EXPORT_TIME_SEC + NTP_OFFSET_SEC;
        final FlowRecord r = decodeTimes(156, 157, 8, ntpSeconds << 32, (ntpSeconds << 32) | 0x1000_0000L);

        assertEquals(EXPORT_TIME_SEC * SEC, r.timeFlowStartNs);
        assertEquals(EXPORT_TIME_SEC * SEC + 62_500_000L, r.timeFlowEndNs);   // 2^28 / 2^32 s
    }

    @Test
    void shouldSubtractDeltaFromExportTimeWhenTemplateUsesDeltaMicroseconds()
    {
        final FlowRecord r = decodeTimes(158, 159, 4, 2_500_000, 250);

        assertEquals(EXPORT_TIME_SEC * SEC - 2_500_000_000L, r.timeFlowStartNs);
        assertEquals(EXPORT_TIME_SEC * SEC - 250_000L, r.timeFlowEndNs);
    }

    @Test
    void shouldAddSystemInitTimeWhenRecordCarriesSysUpTimeAndInitTime()
    {
        final ByteFixture w = header(0);
        template(w, 258,
            160, 8,     // systemInitTimeMilliseconds
            22, 4,      // flowStartSysUpTime
            21, 4);     // flowEndSysUpTime
        w.u16(258).u16(4 + 16)
            .u64(1_699_000_000_000L)     // booted at 1,699,000,000 s
            .u32(5_000)                  // start 5 s after boot
            .u32(7_500);                 // end 7.5 s after boot

        decode(w);

        assertEquals(1_699_000_005_000_000_000L, sink.flow(0).timeFlowStartNs);
        assertEquals(1_699_000_007_500_000_000L, sink.flow(0).timeFlowEndNs);
    }

    @Test
    void shouldUseOptionsSystemInitTimeWhenRecordHasOnlySysUpTime()
    {
        final ByteFixture w = header(0);
        w.u16(3).u16(4 + 6 + 8)          // options template set
            .u16(300).u16(2).u16(1)      // template 300, 2 fields, 1 scope field
            .u16(149).u16(4)             // scope observationDomainId
            .u16(160).u16(8);            // systemInitTimeMilliseconds
        w.u16(300).u16(4 + 12)
            .u32(DOMAIN)
            .u64(1_699_000_000_000L);
        template(w, 259, 22, 4, 21, 4);
        w.u16(259).u16(4 + 8).u32(1_000).u32(2_000);

        decode(w);

        assertEquals(1_699_000_001_000_000_000L, sink.flow(0).timeFlowStartNs);
        assertEquals(1_699_000_002_000_000_000L, sink.flow(0).timeFlowEndNs);
    }

    @Test
    void shouldDeriveEndFromDurationWhenOnlyStartAndDurationPresent()
    {
        final ByteFixture w = header(0);
        template(w, 260, 152, 8, 161, 4);  // flowStartMilliseconds, flowDurationMilliseconds
        w.u16(260).u16(4 + 12).u64(1_699_999_999_000L).u32(1_500);

        decode(w);

        assertEquals(1_700_000_000_500_000_000L, sink.flow(0).timeFlowEndNs);
    }

    @Test
    void shouldReadShortVariableLengthFieldWhenLengthBelow255()
    {
        final ByteFixture w = header(0);
        template(w, 261, 1, 4, 82, 0xFFFF, 7, 2);  // octetDeltaCount, interfaceName (varlen), srcPort
        w.u16(261).u16(4 + 4 + 1 + 4 + 2 + 1)
            .u32(321)                   // bytes
            .u8(4).hex("65 74 68 30")   // length 4, "eth0"
            .u16(53)                    // src port
            .u8(0);                     // padding

        decode(w);

        assertEquals(321, sink.flow(0).bytes);
        assertEquals(53, sink.flow(0).srcPort);
        assertEquals(1, sink.flows.size());
    }

    @Test
    void shouldReadLongVariableLengthFieldWhenLengthIs255Form()
    {
        final ByteFixture w = header(0);
        template(w, 262, 1, 4, 82, 0xFFFF, 7, 2);
        w.u16(262).u16(4 + 4 + 3 + 300 + 2)
            .u32(321)                   // bytes
            .u8(255).u16(300)           // long form: 255 then 2-byte length 300
            .zeros(300)                 // value
            .u16(53);                   // src port

        decode(w);

        assertEquals(53, sink.flow(0).srcPort);
    }

    @Test
    void shouldCountBadLengthWhenVariableLengthOverrunsSet()
    {
        final ByteFixture w = header(0);
        template(w, 263, 1, 4, 82, 0xFFFF);
        w.u16(263).u16(4 + 4 + 1 + 2)
            .u32(321)
            .u8(200)                    // claims 200 bytes, 2 present
            .u16(0);

        assertEquals(0, decode(w));
        assertEquals(1, errors(DecodeError.BAD_LENGTH));
    }

    @Test
    void shouldSkipEnterpriseFieldsByLengthWhenPenIsUnknown()
    {
        final ByteFixture w = header(0);
        w.u16(2).u16(4 + 4 + 8 + 8 + 4 + 4)
            .u16(264).u16(4)
            .u16(E | 100).u16(4).u32(9)          // enterprise 9 element 100, 4 bytes
            .u16(E | 101).u16(0xFFFF).u32(9)     // enterprise 9 element 101, variable length
            .u16(1).u16(4)                       // octetDeltaCount
            .u16(7).u16(2);                      // sourceTransportPort
        w.u16(264).u16(4 + 4 + 3 + 4 + 2 + 3)
            .u32(0xDEAD_BEEFL)                   // skipped
            .u8(2).u16(0xFFFF)                   // skipped, varlen 2
            .u32(1234)                           // bytes
            .u16(8080)                           // src port
            .zeros(3);                           // padding

        decode(w);

        assertEquals(1234, sink.flow(0).bytes);
        assertEquals(8080, sink.flow(0).srcPort);
    }

    /** Biflow template 265: forward 5-tuple and counters, RFC 5103 reverse counters and times. */
    private static void biflowTemplate(final ByteFixture w)
    {
        w.u16(2).u16(4 + 4 + 10 * 4 + 3 * 8)  // 10 IANA + 3 enterprise specifiers
            .u16(265).u16(13)
            .u16(8).u16(4)                        // sourceIPv4Address
            .u16(12).u16(4)                       // destinationIPv4Address
            .u16(7).u16(2)                        // sourceTransportPort
            .u16(11).u16(2)                       // destinationTransportPort
            .u16(4).u16(1)                        // protocolIdentifier
            .u16(10).u16(4)                       // ingressInterface
            .u16(14).u16(4)                       // egressInterface
            .u16(1).u16(8)                        // octetDeltaCount
            .u16(2).u16(8)                        // packetDeltaCount
            .u16(E | 1).u16(8).u32(29305)         // reverseOctetDeltaCount
            .u16(E | 2).u16(8).u32(29305)         // reversePacketDeltaCount
            .u16(152).u16(8)                      // flowStartMilliseconds
            .u16(E | 152).u16(8).u32(29305);      // reverseFlowStartMilliseconds
    }

    private static void biflowRecord(final ByteFixture w, final long reverseBytes, final long reversePackets)
    {
        w.u16(265).u16(4 + 69)
            .ipv4("10.0.0.1").ipv4("10.0.0.2")   // forward src, dst
            .u16(1000).u16(80)                   // forward ports
            .u8(6)                               // TCP
            .u32(3).u32(4)                       // in if 3, out if 4
            .u64(500).u64(5)                     // forward bytes, packets
            .u64(reverseBytes).u64(reversePackets)
            .u64(1_699_999_990_000L)             // forward start ms
            .u64(1_699_999_991_000L);            // reverse start ms
    }

    @Test
    void shouldEmitSwappedReverseRecordWhenBiflowReverseCountersNonZero()
    {
        final ByteFixture w = header(0);
        biflowTemplate(w);
        biflowRecord(w, 9000, 8);

        assertEquals(2, decode(w));

        final FlowRecord forward = sink.flow(0);
        final FlowRecord reverse = sink.flow(1);
        assertFalse(forward.reverse);
        assertEquals(500, forward.bytes);
        assertTrue(reverse.reverse);
        assertEquals(9000, reverse.bytes);
        assertEquals(8, reverse.packets);
        assertEquals(FlowRecord.ipv4MappedLo(0x0A00_0002), reverse.srcAddrLo);
        assertEquals(FlowRecord.ipv4MappedLo(0x0A00_0001), reverse.dstAddrLo);
        assertEquals(80, reverse.srcPort);
        assertEquals(1000, reverse.dstPort);
        assertEquals(4, reverse.inIf);
        assertEquals(3, reverse.outIf);
        assertEquals(1_699_999_991_000_000_000L, reverse.timeFlowStartNs);
        assertEquals(1_699_999_990_000_000_000L, forward.timeFlowStartNs);
    }

    @Test
    void shouldEmitOnlyForwardRecordWhenReverseCountersAreZero()
    {
        final ByteFixture w = header(0);
        biflowTemplate(w);
        biflowRecord(w, 0, 0);

        assertEquals(1, decode(w));
        assertFalse(sink.flow(0).reverse);
    }

    @Test
    void shouldKeepForwardAndRefuseReverseWhenReverseCountersAre2To64Minus1()
    {
        final ByteFixture w = header(0);
        biflowTemplate(w);
        biflowRecord(w, -1L, -1L);                   // reverse octets and packets 2^64 - 1

        assertEquals(1, decode(w));
        assertFalse(sink.flow(0).reverse);
        assertEquals(500, sink.flow(0).bytes);
        assertEquals(1, errors(DecodeError.IMPLAUSIBLE_COUNTER));
    }

    @Test
    void shouldRefuseRecordWhenInitiatorPlusResponderOctetsWrapPastZero()
    {
        final ByteFixture w = header(0);
        template(w, 283, 231, 8, 232, 8);            // NSEL initiatorOctets, responderOctets
        w.u16(283).u16(4 + 16).u64(-1L).u64(1);      // 2^64 - 1 + 1 would be 0 bytes

        assertEquals(0, decode(w));
        assertEquals(1, errors(DecodeError.IMPLAUSIBLE_COUNTER));
    }

    @Test
    void shouldRefuseRecordWhenSamplingProbabilityMakesRateAbove2To24()
    {
        final ByteFixture w = header(0);
        template(w, 284, 1, 4, 311, 8);              // octetDeltaCount, samplingProbability float64
        w.u16(284).u16(4 + 12).u32(100).u64(Double.doubleToLongBits(1e-12));   // 1-in-10^12
        w.u16(284).u16(4 + 12).u32(100).u64(Double.doubleToLongBits(1.0 / 4096));

        assertEquals(1, decode(w));
        assertEquals(1, errors(DecodeError.IMPLAUSIBLE_SAMPLING_RATE));
        assertEquals(4096, sink.flow(0).samplingRate);
    }

    @Test
    void shouldRefuseRecordWhenSamplingPopulationIsAbove2To63()
    {
        final ByteFixture w = header(0);
        template(w, 285, 1, 4, 309, 8, 310, 8);      // octetDeltaCount, samplingSize, samplingPopulation
        w.u16(285).u16(4 + 20).u32(10).u64(1).u64(-1L);

        assertEquals(0, decode(w));
        assertEquals(1, errors(DecodeError.IMPLAUSIBLE_SAMPLING_RATE));
    }

    @Test
    void shouldForgetTemplateWhenWithdrawn()
    {
        final ByteFixture w = header(0);
        template(w, 266, 1, 4);
        decode(w);
        final ByteFixture withdraw = header(0);
        withdraw.u16(2).u16(8).u16(266).u16(0);   // template withdrawal: id 266, field count 0
        decode(withdraw);
        final ByteFixture data = header(0);
        data.u16(266).u16(8).u32(1);

        assertEquals(0, decode(data));
        assertEquals(1, exporter().held().count());
    }

    private void announceDataAndOptionsTemplates()
    {
        final ByteFixture w = header(0);
        template(w, 267, 1, 4);
        template(w, 268, 2, 4);
        w.u16(3).u16(4 + 6 + 8)
            .u16(269).u16(2).u16(1)       // options template 269
            .u16(149).u16(4)              // scope observationDomainId
            .u16(34).u16(4);              // samplingInterval
        decode(w);
    }

    @Test
    void shouldForgetEveryDataTemplateWhenAllTemplatesWithdrawn()
    {
        announceDataAndOptionsTemplates();
        final ByteFixture withdraw = header(0);
        withdraw.u16(2).u16(8).u16(2).u16(0);     // withdraw all templates: id 2 in a template set

        decode(withdraw);

        assertEquals(null, exporter().template(267));
        assertEquals(null, exporter().template(268));
        assertTrue(exporter().template(269) != null);
    }

    @Test
    void shouldForgetEveryOptionsTemplateWhenAllOptionsTemplatesWithdrawn()
    {
        announceDataAndOptionsTemplates();
        final ByteFixture withdraw = header(0);
        withdraw.u16(3).u16(8).u16(3).u16(0);     // withdraw all options templates: id 3 in set 3

        decode(withdraw);

        assertEquals(null, exporter().template(269));
        assertEquals(2, exporter().templateCount());
    }

    @Test
    void shouldCarryInterfaceNameWhenOptionsScopeIngressInterfaceWithIe82()
    {
        final ByteFixture w = header(0);
        w.u16(3).u16(4 + 6 + 12)
            .u16(280).u16(3).u16(1)       // options template 280, 3 fields, 1 scope (RFC 7011 3.4.2.2)
            .u16(10).u16(4)               // scope ingressInterface
            .u16(83).u16(0xFFFF)          // interfaceDescription, variable length
            .u16(82).u16(8);              // interfaceName, 8 bytes NUL padded
        w.u16(280).u16(4 + 4 + 1 + 6 + 8 + 1)
            .u32(7).u8(6).hex("55706c696e6b")   // ifIndex 7, description "Uplink"
            .hex("6574682d372f3000")            // name "eth-7/0" NUL padded
            .u8(0);                             // set padding
        decode(w);

        final FlowRecord first = sink.others.get(0);
        assertEquals(FlowRecord.Kind.OPTIONS, first.kind);
        assertEquals(7, first.inIf);
        assertEquals("eth-7/0", new String(first.interfaceName, 0, first.interfaceNameLength,
            java.nio.charset.StandardCharsets.US_ASCII), "IE 82 wins over IE 83 and stops at its NUL");
    }

    @Test
    void shouldApplySelectorRateWhenOptionsCarryPacketIntervalAndSpace()
    {
        final ByteFixture w = header(0);
        w.u16(3).u16(4 + 6 + 16)
            .u16(270).u16(4).u16(1)       // options template 270, 4 fields, 1 scope
            .u16(302).u16(8)              // scope selectorId
            .u16(304).u16(2)              // selectorAlgorithm
            .u16(305).u16(4)              // samplingPacketInterval
            .u16(306).u16(4);             // samplingPacketSpace
        w.u16(270).u16(4 + 18 + 2)
            .u64(5)                       // selector 5
            .u16(1)                       // systematic count-based
            .u32(1)                       // 1 packet selected
            .u32(99)                      // then 99 skipped: 1 in 100
            .u16(0);                      // padding
        template(w, 271, 302, 8, 1, 8);   // selectorId, octetDeltaCount
        w.u16(271).u16(4 + 32)
            .u64(5).u64(1000)             // selector 5
            .u64(6).u64(2000);            // selector 6: unknown

        decode(w);

        assertEquals(100, sink.flow(0).samplingRate);
        assertEquals(5, sink.flow(0).samplerId);
        assertEquals(0, sink.flow(1).samplingRate);
        assertEquals(Map.of("options", 100L, "none", 1L), SamplingStates.sources(decoder.samplingStates(), RECEIVED_NS));
        assertEquals(0, counters.errors(DecodeError.BAD_LENGTH));
    }

    @Test
    void shouldApplyExporterRateWhenOptionsHaveNoSelectorId()
    {
        final ByteFixture w = header(0);
        w.u16(3).u16(4 + 6 + 12)
            .u16(272).u16(3).u16(1)       // options template 272
            .u16(149).u16(4)              // scope observationDomainId
            .u16(305).u16(4)              // samplingPacketInterval
            .u16(306).u16(4);             // samplingPacketSpace
        w.u16(272).u16(4 + 12)
            .u32(DOMAIN).u32(2).u32(8);   // 2 in 10: rate 5
        template(w, 273, 1, 4);
        w.u16(273).u16(8).u32(10);

        decode(w);

        assertEquals(5, sink.flow(0).samplingRate);
    }

    @Test
    void shouldApplyPopulationOverSizeWhenRecordCarriesRandomSampling()
    {
        final ByteFixture w = header(0);
        template(w, 274, 1, 4, 309, 4, 310, 4);   // octetDeltaCount, samplingSize, samplingPopulation
        w.u16(274).u16(4 + 12).u32(10).u32(1).u32(256);

        decode(w);

        assertEquals(256, sink.flow(0).samplingRate);
    }

    @Test
    void shouldExpectNextSequenceAfterRecordsOfMessage()
    {
        final ByteFixture first = header(100);
        template(first, 275, 1, 4);
        first.u16(275).u16(4 + 8).u32(1).u32(2);   // 2 records: next expected 102
        decode(first);
        final ByteFixture inOrder = header(102);
        inOrder.u16(275).u16(8).u32(3);            // 1 record: next expected 103
        decode(inOrder);
        final ByteFixture gap = header(110);       // 7 records lost
        decode(gap);

        assertEquals(1, exporter().sequenceGaps());
        assertEquals(7, exporter().sequenceLost());
    }

    /**
     * Message with {@code flows} one-field flow records of template 283 and, when {@code options},
     * first the options template 284 (scope observationDomainId, samplingPacketInterval) and one
     * options record. Template 283 (octetDeltaCount, 4 bytes) is announced in every message.
     */
    private static ByteFixture softflowdStyle(final long sequence, final boolean options, final int flows)
    {
        final ByteFixture w = header(sequence);
        if (options)
        {
            w.u16(3).u16(4 + 6 + 8)
                .u16(284).u16(2).u16(1)       // options template 284, 2 fields, 1 scope
                .u16(149).u16(4)              // scope observationDomainId
                .u16(305).u16(4);             // samplingPacketInterval
            w.u16(284).u16(4 + 8).u32(DOMAIN).u32(1);
        }
        template(w, 283, 1, 4);
        w.u16(283).u16(4 + 4 * flows);
        for (int i = 0; i < flows; i++)
        {
            w.u32(100 + i);
        }
        return w;
    }

    @Test
    void shouldCountNoLossWhenExporterCountsFlowRecordsAfterMessageLikeSoftflowd()
    {
        decode(softflowdStyle(4, true, 4));      // 1 options + 4 flow records, counted after: 4
        decode(softflowdStyle(6, false, 2));     // 4 + 2
        decode(softflowdStyle(9, true, 3));      // 6 + 3: the options record is not counted
        decode(softflowdStyle(14, false, 5));
        decode(softflowdStyle(15, false, 1));

        assertEquals(0, exporter().sequenceGaps());
        assertEquals(ExporterState.POST_FLOW, exporter().sequenceConventions());
    }

    @Test
    void shouldCountRecordsOfLostMessageWhenExporterCountsFlowRecordsAfterMessage()
    {
        decode(softflowdStyle(4, true, 4));
        decode(softflowdStyle(6, false, 2));
        decode(softflowdStyle(9, true, 3));
        // seq 14 with 5 flow records lost
        decode(softflowdStyle(15, false, 1));
        decode(softflowdStyle(17, false, 2));

        assertEquals(1, exporter().sequenceGaps());
        assertEquals(5, exporter().sequenceLost());
    }

    @Test
    void shouldCountOptionsRecordsWhenExporterFollowsRfc()
    {
        decode(softflowdStyle(0, true, 4));      // 1 options + 4 flow records: next 5
        decode(softflowdStyle(5, false, 2));     // next 7
        decode(softflowdStyle(7, true, 3));      // next 11
        decode(softflowdStyle(11, false, 1));

        assertEquals(0, exporter().sequenceGaps());
        assertEquals(ExporterState.PRE_ALL, exporter().sequenceConventions());
    }

    @Test
    void shouldNotCountGapWhenRecordSequenceWraps()
    {
        final ByteFixture first = header(0xFFFF_FFFFL);
        template(first, 276, 1, 4);
        first.u16(276).u16(4 + 8).u32(1).u32(2);   // 2 records: next expected 1 after the wrap
        decode(first);
        decode(header(1));

        assertEquals(0, exporter().sequenceGaps());
    }

    @Test
    void shouldNotGuessSequenceWhenMessageHadHeldSet()
    {
        final ByteFixture held = header(50);
        held.u16(277).u16(8).u32(1);               // unknown template: record count unknown
        decode(held);
        decode(header(60));

        assertEquals(0, exporter().sequenceGaps());
        assertEquals(1, exporter().held().count());
    }

    @Test
    void shouldRejectTruncatedWhenMessageLengthExceedsDatagram()
    {
        final byte[] bytes = message(header(0).u16(2).u16(8).u16(300).u16(0));
        final byte[] cut = Arrays.copyOf(bytes, bytes.length - 2);

        assertEquals(0, decode(cut));
        assertEquals(1, rejections(DecodeError.TRUNCATED));
        assertEquals(0, errors(DecodeError.TRUNCATED));
        assertEquals(0, counters.datagrams(FlowType.IPFIX));
    }

    @Test
    void shouldCountBadLengthWhenMessageLengthBelowHeader()
    {
        final byte[] bytes = message(header(0));
        bytes[3] = 12;

        decode(bytes);

        assertEquals(1, rejections(DecodeError.BAD_LENGTH));
        assertEquals(0, errors(DecodeError.BAD_LENGTH));
        assertEquals(0, counters.datagrams(FlowType.IPFIX));
    }

    @Test
    void shouldIgnoreBytesAfterMessageLength()
    {
        final byte[] bytes = message(header(0));
        final byte[] withTrailer = Arrays.copyOf(bytes, bytes.length + 3);
        withTrailer[bytes.length] = 0x7F;

        decode(withTrailer);

        assertEquals(0, errors(DecodeError.BAD_LENGTH));
        assertEquals(0, errors(DecodeError.TRUNCATED));
    }

    @Test
    void shouldCountBadTemplateWhenOptionsScopeCountIsZero()
    {
        final ByteFixture w = header(0);
        w.u16(3).u16(4 + 6 + 4)
            .u16(278).u16(1).u16(0)       // scope field count 0: invalid (RFC 7011 3.4.2.2)
            .u16(34).u16(4);

        decode(w);

        assertEquals(1, errors(DecodeError.BAD_TEMPLATE));
        assertEquals(0, exporter().templateCount());
    }

    @Test
    void shouldCountBadTemplateWhenFieldSpecifiersOverrunSet()
    {
        final ByteFixture w = header(0);
        w.u16(2).u16(4 + 4 + 4 + 4)
            .u16(279).u16(2)
            .u16(1).u16(4)
            .u16(E | 2).u16(4);           // enterprise bit set but no room for the PEN

        decode(w);

        assertEquals(1, errors(DecodeError.BAD_TEMPLATE));
        assertEquals(0, exporter().templateCount());
    }

    @Test
    void shouldRefuseOptionsTemplateWhenItHasMoreThan512EnterpriseFields()
    {
        final int fields = 513;
        final ByteFixture w = header(0);
        w.u16(3).u16(4 + 6 + fields * 8)
            .u16(280).u16(fields).u16(1);   // options template 280, 513 fields, 1 scope field
        for (int i = 0; i < fields; i++)
        {
            w.u16(E | 100).u16(4).u32(9);   // enterprise element, 4 bytes, PEN 9
        }

        decode(w);

        assertEquals(1, errors(DecodeError.TOO_MANY_FIELDS));
        assertEquals(0, exporter().templateCount());
    }

    @Test
    void shouldRefuseSparseTemplateWhenZeroLengthFieldsOutnumberVariableLengthOnes()
    {
        final ByteFixture w = header(0);
        template(w, 281, 82, 0xFFFF, 1, 0, 2, 0);   // variable-length (1 byte minimum) + 2 x 0 bytes

        decode(w);

        assertEquals(1, errors(DecodeError.SPARSE_TEMPLATE));
        assertEquals(0, exporter().templateCount());
    }

    @Test
    void shouldCountShortDataSetWhenVariableLengthRecordCannotFit()
    {
        final ByteFixture w = header(0);
        template(w, 282, 8, 4, 82, 0xFFFF);          // 4-byte address + variable-length: 5 bytes minimum
        w.u16(282).u16(4 + 4).ipv4("192.0.2.1");     // 4 bytes: no room for the length byte

        assertEquals(0, decode(w));
        assertEquals(1, errors(DecodeError.SHORT_DATA_SET));
    }

    @Test
    void shouldReplayHeldSetWithItsOwnExportTimeWhenTemplateArrivesLater()
    {
        final ByteFixture data = header(0);
        data.u16(280).u16(4 + 8)
            .u32(77)                      // octetDeltaCount
            .u32(1_000_000);              // flowStartDeltaMicroseconds: 1 s before export
        assertEquals(0, decode(data));
        final ByteFixture withTemplate = new ByteFixture()
            .u16(10).u16(0)               // version, length (patched)
            .u32(EXPORT_TIME_SEC + 100)   // template sent 100 s later
            .u32(1).u32(DOMAIN);          // sequence, domain
        template(withTemplate, 280, 1, 4, 158, 4);

        assertEquals(1, decode(withTemplate));

        assertEquals(77, sink.flow(0).bytes);
        assertEquals((EXPORT_TIME_SEC - 1) * SEC, sink.flow(0).timeFlowStartNs);
        assertEquals(1, exporter().replayedSets());
    }

    @Test
    void shouldRejectTruncatedWhenMessageShorterThanHeader()
    {
        assertEquals(0, decode(Arrays.copyOf(message(header(0)), 15)));
        assertEquals(1, rejections(DecodeError.TRUNCATED));
        assertEquals(DecodeError.TRUNCATED, counters.lastRejection());
    }

    @Test
    void shouldNotCountDatagramNorErrorWhenHeaderIsCut()
    {
        decode(Arrays.copyOf(message(header(0)), 15));

        assertEquals(0, counters.datagrams(FlowType.IPFIX));
        assertEquals(0, errors(DecodeError.TRUNCATED));
        assertEquals(1, counters.outcomes());
    }
}
