package io.goflow.exporter.enrich;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Range edges from the IANA special-purpose registries (RFC 6890, RFC 6598, RFC 5737, RFC 9637). */
class SpecialAddressesTest
{
    @ParameterizedTest
    @ValueSource(strings = {"0.255.255.255", "10.255.255.255", "100.64.0.0", "100.127.255.255", "127.255.255.255",
        "169.254.0.0", "172.16.0.0", "172.31.255.255", "192.0.0.255", "192.0.2.0", "192.88.99.1", "192.168.255.255",
        "198.18.0.0", "198.19.255.255", "198.51.100.255", "203.0.113.0", "224.0.0.0", "239.255.255.255",
        "240.0.0.1", "fc00::", "fdff:ffff::1", "fe80::", "febf:ffff::1", "fec0::1", "ff00::", "2001:db8:ffff::1",
        "3fff:fff::1", "2001:2::1", "100::1", "64:ff9b:1::1"})
    void shouldBeSpecialWhenInsideASpecialPurposeRange(final String address)
    {
        final long[] a = GeoTestData.address(address);
        assertTrue(SpecialAddresses.isSpecial(a[0], a[1]), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0.0", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0", "192.167.255.255",
        "192.169.0.0", "198.17.255.255", "198.20.0.0", "198.51.101.0", "203.0.112.255", "223.255.255.255",
        "fbff:ffff::1", "fe7f::1", "2001:db9::1", "2001:db7::1", "4000::1", "2001:3::1", "101::1", "64:ff9b::808:808",
        "::2", "2001:218::1"})
    void shouldNotBeSpecialWhenJustOutsideTheRanges(final String address)
    {
        final long[] a = GeoTestData.address(address);
        assertFalse(SpecialAddresses.isSpecial(a[0], a[1]), address);
    }
}
