package io.goflow.exporter.enrich;

/**
 * Addresses that no GeoIP/ASN database may label: private, shared (CGN), loopback, link-local,
 * multicast, documentation, benchmarking, reserved and unspecified ranges of the IANA IPv4 and
 * IPv6 special-purpose registries (RFC 6890 and its updates). They are never looked up, so a
 * database that happens to cover one can never give it a country.
 *
 * <p>Addresses are 128 bits as {@code hi/lo} longs in network order, IPv4 IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), as in {@code FlowRecord}. Allocation-free and branch-light: it runs
 * for every address before the cache.
 */
public final class SpecialAddresses
{
    private static final long V4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    private SpecialAddresses()
    {
    }

    /** @return true when {@code hi/lo} must get no enrichment. */
    public static boolean isSpecial(final long hi, final long lo)
    {
        if (hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_PREFIX)
        {
            return isSpecialIpv4((int)lo);
        }
        return isSpecialIpv6(hi, lo);
    }

    /** @return true for the IPv4 special-purpose ranges; {@code ipv4} in network order. */
    public static boolean isSpecialIpv4(final int ipv4)
    {
        final int a = ipv4 >>> 24;
        final int b = (ipv4 >>> 16) & 0xFF;
        final int c = (ipv4 >>> 8) & 0xFF;
        switch (a)
        {
            case 0:        // 0.0.0.0/8 "this network"
            case 10:       // 10.0.0.0/8 private
            case 127:      // 127.0.0.0/8 loopback
                return true;
            case 100:      // 100.64.0.0/10 shared address space (CGN)
                return (b & 0xC0) == 64;
            case 169:      // 169.254.0.0/16 link-local
                return b == 254;
            case 172:      // 172.16.0.0/12 private
                return (b & 0xF0) == 16;
            case 192:      // 192.0.0.0/24 IETF, 192.0.2.0/24 TEST-NET-1, 192.88.99.0/24 6to4 relay, 192.168/16
                return (b == 0 && (c == 0 || c == 2)) || (b == 88 && c == 99) || b == 168;
            case 198:      // 198.18.0.0/15 benchmarking, 198.51.100.0/24 TEST-NET-2
                return (b & 0xFE) == 18 || (b == 51 && c == 100);
            case 203:      // 203.0.113.0/24 TEST-NET-3
                return b == 0 && c == 113;
            default:       // 224.0.0.0/4 multicast, 240.0.0.0/4 reserved and broadcast
                return a >= 224;
        }
    }

    /** @return true for the IPv6 special-purpose ranges (not IPv4-mapped). */
    public static boolean isSpecialIpv6(final long hi, final long lo)
    {
        if (hi == 0)
        {
            return lo == 0 || lo == 1;                                   // ::/128, ::1/128
        }
        final int top16 = (int)(hi >>> 48);
        if ((top16 & 0xFE00) == 0xFC00 || (top16 & 0xFFC0) == 0xFE80 || (top16 & 0xFFC0) == 0xFEC0)
        {
            return true;                                                 // fc00::/7, fe80::/10, fec0::/10
        }
        if ((top16 & 0xFF00) == 0xFF00)
        {
            return true;                                                 // ff00::/8 multicast
        }
        final int top32 = (int)(hi >>> 32);
        return top32 == 0x2001_0DB8                                      // 2001:db8::/32 documentation
            || (hi >>> 44) == 0x3FFF0                                    // 3fff::/20 documentation
            || (hi & 0xFFFF_FFFF_FFFF_0000L) == 0x2001_0002_0000_0000L   // 2001:2::/48 benchmarking
            || hi == 0x0100_0000_0000_0000L                              // 100::/64 discard-only
            || (hi & 0xFFFF_FFFF_FFFF_0000L) == 0x0064_FF9B_0001_0000L;  // 64:ff9b:1::/48 local NAT64
    }
}
