package io.goflow.exporter.config;

import io.goflow.exporter.decoders.api.ListenerProtocol;

import java.util.List;

/**
 * One entry of {@code server.listeners}: full control over a single UDP listener.
 *
 * @param protocol         {@code netflow}, {@code ipfix}, {@code sflow} or {@code auto}.
 * @param address          bind address (IPv4 or IPv6 literal); ignored when {@code interfaceName}
 *                         is set.
 * @param port             UDP port.
 * @param interfaceName    bind to the addresses of this interface; empty = not used.
 * @param allowedExporters CIDR prefixes ({@code 192.0.2.0/24}, {@code 2001:db8::/32}) or single
 *                         addresses; empty = every exporter is accepted.
 */
public record ListenerSettings(
    ListenerProtocol protocol,
    String address,
    int port,
    String interfaceName,
    List<String> allowedExporters)
{
}
