package io.goflow.exporter.tools.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PcapReaderTest
{
    /** IPv4 192.0.2.1:40000 -> 127.0.0.1:2055 UDP with a 4-byte payload 00 05 00 00, 32 bytes. */
    private static ByteFixture ipv4Udp(final ByteFixture f, final int flagsFragment)
    {
        return f.hex("45 00 00 20")     // IPv4, IHL 5, total length 32
            .u16(1).u16(flagsFragment)  // id, flags + fragment offset
            .hex("40 11 00 00")         // TTL 64, UDP, checksum
            .ipv4("192.0.2.1").ipv4("127.0.0.1")
            .u16(40000).u16(2055)       // ports
            .u16(12).u16(0)             // UDP length 12, checksum
            .hex("00 05 00 00");        // payload
    }

    private static PcapReader reader(final ByteFixture f) throws IOException
    {
        final byte[] bytes = f.toArray();
        return PcapReader.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** Little-endian microsecond classic pcap header with {@code linkType}. */
    private static ByteFixture classicLe(final int linkType)
    {
        return new ByteFixture().u32le(0xA1B2C3D4L).u16le(2).u16le(4).u32le(0).u32le(0).u32le(65535).u32le(linkType);
    }

    @Test
    void shouldReadUdpDatagramWhenClassicLittleEndianEthernetWithVlan() throws IOException
    {
        final ByteFixture f = classicLe(1)
            .u32le(1_600_000_000L).u32le(250)    // ts 1600000000 s + 250 us
            .u32le(50).u32le(50);                // incl_len 50 = 14 + 4 + 32, orig_len
        f.hex("00 00 00 00 00 01 00 00 00 00 00 02 81 00 00 0a 08 00");  // MACs, 802.1Q VLAN 10, IPv4
        ipv4Udp(f, 0);
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertTrue(r.next(d));
            assertEquals("192.0.2.1", AddressText.toString(d.srcAddrHi, d.srcAddrLo));
            assertEquals("127.0.0.1", AddressText.toString(d.dstAddrHi, d.dstAddrLo));
            assertEquals(40000, d.srcPort);
            assertEquals(2055, d.dstPort);
            assertEquals(4, d.payloadLength);
            assertEquals(5, d.buffer.getByte(d.payloadOffset + 1));
            assertEquals(1_600_000_000_000_250_000L, d.timestampNs);
            assertFalse(r.next(d));
        }
    }

    @Test
    void shouldReadNanosecondBigEndianRawIpWhenMagicIsA1b23c4d() throws IOException
    {
        final ByteFixture f = new ByteFixture().u32(0xA1B23C4DL).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(101)
            .u32(10).u32(123).u32(32).u32(32);  // ts 10 s + 123 ns, 32 bytes
        ipv4Udp(f, 0);
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertTrue(r.next(d));
            assertEquals(10_000_000_123L, d.timestampNs);
        }
    }

    @Test
    void shouldSkipAndCountWhenIpv4IsNonFirstFragment() throws IOException
    {
        final ByteFixture f = classicLe(101).u32le(0).u32le(0).u32le(32).u32le(32);
        ipv4Udp(f, 0x0010);                     // fragment offset 16 (128 bytes)
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertFalse(r.next(d));
            assertEquals(1, r.fragments());
        }
    }

    @Test
    void shouldUsePerInterfaceLinkTypeAndResolutionWhenPcapngHasTwoInterfaces() throws IOException
    {
        final ByteFixture f = new ByteFixture()
            .u32(0x0A0D0D0A).u32(28).u32(0x1A2B3C4D).u16(1).u16(0).u64(-1L).u32(28)  // SHB big-endian
            .u32(1).u32(20).u16(276).u16(0).u32(0).u32(20)                         // IDB 0: SLL2, no options
            .u32(1).u32(28).u16(0).u16(0).u32(0)                                   // IDB 1: null/loopback
            .u16(9).u16(1).u8(9).zeros(3).u32(28);                                 // if_tsresol 10^-9 ... end
        f.u32(6).u32(32 + 52).u32(0).u32(0).u32(2_000_000).u32(52).u32(52);        // EPB if 0, ts 2 s (us)
        f.hex("08 00 00 00 00 00 00 01 00 04 00 06 00 00 00 00 00 00 00 00");      // SLL2: protocol IPv4
        ipv4Udp(f, 0);
        f.u32(32 + 52);
        f.u32(6).u32(32 + 36).u32(1).u32(0).u32(3).u32(36).u32(36);                // EPB if 1, ts 3 ns
        f.u32le(2);                                                                  // AF_INET, host order
        ipv4Udp(f, 0);
        f.u32(32 + 36);
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertTrue(r.next(d));
            assertEquals(2_000_000_000L, d.timestampNs);
            assertEquals(2055, d.dstPort);
            assertTrue(r.next(d));
            assertEquals(3L, d.timestampNs);
            assertEquals(2055, d.dstPort);
            assertFalse(r.next(d));
        }
    }

    @Test
    void shouldRejectWhenMagicIsUnknown()
    {
        final ByteFixture f = new ByteFixture().u32(0x12345678).zeros(20);
        assertThrows(IOException.class, () -> reader(f));
    }

    @Test
    void shouldStopAndCountWhenLastRecordIsCut() throws IOException
    {
        final ByteFixture f = classicLe(101).u32le(0).u32le(0).u32le(32).u32le(32).hex("45 00");
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertFalse(r.next(d));
            assertEquals(1, r.truncatedRecords());
        }
    }

    /** IPv6 2001:db8::1 -> 2001:db8::2, hop-by-hop header, UDP 50000 -> 6343, 4-byte payload: 60 bytes. */
    private static ByteFixture ipv6HopByHopUdp(final ByteFixture f)
    {
        return f.hex("60 00 00 00")     // IPv6
            .u16(20).hex("00 40")       // payload length 20, next header hop-by-hop, hop limit 64
            .hex("20010db8000000000000000000000001")
            .hex("20010db8000000000000000000000002")
            .hex("11 00 01 04 00 00 00 00") // hop-by-hop: next UDP, length 0 (8 bytes), PadN
            .u16(50000).u16(6343).u16(12).u16(0)
            .hex("00 00 00 05");
    }

    @Test
    void shouldWalkIpv6HopByHopWhenLinuxCookedCapture() throws IOException
    {
        final ByteFixture f = classicLe(113).u32le(0).u32le(0).u32le(76).u32le(76);
        f.hex("00 00 00 01 00 06 00 11 22 33 44 55 00 00 86 dd"); // SLL: incoming, ARPHRD_ETHER, addr, IPv6
        ipv6HopByHopUdp(f);
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertTrue(r.next(d));
            assertEquals(6, d.ipVersion);
            assertEquals("2001:db8::1", AddressText.toString(d.srcAddrHi, d.srcAddrLo));
            assertEquals(6343, d.dstPort);
            assertEquals(4, d.payloadLength);
        }
    }

    @Test
    void shouldReadIpv6WhenLoopbackFamilyIsBsdInet6InNetworkOrder() throws IOException
    {
        final ByteFixture f = classicLe(108).u32le(0).u32le(0).u32le(64).u32le(64);
        f.u32(30);                                  // AF_INET6 on macOS, network order (LINKTYPE_LOOP)
        ipv6HopByHopUdp(f);
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertTrue(r.next(d));
            assertEquals("2001:db8::2", AddressText.toString(d.dstAddrHi, d.dstAddrLo));
        }
    }

    @Test
    void shouldCountNonUdpWhenIpv4CarriesTcp() throws IOException
    {
        final ByteFixture f = classicLe(101).u32le(0).u32le(0).u32le(32).u32le(32);
        final byte[] tcp = ipv4Udp(new ByteFixture(), 0).toArray();
        tcp[9] = 6;                                 // protocol TCP
        for (final byte b : tcp)
        {
            f.u8(b);
        }
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader r = reader(f))
        {
            assertFalse(r.next(d));
            assertEquals(1, r.nonUdp());
        }
    }
}
