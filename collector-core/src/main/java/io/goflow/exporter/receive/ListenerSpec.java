package io.goflow.exporter.receive;

import io.goflow.exporter.decoders.api.ListenerProtocol;

import java.net.InetAddress;

/**
 * One UDP listener to bind: what it accepts, where, and from whom.
 *
 * @param protocol    which versions the decoders accept on it.
 * @param bindAddress local address; a wildcard ({@code 0.0.0.0}, {@code ::}) binds every address
 *                    of its family ({@code ::} is dual-stack where the OS allows it).
 * @param port        UDP port; 0 asks the kernel for an ephemeral port (tests).
 * @param allowList   exporters accepted; others are counted ({@code allow_list}) and dropped.
 */
public record ListenerSpec(ListenerProtocol protocol, InetAddress bindAddress, int port, AllowList allowList)
{
    /** @return {@code protocol address port} for logs and errors. */
    public String describe()
    {
        return protocol.configName() + " " + ListenerPlan.addressText(bindAddress) + " port " + port;
    }
}
