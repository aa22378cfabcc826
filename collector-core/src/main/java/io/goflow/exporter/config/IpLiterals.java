package io.goflow.exporter.config;

import io.goflow.exporter.decoders.api.AddressText;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Checks of IP address literals and CIDR prefixes in the configuration. Never resolves a host
 * name: text is accepted only when it is an IPv4 dotted quad or an IPv6 literal.
 */
public final class IpLiterals
{
    private IpLiterals()
    {
    }

    /** @return the address for an IPv4 or IPv6 literal, or null when {@code text} is not one. */
    public static InetAddress parse(final String text)
    {
        if (text == null || text.isEmpty())
        {
            return null;
        }
        if (text.indexOf(':') < 0)
        {
            return parseIpv4(text);
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                c == ':' || c == '.';
            if (!ok)
            {
                return null;
            }
        }
        if (text.charAt(0) == '.')
        {
            return null;
        }
        try
        {
            /* first char is a hex digit or ':' and the text holds ':', so this parses a literal only */
            return InetAddress.getByName(text);
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }

    /**
     * @return null when {@code text} is a valid {@code address/prefix} (or a bare address), else
     * the reason it is not.
     */
    public static String checkCidr(final String text)
    {
        final int slash = text.indexOf('/');
        final String addressText = slash < 0 ? text : text.substring(0, slash);
        final InetAddress address = parse(addressText);
        if (address == null)
        {
            return "\"" + addressText + "\" is not an IPv4 or IPv6 address";
        }
        if (slash < 0)
        {
            return null;
        }
        final int maxBits = address.getAddress().length * 8;
        final String prefixText = text.substring(slash + 1);
        if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(Character::isDigit))
        {
            return "prefix length \"" + prefixText + "\" is not a number 0.." + maxBits;
        }
        final int prefix = Integer.parseInt(prefixText);
        if (prefix > maxBits)
        {
            return "prefix length " + prefix + " is out of range 0.." + maxBits;
        }
        return null;
    }

    /** @return RFC 5952 text (dotted quad for IPv4), as {@link AddressText} prints exporters. */
    public static String canonical(final String address)
    {
        final InetAddress a = IpLiterals.parse(address);
        if (a == null)
        {
            return address;
        }
        final long[] mapped = IpLiterals.mapped(a);
        final long hi = mapped[0];
        final long lo = mapped[1];
        return AddressText.toString(hi, lo);
    }

    /**
     * @return the address as the records hold it: {@code {hi, lo}}, 128 bits, IPv4 IPv4-mapped
     * ({@code ::ffff:a.b.c.d}).
     */
    public static long[] mapped(final InetAddress address)
    {
        final byte[] b = address.getAddress();
        long hi = 0;
        long lo;
        if (b.length == 4)
        {
            lo = 0xFFFF_0000_0000L |
                ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        }
        else
        {
            lo = 0;
            for (int i = 0; i < 8; i++)
            {
                hi = (hi << 8) | (b[i] & 0xFFL);
                lo = (lo << 8) | (b[i + 8] & 0xFFL);
            }
        }
        return new long[]{hi, lo};
    }

    private static InetAddress parseIpv4(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            return null;
        }
        final byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            final String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9'))
            {
                return null;
            }
            final int v = Integer.parseInt(p);
            if (v > 255)
            {
                return null;
            }
            bytes[i] = (byte)v;
        }
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }
}
