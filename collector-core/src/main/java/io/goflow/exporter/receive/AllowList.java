package io.goflow.exporter.receive;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * A listener's exporter allow-list: CIDR prefixes ({@code 192.0.2.0/24}, {@code 2001:db8::/32})
 * or single addresses, matched on the 128-bit (hi, lo) form. IPv4 prefixes are stored
 * IPv4-mapped, so {@code 10.0.0.0/8} is {@code ::ffff:10.0.0.0/104} and also matches IPv4
 * exporters arriving on a dual-stack socket.
 *
 * <p>Immutable; {@link #allows(long, long)} is allocation-free and safe from any thread.
 */
public final class AllowList
{
    /** Accepts every exporter. */
    public static final AllowList ALL = new AllowList(new long[0], new long[0], new long[0], new long[0]);

    private final long[] prefixHi;
    private final long[] prefixLo;
    private final long[] maskHi;
    private final long[] maskLo;

    private AllowList(final long[] prefixHi, final long[] prefixLo, final long[] maskHi, final long[] maskLo)
    {
        this.prefixHi = prefixHi;
        this.prefixLo = prefixLo;
        this.maskHi = maskHi;
        this.maskLo = maskLo;
    }

    /**
     * @param entries CIDR prefixes or addresses; empty means {@link #ALL}.
     * @throws IllegalArgumentException naming the bad entry.
     */
    public static AllowList parse(final List<String> entries)
    {
        if (entries == null || entries.isEmpty())
        {
            return ALL;
        }
        final int n = entries.size();
        final long[] pHi = new long[n];
        final long[] pLo = new long[n];
        final long[] mHi = new long[n];
        final long[] mLo = new long[n];
        for (int i = 0; i < n; i++)
        {
            final String entry = entries.get(i).trim();
            final int slash = entry.indexOf('/');
            final InetAddress address = ExporterAddress.parseLiteral(slash < 0 ? entry : entry.substring(0, slash));
            final boolean v4 = address instanceof Inet4Address;
            final int maxBits = v4 ? 32 : 128;
            int bits = maxBits;
            if (slash >= 0)
            {
                try
                {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("bad prefix length in allow-list entry '" + entry + "'", ex);
                }
                if (bits < 0 || bits > maxBits)
                {
                    throw new IllegalArgumentException("prefix length out of range in allow-list entry '" + entry + "'");
                }
            }
            final int bits128 = v4 ? bits + 96 : bits;
            mHi[i] = mask(Math.min(64, bits128));
            mLo[i] = mask(Math.max(0, bits128 - 64));
            pHi[i] = ExporterAddress.hi(address) & mHi[i];
            pLo[i] = ExporterAddress.lo(address) & mLo[i];
        }
        return new AllowList(pHi, pLo, mHi, mLo);
    }

    /** @return true when the list is empty or one prefix contains the address. */
    public boolean allows(final long addrHi, final long addrLo)
    {
        final int n = prefixHi.length;
        if (n == 0)
        {
            return true;
        }
        for (int i = 0; i < n; i++)
        {
            if ((addrHi & maskHi[i]) == prefixHi[i] && (addrLo & maskLo[i]) == prefixLo[i])
            {
                return true;
            }
        }
        return false;
    }

    /** @return true when every exporter is accepted. */
    public boolean acceptsAll()
    {
        return prefixHi.length == 0;
    }

    private static long mask(final int bits)
    {
        return bits == 0 ? 0 : -1L << (64 - bits);
    }
}
