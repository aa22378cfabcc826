package io.goflow.exporter.config;

import java.util.List;

/**
 * {@code server}: listeners and the HTTP endpoint.
 *
 * @param netflowPort   UDP port for NetFlow (v5/v9, and IPFIX by version). Default 2055.
 * @param sflowPort     UDP port for sFlow v5. Default 6343.
 * @param ipfixPort     UDP port for IPFIX (and v9). Default 4739.
 * @param listenAddrs   addresses the three protocol listeners bind to; {@code listen_addr} takes
 *                      one string or a list. Default {@code ["0.0.0.0"]}.
 * @param interfaceName {@code interface}: bind the listeners to this interface's addresses
 *                      instead of {@code listen_addr}; empty = not used.
 * @param listeners     {@code listeners}: explicit listeners; when non-empty they replace the
 *                      ones derived from the ports and addresses above.
 * @param metricsPort   HTTP port. Default 8080.
 * @param metricsPath   path of the exposition. Default {@code /metrics}.
 * @param metricsAddr   {@code metrics_addr}: HTTP bind address. Default {@code 0.0.0.0}.
 * @param webConfigFile {@code web_config_file}: TLS and basic auth of the HTTP endpoint, in the
 *                      Prometheus exporter toolkit's web-config format; "" for plain HTTP, no auth.
 */
public record ServerSettings(
    int netflowPort,
    int sflowPort,
    int ipfixPort,
    List<String> listenAddrs,
    String interfaceName,
    List<ListenerSettings> listeners,
    int metricsPort,
    String metricsPath,
    String metricsAddr,
    String webConfigFile)
{
    public static final int NETFLOW_PORT_DEFAULT = 2055;
    public static final int SFLOW_PORT_DEFAULT = 6343;
    public static final int IPFIX_PORT_DEFAULT = 4739;
    public static final String LISTEN_ADDR_DEFAULT = "0.0.0.0";
    public static final int METRICS_PORT_DEFAULT = 8080;
    public static final String METRICS_PATH_DEFAULT = "/metrics";
    public static final String METRICS_ADDR_DEFAULT = "0.0.0.0";

    /** Without a web config file. */
    public ServerSettings(
        final int netflowPort,
        final int sflowPort,
        final int ipfixPort,
        final List<String> listenAddrs,
        final String interfaceName,
        final List<ListenerSettings> listeners,
        final int metricsPort,
        final String metricsPath,
        final String metricsAddr)
    {
        this(netflowPort, sflowPort, ipfixPort, listenAddrs, interfaceName, listeners, metricsPort, metricsPath,
            metricsAddr, "");
    }

    public static ServerSettings defaults()
    {
        return new ServerSettings(
            NETFLOW_PORT_DEFAULT,
            SFLOW_PORT_DEFAULT,
            IPFIX_PORT_DEFAULT,
            List.of(LISTEN_ADDR_DEFAULT),
            "",
            List.of(),
            METRICS_PORT_DEFAULT,
            METRICS_PATH_DEFAULT,
            METRICS_ADDR_DEFAULT);
    }
}
