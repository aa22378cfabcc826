package io.goflow.exporter.receive;

import io.goflow.exporter.decoders.api.ListenerProtocol;

/**
 * A listener as actually bound.
 *
 * @param protocol          configured protocol.
 * @param address           bound address text (RFC 5952 for IPv6, no scope).
 * @param port              bound UDP port (the kernel's choice when 0 was asked).
 * @param receiveBufferBytes SO_RCVBUF the kernel granted, as getsockopt reports it (Linux usually
 *                          doubles the value set, keeping half for bookkeeping).
 * @param dualStack         true when an IPv6 wildcard socket also receives IPv4.
 */
public record BoundListener(
    ListenerProtocol protocol, String address, int port, int receiveBufferBytes, boolean dualStack)
{
}
