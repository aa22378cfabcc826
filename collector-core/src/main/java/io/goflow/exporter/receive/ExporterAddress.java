package io.goflow.exporter.receive;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Conversions between {@link InetAddress} and the pipeline's 128-bit (hi, lo) form: network
 * order, IPv4 as IPv4-mapped {@code ::ffff:a.b.c.d} (RFC 4291 s2.5.5.2), as in
 * {@link io.goflow.exporter.decoders.api.FlowRecord}.
 */
public final class ExporterAddress
{
    static final long IPV4_MAPPED_HI = 0;
    static final long IPV4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    private ExporterAddress()
    {
    }

    /** @return the high 64 bits of {@code address} (0 for IPv4). */
    public static long hi(final InetAddress address)
    {
        if (address instanceof Inet4Address)
        {
            return IPV4_MAPPED_HI;
        }
        return bytesToLong(address.getAddress(), 0);
    }

    /** @return the low 64 bits of {@code address} (IPv4-mapped for IPv4). */
    public static long lo(final InetAddress address)
    {
        if (address instanceof Inet4Address)
        {
            return ipv4MappedLo(address.hashCode());
        }
        return bytesToLong(address.getAddress(), 8);
    }

    /**
     * @param ipv4 the address as an int, most significant byte first. {@link Inet4Address#hashCode()}
     *             is specified to return exactly this, which saves the array copy of
     *             {@link InetAddress#getAddress()}.
     */
    public static long ipv4MappedLo(final int ipv4)
    {
        return IPV4_MAPPED_LO_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    /**
     * Parses an IP literal (no name resolution).
     *
     * @throws IllegalArgumentException when {@code text} is not an IPv4 or IPv6 literal.
     */
    public static InetAddress parseLiteral(final String text)
    {
        final String s = text.trim();
        if (s.isEmpty())
        {
            throw new IllegalArgumentException("empty address");
        }
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            final boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                c == ':' || c == '.' || c == '[' || c == ']';
            if (!ok)
            {
                throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
            }
        }
        if (s.indexOf(':') < 0 && s.chars().filter(c -> c == '.').count() != 3)
        {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
        try
        {
            return InetAddress.getByName(s);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'", ex);
        }
    }

    private static long bytesToLong(final byte[] bytes, final int offset)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (bytes[offset + i] & 0xFFL);
        }
        return v;
    }
}
