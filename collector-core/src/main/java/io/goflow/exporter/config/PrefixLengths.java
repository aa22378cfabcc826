package io.goflow.exporter.config;

/**
 * {@code aggregation.prefix_lengths}: the fallback label of {@code src_net}/{@code dst_net} for an
 * address in no named network: the address's prefix of this length as CIDR text
 * ({@code 198.51.100.0/24}), or the empty label for a length of 0; or, with {@code flow}, the
 * prefix at the mask length the router exported (v5 src/dst_mask, IE 9/13 and 29/30, sFlow
 * extended router data), empty when it exported none.
 *
 * @param ipv4    0-32. Default 24.
 * @param ipv6    0-128. Default 48.
 * @param fromFlow {@code prefix_lengths: flow}.
 */
public record PrefixLengths(int ipv4, int ipv6, boolean fromFlow)
{
    public static final int IPV4_DEFAULT = 24;
    public static final int IPV6_DEFAULT = 48;

    public static PrefixLengths defaults()
    {
        return new PrefixLengths(IPV4_DEFAULT, IPV6_DEFAULT, false);
    }
}
