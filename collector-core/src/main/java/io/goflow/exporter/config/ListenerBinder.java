package io.goflow.exporter.config;

import io.goflow.exporter.decoders.api.ListenerProtocol;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binds one entry of {@code server.listeners}. {@link ServerBinder} expands it to one
 * {@link ListenerSettings} per address and checks that no two bind the same port.
 */
final class ListenerBinder extends SectionBinder<ListenerBinder.Entry>
{
    /**
     * One entry as written.
     *
     * @param protocol      null when missing or unknown (reported).
     * @param addresses     {@code address} as a list (empty when invalid, reported), or null when
     *                      absent: the entry listens on every {@code listen_addr}.
     * @param port          -1 when missing or invalid (reported).
     * @param portNode      the value of {@code port}, for the line of a clash.
     * @param interfaceName empty when absent.
     * @param allowed       the CIDRs of {@code allowed_exporters} that parsed.
     */
    record Entry(
        ListenerProtocol protocol,
        List<String> addresses,
        int port,
        Node portNode,
        String interfaceName,
        List<String> allowed)
    {
    }

    ListenerBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    Entry bind(final YamlFields.Section l)
    {
        ListenerProtocol protocol = null;
        final Node protocolNode = l.value("protocol");
        if (protocolNode == null)
        {
            y.error(l.node, l.path, "missing required key \"protocol\"");
        }
        else
        {
            final String p = y.string(protocolNode, l.pathOf("protocol"), null);
            if (p != null)
            {
                protocol = ListenerProtocol.fromConfigName(p);
                if (protocol == null)
                {
                    y.error(protocolNode, l.pathOf("protocol"), Suggestions.unknown("protocol", p,
                        Arrays.stream(ListenerProtocol.values()).map(ListenerProtocol::configName).toList()));
                }
            }
        }
        final Node addressNode = l.value("address");
        int port = -1;
        final Node portNode = l.value("port");
        if (portNode == null)
        {
            y.error(l.node, l.path, "missing required key \"port\"");
        }
        else
        {
            port = (int)y.integer(portNode, l.pathOf("port"), -1, ServerBinder.PORT_MIN, ServerBinder.PORT_MAX);
        }
        List<String> addresses = null;
        if (addressNode != null)
        {
            final String a = y.address(addressNode, l.pathOf("address"));
            addresses = a == null ? List.of() : List.of(a);
        }
        final String interfaceName = y.string(l, "interface", "");
        final List<String> allowed = new ArrayList<>();
        final List<Node> allowedItems = y.items(l.value("allowed_exporters"), l.pathOf("allowed_exporters"), false);
        for (int j = 0; j < allowedItems.size(); j++)
        {
            final String itemPath = l.pathOf("allowed_exporters") + "[" + j + "]";
            final String cidr = y.string(allowedItems.get(j), itemPath, null);
            if (cidr == null)
            {
                continue;
            }
            final String problem = IpLiterals.checkCidr(cidr);
            if (problem != null)
            {
                y.error(allowedItems.get(j), itemPath, "bad CIDR \"" + cidr + "\": " + problem);
            }
            else
            {
                allowed.add(cidr);
            }
        }
        return new Entry(protocol, addresses, port, portNode, interfaceName, List.copyOf(allowed));
    }
}
