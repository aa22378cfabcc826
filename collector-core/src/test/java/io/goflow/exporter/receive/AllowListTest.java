package io.goflow.exporter.receive;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowListTest
{
    @Test
    void shouldAcceptEveryoneWhenEmpty()
    {
        assertTrue(AllowList.parse(List.of()).allows(1, 2));
        assertTrue(AllowList.parse(null).acceptsAll());
    }

    @Test
    void shouldMatchIpv4PrefixOnMappedAddress() throws Exception
    {
        final AllowList list = AllowList.parse(List.of("192.0.2.0/24"));
        assertTrue(allows(list, "192.0.2.255"));
        assertTrue(allows(list, "192.0.2.0"));
        assertFalse(allows(list, "192.0.3.1"));
        assertFalse(allows(list, "::c000:201"), "IPv4-compatible IPv6 is not IPv4-mapped");
    }

    @Test
    void shouldMatchSingleAddressExactly() throws Exception
    {
        final AllowList list = AllowList.parse(List.of("127.0.0.2"));
        assertTrue(allows(list, "127.0.0.2"));
        assertFalse(allows(list, "127.0.0.3"));
    }

    @Test
    void shouldMatchIpv6PrefixAcrossTheSixtyFourBitBoundary() throws Exception
    {
        final AllowList list = AllowList.parse(List.of("2001:db8:0:0:8000::/65"));
        assertTrue(allows(list, "2001:db8::8000:0:0:1"));
        assertFalse(allows(list, "2001:db8::7fff:0:0:1"));
        assertFalse(allows(list, "2001:db9::8000:0:0:1"));
    }

    @Test
    void shouldMatchEverythingOfAFamilyWithZeroPrefix() throws Exception
    {
        final AllowList list = AllowList.parse(List.of("0.0.0.0/0"));
        assertTrue(allows(list, "10.1.2.3"));
        assertFalse(allows(list, "::1"));
    }

    @Test
    void shouldRejectHostNamesAndBadPrefixes()
    {
        assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("localhost")));
        assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("10.0.0.0/x")));
        assertThrows(IllegalArgumentException.class, () -> AllowList.parse(List.of("10.0.0")));
    }

    private static boolean allows(final AllowList list, final String address) throws Exception
    {
        final InetAddress a = InetAddress.getByName(address);
        return list.allows(ExporterAddress.hi(a), ExporterAddress.lo(a));
    }
}
