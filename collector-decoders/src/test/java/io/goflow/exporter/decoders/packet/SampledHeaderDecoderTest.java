package io.goflow.exporter.decoders.packet;

import static io.goflow.exporter.decoders.packet.SampledHeaderDecoder.CUT;
import static io.goflow.exporter.decoders.packet.SampledHeaderDecoder.FOUND_ADDRESSES;
import static io.goflow.exporter.decoders.packet.SampledHeaderDecoder.FOUND_L3_LENGTH;
import static io.goflow.exporter.decoders.packet.SampledHeaderDecoder.HEADER_PROTOCOL_ETHERNET;
import static io.goflow.exporter.decoders.packet.SampledHeaderDecoder.HEADER_PROTOCOL_IP;
import static io.goflow.exporter.decoders.packet.SampledHeaderDecoder.MALFORMED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The shared sampled-header parser on hand-built frames. Every byte of every fixture is commented;
 * the expected values are read off those comments (RFC 791, 8200, 3032, 4385, 4448, 8754, IEEE
 * 802.1Q), not from the parser. Each layout is also cut at every offset: parsing must stop where
 * the bytes end, keep what it had, and say so ({@link SampledHeaderDecoder#CUT}).
 */
class SampledHeaderDecoderTest
{
    private final FlowRecord r = new FlowRecord();

    /** dst 02:00:00:00:00:01, src 02:00:00:00:00:02, then {@code etherType}: 14 bytes. */
    private static ByteFixture ethernet(final int etherType)
    {
        return new ByteFixture()
            .hex("02 00 00 00 00 01")            // destination MAC
            .hex("02 00 00 00 00 02")            // source MAC
            .u16(etherType);                     // EtherType
    }

    /** IPv4 header of 20 bytes + {@code optionWords} * 4, 10.0.0.1 -> 192.0.2.7. */
    private static ByteFixture ipv4(final ByteFixture w, final int optionWords, final int totalLength, final int proto)
    {
        w.u8(0x40 | (5 + optionWords))          // version 4, IHL
            .u8(0xB8)                            // ToS: DSCP 46 (EF)
            .u16(totalLength)                    // total length
            .u16(0x1234)                         // identification
            .u16(0x4000)                         // flags DF, fragment offset 0
            .u8(64)                              // TTL
            .u8(proto)                           // protocol
            .u16(0)                              // checksum (not checked)
            .ipv4("10.0.0.1")                    // source
            .ipv4("192.0.2.7");                  // destination
        for (int i = 0; i < optionWords; i++)
        {
            w.hex("01 01 01 01");               // NOP options
        }
        return w;
    }

    /** TCP header 20 bytes: 40000 -> 443, flags SYN|ACK. */
    private static ByteFixture tcp(final ByteFixture w)
    {
        return w.u16(40000)                     // source port
            .u16(443)                            // destination port
            .u32(1)                              // sequence
            .u32(0)                              // acknowledgement
            .u8(0x50)                            // data offset 5
            .u8(0x12)                            // flags SYN|ACK
            .u16(65535)                          // window
            .u16(0)                              // checksum
            .u16(0);                             // urgent pointer
    }

    /** UDP header 8 bytes: 5353 -> 53. */
    private static ByteFixture udp(final ByteFixture w)
    {
        return w.u16(5353)                      // source port
            .u16(53)                             // destination port
            .u16(8 + 4)                          // length
            .u16(0);                             // checksum
    }

    /** IPv6 fixed header, 2001:db8::1 -> 2001:db8::2, traffic class 0x28, payload {@code payloadLength}. */
    private static ByteFixture ipv6(final ByteFixture w, final int payloadLength, final int nextHeader)
    {
        return w.u32(0x6280_0000L)              // version 6, traffic class 0x28, flow label 0
            .u16(payloadLength)                  // payload length
            .u8(nextHeader)                      // next header
            .u8(64)                              // hop limit
            .hex("20010db8000000000000000000000001")   // source
            .hex("20010db8000000000000000000000002");  // destination
    }

    private int decode(final byte[] bytes, final int length, final int protocol)
    {
        r.reset();
        return SampledHeaderDecoder.decode(new UnsafeBuffer(bytes), 0, length, protocol, r);
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
    void shouldDecodeEveryFieldWhenEthernetIpv4TcpIsWhole()
    {
        final byte[] frame = tcp(ipv4(ethernet(0x0800), 0, 20 + 20 + 100, 6)).toArray();

        final int result = decode(frame, frame.length, HEADER_PROTOCOL_ETHERNET);

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, result);
        assertEquals(0x0200_0000_0001L, r.dstMac);
        assertEquals(0x0200_0000_0002L, r.srcMac);
        assertEquals(0x0800, r.etherType);
        assertEquals(4, r.ipVersion);
        assertEquals(0xB8, r.tos);
        assertEquals(140, r.bytes);
        assertEquals(6, r.proto);
        assertEquals("10.0.0.1", src(r));
        assertEquals("192.0.2.7", dst(r));
        assertEquals(40000, r.srcPort);
        assertEquals(443, r.dstPort);
        assertEquals(0x12, r.tcpFlags);
    }

    @Test
    void shouldKeepOuterVlanWhenQinqTagsStack()
    {
        final byte[] frame = udp(ipv4(ethernet(0x88A8)
            .u16(0x2064)                         // S-tag: PCP 1, VLAN 100
            .u16(0x8100)                         // then 802.1Q
            .u16(0x00C8)                         // C-tag: VLAN 200
            .u16(0x0800), 0, 20 + 12, 17)).toArray();  // then IPv4

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, decode(frame, frame.length, HEADER_PROTOCOL_ETHERNET));
        assertEquals(100, r.srcVlan);
        assertEquals(0x0800, r.etherType);
        assertEquals(32, r.bytes);
        assertEquals(5353, r.srcPort);
        assertEquals(53, r.dstPort);
    }

    @Test
    void shouldDecodeIpv4UnderMplsLabelStack()
    {
        final byte[] frame = udp(ipv4(ethernet(0x8847)
            .u32(0x0006_4040L)                   // label 100, TC 0, S 0, TTL 64
            .u32(0x0006_5140L), 0, 32, 17)).toArray();  // label 101, S 1 (bottom), TTL 64

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, decode(frame, frame.length, HEADER_PROTOCOL_ETHERNET));
        assertEquals("10.0.0.1", src(r));
        assertEquals(0x0800, r.etherType);
        assertEquals(53, r.dstPort);
    }

    @Test
    void shouldDecodeEthernetOverMplsWithControlWordKeepingOuterMacs()
    {
        final byte[] frame = tcp(ipv4(ethernet(0x8847)
            .u32(0x0006_5140L)                   // label 101, bottom of stack
            .u32(0)                              // pseudowire control word (first nibble 0)
            .hex("0a 00 00 00 00 01")            // inner destination MAC
            .hex("0a 00 00 00 00 02")            // inner source MAC
            .u16(0x8100)                         // inner 802.1Q
            .u16(0x012C)                         // VLAN 300
            .u16(0x0800), 0, 40, 6)).toArray();  // inner IPv4

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, decode(frame, frame.length, HEADER_PROTOCOL_ETHERNET));
        assertEquals(0x0200_0000_0001L, r.dstMac);
        assertEquals(300, r.srcVlan);
        assertEquals("192.0.2.7", dst(r));
        assertEquals(443, r.dstPort);
    }

    @Test
    void shouldDecodeEthernetOverMplsWithoutControlWordWhenInnerMacStartsWithZeroNibble()
    {
        final byte[] frame = udp(ipv4(ethernet(0x8847)
            .u32(0x0006_5140L)                   // label 101, bottom of stack
            .hex("00 1b 21 00 00 01")            // inner destination MAC (first nibble 0, as many vendors' are)
            .hex("00 1b 21 00 00 02")            // inner source MAC
            .u16(0x0800), 0, 28, 17)).toArray(); // inner IPv4: a known EtherType only without control word

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, decode(frame, frame.length, HEADER_PROTOCOL_ETHERNET));
        assertEquals("10.0.0.1", src(r));
        assertEquals(53, r.dstPort);
    }

    @Test
    void shouldDecodeEthernetOverMplsWithoutControlWord()
    {
        final byte[] frame = udp(ipv6(ethernet(0x8847)
            .u32(0x0006_5140L)                   // label 101, bottom of stack
            .hex("a0 00 00 00 00 01")            // inner destination MAC (first nibble 0xa: not IP, not CW)
            .hex("a0 00 00 00 00 02")            // inner source MAC
            .u16(0x86DD), 12, 17)).toArray();    // inner IPv6

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, decode(frame, frame.length, HEADER_PROTOCOL_ETHERNET));
        assertEquals("2001:db8::1", src(r));
        assertEquals(52, r.bytes);
        assertEquals(53, r.dstPort);
    }

    @Test
    void shouldFindNoIpAndNoErrorWhenMplsCarriesPseudowireAssociatedChannel()
    {
        final byte[] frame = ethernet(0x8847)
            .u32(0x0000_D140L)                   // label 13 (GAL), bottom of stack
            .u32(0x1000_0021L)                   // ACH: first nibble 1, channel type 0x21
            .zeros(8).toArray();

        assertEquals(0, decode(frame, frame.length, HEADER_PROTOCOL_ETHERNET));
        assertFalse(r.srcAddrPresent);
    }

    @Test
    void shouldFindNoIpAndNoErrorWhenFrameIsArpOrLlc()
    {
        final byte[] arp = ethernet(0x0806).zeros(28).toArray();
        assertEquals(0, decode(arp, arp.length, HEADER_PROTOCOL_ETHERNET));
        assertEquals(0x0806, r.etherType);
        final byte[] llc = ethernet(46).hex("42 42 03").zeros(43).toArray();   // 802.3 length 46, STP LLC
        assertEquals(0, decode(llc, llc.length, HEADER_PROTOCOL_ETHERNET));
    }

    @Test
    void shouldSkipIpv4OptionsWhenIhlIsAboveFive()
    {
        final byte[] packet = udp(ipv4(new ByteFixture(), 2, 28 + 12, 17)).toArray();

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, decode(packet, packet.length, HEADER_PROTOCOL_IP));
        assertEquals(40, r.bytes);
        assertEquals(5353, r.srcPort);
        assertEquals(53, r.dstPort);
    }

    @Test
    void shouldKeepSrv6OuterPacketWhenSegmentRoutingHeaderFollows()
    {
        final byte[] packet = ipv6(new ByteFixture(), 8 + 24 + 40, 0)
            .u8(43)                              // hop-by-hop: next header routing
            .u8(0)                               // hdr ext len 0: 8 bytes
            .zeros(6)                            // options (PadN)
            .u8(41)                              // SRH: next header IPv6 (encapsulated packet)
            .u8(2)                               // hdr ext len 2: 24 bytes
            .u8(4)                               // routing type 4 (SRH, RFC 8754)
            .u8(0)                               // segments left
            .u8(0)                               // last entry
            .u8(0)                               // flags
            .u16(0)                              // tag
            .hex("20010db8000000000000000000000009")   // segment list[0]
            .zeros(40).toArray();                // inner IPv6 packet (not parsed)

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES, decode(packet, packet.length, HEADER_PROTOCOL_IP));
        assertEquals("2001:db8::1", src(r));
        assertEquals("2001:db8::2", dst(r));
        assertEquals(41, r.proto);
        assertEquals(0x28, r.tos);
        assertEquals(8 + 24 + 40 + 40, r.bytes);
        assertEquals(0, r.srcPort);
    }

    @Test
    void shouldTakePortsOnlyFromFirstFragmentWhenIpv6Fragments()
    {
        final ByteFixture first = ipv6(new ByteFixture(), 8 + 8, 44)
            .u8(17)                              // fragment header: next header UDP
            .u8(0)                               // reserved
            .u16(0x0001)                         // offset 0, M=1
            .u32(7);                             // identification
        final byte[] firstFragment = udp(first).toArray();
        decode(firstFragment, firstFragment.length, HEADER_PROTOCOL_IP);
        assertEquals(17, r.proto);
        assertEquals(53, r.dstPort);

        final byte[] later = udp(ipv6(new ByteFixture(), 8 + 8, 44)
            .u8(17).u8(0)
            .u16(0x00B8)                         // offset 23 (x8 bytes), M=0
            .u32(7)).toArray();                  // the "UDP header" is payload bytes
        assertEquals(SampledHeaderDecoder.LATER_FRAGMENT, decode(later, later.length, HEADER_PROTOCOL_IP)
            & SampledHeaderDecoder.LATER_FRAGMENT);
        assertEquals(17, r.proto);
        assertEquals(0, r.dstPort);
    }

    @Test
    void shouldTakeNoPortsWhenIpv4IsNotFirstFragment()
    {
        final byte[] packet = udp(new ByteFixture()
            .u8(0x45).u8(0).u16(32)              // version 4, IHL 5, ToS 0, total length 32
            .u16(9).u16(0x0010)                  // id 9, fragment offset 16
            .u8(64).u8(17).u16(0)                // TTL, UDP, checksum
            .ipv4("10.0.0.1").ipv4("192.0.2.7")).toArray();

        assertEquals(FOUND_L3_LENGTH | FOUND_ADDRESSES | SampledHeaderDecoder.LATER_FRAGMENT,
            decode(packet, packet.length, HEADER_PROTOCOL_IP));
        assertEquals(0, r.srcPort);
        assertEquals(17, r.proto);
    }

    @Test
    void shouldDecodeIcmpTypeAndCodeForBothVersions()
    {
        final byte[] v4 = ipv4(new ByteFixture(), 0, 28, 1)
            .u8(8).u8(0).u16(0).u32(0).toArray();   // echo request
        decode(v4, v4.length, HEADER_PROTOCOL_IP);
        assertEquals(8, r.icmpType);
        final byte[] v6 = ipv6(new ByteFixture(), 8, 58)
            .u8(1).u8(4).u16(0).u32(0).toArray();   // destination unreachable, port unreachable
        decode(v6, v6.length, HEADER_PROTOCOL_IP);
        assertEquals(1, r.icmpType);
        assertEquals(4, r.icmpCode);
    }

    @Test
    void shouldReportMalformedWhenIpv4LengthsLie()
    {
        final byte[] ihl4 = ipv4(new ByteFixture(), 0, 40, 6).toArray();
        ihl4[0] = 0x44;                          // IHL 4: below the 20-byte minimum
        assertEquals(MALFORMED, decode(ihl4, ihl4.length, HEADER_PROTOCOL_IP) & MALFORMED);
        assertFalse(r.srcAddrPresent);

        final byte[] shortTotal = ipv4(new ByteFixture(), 1, 20, 6).toArray();   // total 20 < header 24
        final int result = decode(shortTotal, shortTotal.length, HEADER_PROTOCOL_IP);
        assertEquals(MALFORMED, result & MALFORMED);
        assertEquals(0, result & FOUND_L3_LENGTH);

        final byte[] version5 = ipv4(new ByteFixture(), 0, 40, 6).toArray();
        version5[0] = 0x55;                      // neither 4 nor 6
        assertEquals(MALFORMED, decode(version5, version5.length, HEADER_PROTOCOL_IP));
    }

    @Test
    void shouldReportMalformedWhenTagOrLabelStackPassesItsBound()
    {
        final ByteFixture tags = ethernet(0x8100);
        for (int i = 0; i < 9; i++)
        {
            tags.u16(i + 1).u16(0x8100);        // nine 802.1Q tags
        }
        final byte[] tagged = tags.zeros(20).toArray();
        assertEquals(MALFORMED, decode(tagged, tagged.length, HEADER_PROTOCOL_ETHERNET));

        final ByteFixture labels = ethernet(0x8847);
        for (int i = 0; i < 17; i++)
        {
            labels.u32(0x0001_0040L);           // label 16, never bottom of stack
        }
        final byte[] stacked = labels.zeros(20).toArray();
        assertEquals(MALFORMED, decode(stacked, stacked.length, HEADER_PROTOCOL_ETHERNET));
    }

    /**
     * Random sections, biased towards real layouts (a known EtherType, label or IP version at the
     * right place), in buffers that end exactly at the section: Agrona's bounds checks (on in
     * tests) turn any read past the end into an exception. The result bits must agree with what
     * was filled in.
     */
    @Test
    void shouldNeverReadPastTheSectionWhenBytesAreRandom()
    {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(0x5EC7_1011L);
        final int[] etherTypes = {0x0800, 0x86DD, 0x8100, 0x88A8, 0x9100, 0x8847, 0x8848, 0x0806, 0x0040};
        for (int i = 0; i < 200_000; i++)
        {
            final byte[] b = new byte[random.nextInt(0, 130)];
            random.nextBytes(b);
            final boolean ethernet = random.nextBoolean();
            if (ethernet && b.length >= 14)
            {
                final int type = etherTypes[random.nextInt(etherTypes.length)];
                b[12] = (byte)(type >>> 8);
                b[13] = (byte)type;
            }
            else if (!ethernet && b.length > 0)
            {
                b[0] = (byte)((random.nextBoolean() ? 0x40 : 0x60) | (b[0] & 0x0F));
            }
            r.reset();
            final int result = SampledHeaderDecoder.decode(
                new UnsafeBuffer(b), 0, b.length, ethernet ? HEADER_PROTOCOL_ETHERNET : HEADER_PROTOCOL_IP, r);
            assertEquals((result & FOUND_ADDRESSES) != 0, r.srcAddrPresent && r.dstAddrPresent, "addresses");
            if ((result & FOUND_L3_LENGTH) == 0 && (result & MALFORMED) == 0)
            {
                assertEquals(0, r.bytes, "no length without FOUND_L3_LENGTH");
            }
        }
    }

    @Test
    void shouldStopCleanlyWhenEthernetVlanIpv4WithOptionsIsCutAtEveryOffset()
    {
        final byte[] frame = udp(ipv4(ethernet(0x8100)
            .u16(0x0064)                         // VLAN 100
            .u16(0x0800), 1, 24 + 12, 17)).toArray();
        // layout: Ethernet 0-13, tag 14-17, IPv4 18-41 (length field 20-21, addresses 30-37, option 38-41), UDP 42-49
        assertCutProperties(frame, HEADER_PROTOCOL_ETHERNET, 18, 18 + 4, 18 + 20, 18 + 24, 36, "10.0.0.1", 100);
    }

    @Test
    void shouldStopCleanlyWhenMplsStackIsCutAtEveryOffset()
    {
        final byte[] frame = udp(ipv4(ethernet(0x8847)
            .u32(0x0006_4040L)                   // label 100
            .u32(0x0006_5140L), 0, 32, 17)).toArray();  // label 101, bottom
        // layout: Ethernet 0-13, labels 14-21, IPv4 22-41, UDP 42-49
        assertCutProperties(frame, HEADER_PROTOCOL_ETHERNET, 22, 22 + 4, 22 + 20, 22 + 20, 32, "10.0.0.1", 0);
    }

    @Test
    void shouldStopCleanlyWhenIpv6ExtensionChainIsCutAtEveryOffset()
    {
        final byte[] frame = udp(ipv6(ethernet(0x86DD), 8 + 8 + 12, 0)
            .u8(60).u8(0).zeros(6)               // hop-by-hop (8): next destination options
            .u8(17).u8(0).zeros(6)).toArray();   // destination options (8): next UDP
        // layout: Ethernet 0-13, IPv6 14-53 (payload length 18-19), HBH 54-61, DO 62-69, UDP 70-77
        assertCutProperties(frame, HEADER_PROTOCOL_ETHERNET, 14, 14 + 6, 14 + 40, 70, 68, "2001:db8::1", 0);
    }

    /**
     * Decodes every prefix of {@code frame} and checks what each must and must not yield.
     *
     * @param l3Start      offset of the IP header.
     * @param lengthEnd    first offset after the IP length field.
     * @param addressesEnd first offset after both addresses.
     * @param headersEnd   first offset of the transport header.
     */
    private void assertCutProperties(
        final byte[] frame, final int protocol, final int l3Start, final int lengthEnd, final int addressesEnd,
        final int headersEnd, final long l3Length, final String source, final int vlan)
    {
        for (int n = 0; n <= frame.length; n++)
        {
            final int result = decode(frame, n, protocol);
            final String at = "cut at " + n;
            assertEquals(0, result & MALFORMED, at);
            assertEquals(n < headersEnd, (result & CUT) != 0, at);
            assertEquals(n >= lengthEnd, (result & FOUND_L3_LENGTH) != 0, at);
            assertEquals(n >= addressesEnd, (result & FOUND_ADDRESSES) != 0, at);
            assertEquals(n >= lengthEnd ? l3Length : 0, r.bytes, at);
            assertEquals(n >= addressesEnd ? source : "none", src(r), at);
            assertEquals(n >= headersEnd + 4 ? 53 : 0, r.dstPort, at);
            if (vlan != 0)
            {
                assertEquals(n >= 18 ? vlan : 0, r.srcVlan, at);
            }
            assertTrue(n >= l3Start || r.ipVersion == 0, at);
        }
    }
}
