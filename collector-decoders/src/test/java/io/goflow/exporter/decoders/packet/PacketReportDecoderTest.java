package io.goflow.exporter.decoders.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.template.RecordingSink;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import io.goflow.exporter.decoders.testsupport.SamplingStates;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * IPFIX and NetFlow v9 packet reports (RFC 5476, RFC 7133 sections; v9 field 104) through
 * {@link DatagramDecoder}, on hand-built messages whose every field is commented. Expected values
 * are read off the comments: the section's packet fills what the record's own fields do not give,
 * counters follow the rule of {@code DataSetDecoder} (no byte counter: header L3 length, else IE
 * 224, else IE 312, else the section length; no packet counter: 1), selector options give the rate.
 */
class PacketReportDecoderTest
{
    private static final long EXPORTER_HI = 0;
    private static final long EXPORTER_LO = FlowRecord.ipv4MappedLo(0xC000_0263);  // 192.0.2.99
    private static final int DOMAIN = 5;
    private static final long SEC = 1_000_000_000L;
    private static final long EXPORT_TIME_SEC = 1_700_000_000L;
    private static final long RECEIVED_NS = EXPORT_TIME_SEC * SEC;
    private static final int VARIABLE = 0xFFFF;

    private final DatagramSource source = new DatagramSource();
    private final RecordingSink sink = new RecordingSink();
    private DecodeCounters counters = new DecodeCounters();
    private DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), counters);

    /** IPFIX message header (RFC 7011 section 3.1); the length is patched by {@link #decode}. */
    private static ByteFixture ipfix(final long domain)
    {
        return new ByteFixture()
            .u16(10)                             // version
            .u16(0)                              // length, patched
            .u32(EXPORT_TIME_SEC)                // export time
            .u32(0)                              // sequence
            .u32(domain);                        // observation domain id
    }

    /** Template set with one template of (element id, length) pairs. */
    private static void template(final ByteFixture w, final int templateId, final int... fields)
    {
        w.u16(2).u16(4 + 4 + 2 * fields.length)   // set id 2 (template), length
            .u16(templateId).u16(fields.length / 2);  // template id, field count
        for (final int f : fields)
        {
            w.u16(f);
        }
    }

    /**
     * Ethernet + 802.1Q VLAN 42 + IPv4 10.1.1.1 -> 10.2.2.2 TCP 1234 -> 80 (flags ACK|PSH), total
     * length 1500, cut after the TCP header: 14 + 4 + 20 + 20 = 58 bytes.
     */
    private static ByteFixture frameVlanIpv4Tcp(final ByteFixture w)
    {
        return w.hex("02 00 00 00 00 0a")        // destination MAC
            .hex("02 00 00 00 00 0b")            // source MAC
            .u16(0x8100)                         // 802.1Q
            .u16(42)                             // VLAN 42
            .u16(0x0800)                         // IPv4
            .u8(0x45).u8(0x10)                   // version 4, IHL 5; ToS 0x10
            .u16(1500)                           // total length
            .u16(1).u16(0x4000)                  // id; DF, offset 0
            .u8(64).u8(6).u16(0)                 // TTL; TCP; checksum
            .ipv4("10.1.1.1").ipv4("10.2.2.2")   // source, destination
            .u16(1234).u16(80)                   // TCP ports
            .u32(0).u32(0)                       // sequence, acknowledgement
            .u8(0x50).u8(0x18)                   // data offset 5; flags ACK|PSH
            .u16(0).u16(0).u16(0);               // window, checksum, urgent
    }

    private int decode(final ByteFixture w)
    {
        final byte[] b = w.toArray();
        b[2] = (byte)(b.length >>> 8);
        b[3] = (byte)b.length;
        return decoder.decode(
            source.set(ListenerProtocol.IPFIX, EXPORTER_HI, EXPORTER_LO, 4739, RECEIVED_NS),
            new UnsafeBuffer(b), 0, b.length, sink);
    }

    private long errors(final DecodeError error)
    {
        return counters.errors(FlowType.IPFIX, error);
    }

    private static String src(final FlowRecord r)
    {
        return r.srcAddrPresent ? AddressText.toString(r.srcAddrHi, r.srcAddrLo) : "none";
    }

    private static String dst(final FlowRecord r)
    {
        return r.dstAddrPresent ? AddressText.toString(r.dstAddrHi, r.dstAddrLo) : "none";
    }

    @Test
    void shouldDecodeDataLinkFrameSectionWithPaddingCutBySectionExportedOctets()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 256,
            312, 2,                              // dataLinkFrameSize
            410, 2,                              // sectionExportedOctets
            315, 64);                            // dataLinkFrameSection, fixed 64 bytes
        w.u16(256).u16(4 + 2 + 2 + 64)           // data set 256
            .u16(1518)                           // frame size 1518
            .u16(58);                            // 58 octets of the section are packet bytes
        frameVlanIpv4Tcp(w).zeros(64 - 58);      // the rest is padding

        assertEquals(1, decode(w));

        final FlowRecord r = sink.flow(0);
        assertFrameVlanIpv4Tcp(r);
        assertEquals(4, r.ipVersion);
        assertEquals(6, r.proto);
        assertEquals(0x18, r.tcpFlags);
        assertEquals(0x10, r.tos);
        assertEquals(0x0200_0000_000BL, r.srcMac);
        assertEquals(1518, r.frameLength, "IE 312; bytes are L3: the IPv4 total length");
        for (final DecodeError e : DecodeError.values())
        {
            assertEquals(0, errors(e), e.reason());
        }
    }

    @Test
    void shouldDecodeVariableLengthIpHeaderSectionOfIpv6()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 257, 313, VARIABLE);         // ipHeaderPacketSection, variable length
        w.u16(257).u16(4 + 1 + 48)               // data set 257
            .u8(48)                              // variable-length field: 48 bytes
            .u32(0x6000_0000L)                   // IPv6, class 0, label 0
            .u16(1200)                           // payload length
            .u8(17).u8(64)                       // next header UDP, hop limit
            .hex("20010db8000000000000000000000010")   // source
            .hex("20010db8000000000000000000000020")   // destination
            .u16(4500).u16(4500)                 // UDP ports (IKE NAT-T)
            .u16(1200).u16(0);                   // UDP length, checksum

        decode(w);

        final FlowRecord r = sink.flow(0);
        assertEquals("2001:db8::10", src(r));
        assertEquals("2001:db8::20", dst(r));
        assertEquals(17, r.proto);
        assertEquals(4500, r.dstPort);
        assertEquals(1240, r.bytes, "IPv6 payload length + 40");
        assertEquals(0x86DD, r.etherType);
    }

    @Test
    void shouldLetPresentFieldsWinOverTheSection()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 258,
            8, 4,                                // sourceIPv4Address
            1, 4,                                // octetDeltaCount
            2, 4,                                // packetDeltaCount
            315, 58);                            // dataLinkFrameSection
        w.u16(258).u16(4 + 12 + 58)
            .ipv4("192.0.2.200")                 // source address field: wins
            .u32(9000)                           // octets: win
            .u32(3);                             // packets: win
        frameVlanIpv4Tcp(w);

        decode(w);

        final FlowRecord r = sink.flow(0);
        assertEquals("192.0.2.200", src(r));
        assertEquals("10.2.2.2", dst(r), "absent from the record: from the section");
        assertEquals(9000, r.bytes);
        assertEquals(3, r.packets);
    }

    @Test
    void shouldTakePortsFromPayloadSectionAndBytesFromIpTotalLength()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 259,
            8, 4, 12, 4,                         // source, destination IPv4
            4, 1,                                // protocolIdentifier
            224, 4,                              // ipTotalLength
            314, 8);                             // ipPayloadPacketSection: the UDP header
        w.u16(259).u16(4 + 13 + 8)
            .ipv4("10.9.9.1").ipv4("10.9.9.2")   // addresses
            .u8(17)                              // UDP
            .u32(576)                            // ipTotalLength 576
            .u16(123).u16(123)                   // NTP ports
            .u16(556).u16(0);                    // UDP length, checksum

        decode(w);

        final FlowRecord r = sink.flow(0);
        assertEquals(123, r.srcPort);
        assertEquals(123, r.dstPort);
        assertEquals(576, r.bytes);
        assertEquals(1, r.packets);
    }

    @Test
    void shouldTakePortsFromPayloadSectionWhenHeaderSectionHoldsJustTheIpHeader()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 265,
            313, 20,                             // ipHeaderPacketSection: the IPv4 header only
            314, 8);                             // ipPayloadPacketSection: the UDP header
        w.u16(265).u16(4 + 28)
            .u8(0x45).u8(0).u16(328)             // IPv4, IHL 5; ToS 0; total length 328
            .u16(1).u16(0)                       // id; offset 0
            .u8(64).u8(17).u16(0)                // TTL; UDP; checksum
            .ipv4("10.7.7.1").ipv4("10.7.7.2")   // source, destination
            .u16(5060).u16(5061)                 // UDP ports (SIP)
            .u16(308).u16(0);                    // UDP length, checksum

        decode(w);

        final FlowRecord r = sink.flow(0);
        assertEquals("10.7.7.1", src(r));
        assertEquals(17, r.proto);
        assertEquals(5060, r.srcPort);
        assertEquals(5061, r.dstPort);
        assertEquals(328, r.bytes);
        assertEquals(0, errors(DecodeError.SECTION_TRUNCATED));
    }

    @Test
    void shouldFallBackToFrameSizeAndCountTruncatedWhenHeaderIsCutBeforeTheLengthField()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 260,
            312, 2,                              // dataLinkFrameSize
            315, 17);                            // dataLinkFrameSection: 17 bytes
        w.u16(260).u16(4 + 2 + 17)
            .u16(90);                            // frame size 90
        w.hex("02 00 00 00 00 0a 02 00 00 00 00 0b")   // MACs
            .u16(0x0800)                         // IPv4
            .u8(0x45).u8(0).u8(0x05);            // version/IHL, ToS, first byte of the total length

        decode(w);

        final FlowRecord r = sink.flow(0);
        assertEquals(90, r.bytes);
        assertEquals(1, r.packets);
        assertFalse(r.srcAddrPresent);
        assertEquals(1, errors(DecodeError.SECTION_TRUNCATED));
    }

    @Test
    void shouldFallBackToSectionLengthWhenNothingElseGivesTheBytes()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 261, 313, 3);                // ipHeaderPacketSection of 3 bytes
        w.u16(261).u16(4 + 3 + 1)
            .u8(0x45).u8(0).u8(0x05)             // version/IHL, ToS, half a total length
            .u8(0);                              // set padding

        decode(w);

        assertEquals(3, sink.flow(0).bytes);
        assertEquals(1, errors(DecodeError.SECTION_TRUNCATED));
    }

    @Test
    void shouldCountMalformedAndIgnoreLyingLengthsWithoutThrowing()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 262,
            312, 2,                              // dataLinkFrameSize
            410, 2,                              // sectionExportedOctets
            313, 20);                            // ipHeaderPacketSection, 20 bytes
        w.u16(262).u16(4 + 4 + 20 + 4 + 20)
            .u16(64).u16(200)                    // frame size 64; exported octets 200 > field length 20
            .u8(0x45).u8(0).u16(40).u32(0).u8(64).u8(1).u16(0)   // IPv4, total 40, ICMP
            .ipv4("10.3.3.3").ipv4("10.4.4.4")
            .u16(64).u16(20)                     // second record: frame 64, exported 20
            .u8(0x43).u8(0).u16(40).u32(0).u8(64).u8(1).u16(0)   // IHL 3: a lie
            .ipv4("10.5.5.5").ipv4("10.6.6.6");

        assertEquals(2, decode(w));

        assertEquals(40, sink.flow(0).bytes, "the whole field is used when exported octets lie");
        assertEquals("10.3.3.3", src(sink.flow(0)));
        assertEquals(64, sink.flow(1).bytes, "a lying IPv4 header gives no length: frame size");
        assertFalse(sink.flow(1).srcAddrPresent);
        assertEquals(2, errors(DecodeError.SECTION_MALFORMED));
    }

    @Test
    void shouldCountBadLengthWhenSectionIsLongerThanTheDatagram()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 263, 315, VARIABLE);         // dataLinkFrameSection, variable length
        w.u16(263).u16(4 + 3 + 20)               // data set claims 27 bytes: fits the message
            .u8(255).u16(1400)                   // variable length: 1400 bytes, beyond the set
            .zeros(20);                          // all that follows

        assertEquals(0, decode(w));

        assertEquals(1, errors(DecodeError.BAD_LENGTH));
    }

    @Test
    void shouldNotParseSectionThatDoesNotStartThePacket()
    {
        final ByteFixture w = ipfix(DOMAIN);
        template(w, 264,
            312, 2,                              // dataLinkFrameSize
            409, 2,                              // sectionOffset
            315, 58);                            // dataLinkFrameSection
        w.u16(264).u16(4 + 4 + 58)
            .u16(1518).u16(64);                  // frame size; the section starts 64 bytes in
        frameVlanIpv4Tcp(w);

        decode(w);

        assertFalse(sink.flow(0).srcAddrPresent);
        assertEquals(1518, sink.flow(0).bytes);
    }

    /**
     * Options template 300 scoped by selectorId (IE 302) with selectorAlgorithm (304) and
     * samplingPacketInterval/Space (305/306): RFC 5476 section 6.5.2 selector report.
     */
    private static void selectorReport(final ByteFixture w, final long selectorId, final long interval, final long space)
    {
        w.u16(3).u16(4 + 6 + 16)                 // options template set
            .u16(300).u16(4).u16(1)              // template 300, 4 fields, 1 scope field
            .u16(302).u16(8)                     // scope: selectorId
            .u16(304).u16(2)                     // selectorAlgorithm
            .u16(305).u16(4)                     // samplingPacketInterval
            .u16(306).u16(4);                    // samplingPacketSpace
        w.u16(300).u16(4 + 18 + 2)
            .u64(selectorId)                     // selector
            .u16(1)                              // systematic count-based sampling
            .u32(interval)                       // packets selected
            .u32(space)                          // packets skipped
            .u16(0);                             // set padding
    }

    /** Packet report template 301: selectorId + dataLinkFrameSection of 58 bytes; one record. */
    private static void reportWithSelector(final ByteFixture w, final long selectorId)
    {
        template(w, 301, 302, 8, 315, 58);       // selectorId; dataLinkFrameSection
        w.u16(301).u16(4 + 8 + 58).u64(selectorId);
        frameVlanIpv4Tcp(w);
    }

    @Test
    void shouldScaleByTheRecordsSelectorWhenSelectorOptionsAreKnown()
    {
        final ByteFixture w = ipfix(DOMAIN);
        selectorReport(w, 7, 1, 999);            // selector 7: 1 in 1000
        selectorReport(w, 8, 1, 9);              // selector 8: 1 in 10
        reportWithSelector(w, 7);

        decode(w);

        assertEquals(1000, sink.flow(0).samplingRate);
        assertEquals(7, sink.flow(0).samplerId);
        assertEquals(Map.of("options", 1000L), SamplingStates.sources(decoder.samplingStates(), RECEIVED_NS));
    }

    @Test
    void shouldNotApplyAnotherDomainsSelector()
    {
        final ByteFixture other = ipfix(DOMAIN + 1);
        selectorReport(other, 7, 1, 99);         // selector 7 of domain 6: 1 in 100
        decode(other);
        final ByteFixture w = ipfix(DOMAIN);
        reportWithSelector(w, 7);

        decode(w);

        assertEquals(0, sink.flow(0).samplingRate);
        assertEquals(Map.of("none", 1L), SamplingStates.sources(decoder.samplingStates(), RECEIVED_NS));
    }

    @Test
    void shouldUseDefaultRateOncePerExporterWhenNoSelectorIsKnown()
    {
        counters = new DecodeCounters();
        decoder = new DatagramDecoder(new DecoderSettings(false, 16, 16, 60 * SEC, 4096, 10 * SEC, 8192, 64, Map.of()),
            counters);
        for (int i = 0; i < 3; i++)
        {
            final ByteFixture w = ipfix(DOMAIN);
            reportWithSelector(w, 9);
            decode(w);
        }

        assertEquals(64, sink.flow(2).samplingRate);
        assertEquals(Map.of("ipfix 192.0.2.99 default", 64L), SamplingStates.published(decoder.samplingStates(), RECEIVED_NS));
        for (final DecodeError e : DecodeError.values())
        {
            assertEquals(0, errors(e), e.reason());
        }
    }

    @Test
    void shouldApplyOverrideOverSelectorOptions()
    {
        counters = new DecodeCounters();
        decoder = new DatagramDecoder(new DecoderSettings(false, 16, 16, 60 * SEC, 4096, 10 * SEC, 8192, 0,
            Map.of("192.0.2.99", 4096L)), counters);
        final ByteFixture w = ipfix(DOMAIN);
        selectorReport(w, 7, 1, 999);
        reportWithSelector(w, 7);

        decode(w);

        assertEquals(4096, sink.flow(0).samplingRate);
        assertEquals(Map.of("config", 4096L), SamplingStates.sources(decoder.samplingStates(), RECEIVED_NS));
    }

    @Test
    void shouldDecodeNetflowV9Layer2PacketSection()
    {
        final ByteFixture w = new ByteFixture()
            .u16(9).u16(2)                       // version 9, 2 records (template + data)
            .u32(100_000)                        // sysUptime
            .u32(EXPORT_TIME_SEC)                // unix secs
            .u32(1)                              // sequence
            .u32(DOMAIN)                         // source id
            .u16(0).u16(4 + 4 + 8)               // template FlowSet
            .u16(256).u16(2)                     // template 256, 2 fields
            .u16(103).u16(2)                     // layer2packetSectionSize
            .u16(104).u16(64);                   // layer2packetSectionData, 64 bytes
        w.u16(256).u16(4 + 2 + 64 + 2)           // data FlowSet, 2 bytes padding
            .u16(58);                            // 58 bytes of the section are the frame
        frameVlanIpv4Tcp(w).zeros(6).zeros(2);
        final byte[] b = w.toArray();

        decoder.decode(
            source.set(ListenerProtocol.NETFLOW, EXPORTER_HI, EXPORTER_LO, 2055, RECEIVED_NS),
            new UnsafeBuffer(b), 0, b.length, sink);

        assertFrameVlanIpv4Tcp(sink.flow(0));
    }

    @Test
    void shouldDecodeNetflowV9VendorRecordUsingIe315()
    {
        final ByteFixture w = new ByteFixture()
            .u16(9).u16(2).u32(100_000).u32(EXPORT_TIME_SEC).u32(1).u32(DOMAIN)   // header
            .u16(0).u16(4 + 4 + 8)               // template FlowSet
            .u16(257).u16(2)                     // template 257, 2 fields
            .u16(2).u16(4)                       // IN_PKTS
            .u16(315).u16(58);                   // dataLinkFrameSection (IOS-XR style), 58 bytes
        w.u16(257).u16(4 + 4 + 58 + 2)
            .u32(1);                             // packets 1
        frameVlanIpv4Tcp(w).zeros(2);
        final byte[] b = w.toArray();

        decoder.decode(
            source.set(ListenerProtocol.NETFLOW, EXPORTER_HI, EXPORTER_LO, 2055, RECEIVED_NS),
            new UnsafeBuffer(b), 0, b.length, sink);

        assertFrameVlanIpv4Tcp(sink.flow(0));
    }

    /** The packet of {@link #frameVlanIpv4Tcp}, as a packet report without counters must show it. */
    private static void assertFrameVlanIpv4Tcp(final FlowRecord r)
    {
        assertEquals("10.1.1.1", src(r));
        assertEquals("10.2.2.2", dst(r));
        assertEquals(1234, r.srcPort);
        assertEquals(80, r.dstPort);
        assertEquals(1500, r.bytes);
        assertEquals(1, r.packets);
        assertEquals(42, r.srcVlan);
    }
}
