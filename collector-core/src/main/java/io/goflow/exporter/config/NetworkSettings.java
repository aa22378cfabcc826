package io.goflow.exporter.config;

import java.util.Map;

/**
 * One entry of {@code aggregation.networks} or of the {@code aggregation.networks_file}.
 *
 * @param prefix     the CIDR as written ({@code 198.51.100.0/24}, {@code 2001:db8::/32}).
 * @param hi         bits 0-63 of the network address, left-aligned (IPv4: the address in bits 0-31).
 * @param lo         bits 64-127 (0 for IPv4).
 * @param length     prefix length: 0-32 for IPv4, 0-128 for IPv6.
 * @param ipv4       true for an IPv4 prefix.
 * @param name       label value of {@code src_net}/{@code dst_net}; the prefix text when not given.
 * @param attributes the other keys ({@code role}, {@code site}, ...), label values of
 *                   {@code src_net_<key>}/{@code dst_net_<key>}.
 */
public record NetworkSettings(
    String prefix, long hi, long lo, int length, boolean ipv4, String name, Map<String, String> attributes)
{
}
