package io.goflow.exporter.decoders.api;

/**
 * What a listener (UDP port) was configured to receive. Detection inside a datagram is always by
 * the version field; this only narrows which versions are accepted:
 * <ul>
 *   <li>{@link #NETFLOW}: NetFlow v5, v9 and IPFIX (routers often send IPFIX to 2055);</li>
 *   <li>{@link #IPFIX}: IPFIX and NetFlow v9;</li>
 *   <li>{@link #SFLOW}: sFlow v5 only;</li>
 *   <li>{@link #AUTO}: every protocol, told apart by the version field.</li>
 * </ul>
 */
public enum ListenerProtocol
{
    NETFLOW("netflow"),
    IPFIX("ipfix"),
    SFLOW("sflow"),
    AUTO("auto");

    private final String configName;

    ListenerProtocol(final String configName)
    {
        this.configName = configName;
    }

    /** The name used in configuration and in {@code --port-map}. */
    public String configName()
    {
        return configName;
    }

    /** @return the protocol for a config name, or {@code null} when the name is not known. */
    public static ListenerProtocol fromConfigName(final String name)
    {
        for (final ListenerProtocol p : values())
        {
            if (p.configName.equals(name))
            {
                return p;
            }
        }
        return null;
    }
}
