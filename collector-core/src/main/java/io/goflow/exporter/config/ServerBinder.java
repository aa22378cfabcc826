package io.goflow.exporter.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Binds {@code server} to {@link ServerSettings}; each entry of {@code listeners} with a {@link ListenerBinder}. */
final class ServerBinder extends SectionBinder<ServerSettings>
{
    static final int PORT_MIN = 1;
    static final int PORT_MAX = 65535;

    ServerBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    ServerSettings bind(final YamlFields.Section s)
    {
        final ServerSettings d = ServerSettings.defaults();
        final int netflowPort = port(s, "netflow_port", d.netflowPort());
        final int sflowPort = port(s, "sflow_port", d.sflowPort());
        final int ipfixPort = port(s, "ipfix_port", d.ipfixPort());

        final List<String> listenAddrs = new ArrayList<>();
        final Node listenNode = s.value("listen_addr");
        final List<Node> addrItems = y.items(listenNode, s.pathOf("listen_addr"), true);
        for (int i = 0; i < addrItems.size(); i++)
        {
            final String path = listenNode instanceof ScalarNode ?
                s.pathOf("listen_addr") : s.pathOf("listen_addr") + "[" + i + "]";
            final String a = y.address(addrItems.get(i), path);
            if (a != null)
            {
                listenAddrs.add(a);
            }
        }
        if (listenNode instanceof SequenceNode && addrItems.isEmpty())
        {
            y.error(listenNode, s.pathOf("listen_addr"), "must name at least one address");
        }
        final List<String> effectiveAddrs = listenAddrs.isEmpty() ? d.listenAddrs() : List.copyOf(listenAddrs);

        final String interfaceName = y.string(s, "interface", d.interfaceName());
        final boolean hasListeners = s.value("listeners") != null;
        final int metricsPort = port(s, "metrics_port", d.metricsPort());
        final String metricsPath = y.string(s, "metrics_path", d.metricsPath());
        if (s.value("metrics_path") != null)
        {
            checkMetricsPath(s.value("metrics_path"), s.pathOf("metrics_path"), metricsPath);
        }
        String metricsAddr = d.metricsAddr();
        if (s.value("metrics_addr") != null)
        {
            final String a = y.address(s.value("metrics_addr"), s.pathOf("metrics_addr"));
            metricsAddr = a == null ? metricsAddr : a;
        }

        final List<ListenerSettings> listeners = listeners(s, effectiveAddrs);
        if (!hasListeners)
        {
            checkDerivedPorts(s, netflowPort, sflowPort, ipfixPort);
        }
        final String webConfigFile = y.string(s, "web_config_file", d.webConfigFile());
        return new ServerSettings(netflowPort, sflowPort, ipfixPort, effectiveAddrs, interfaceName,
            listeners, metricsPort, metricsPath, metricsAddr, webConfigFile);
    }

    private void checkMetricsPath(final Node node, final String path, final String value)
    {
        if (!value.startsWith("/") || value.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#'))
        {
            y.error(node, path, "\"" + value + "\" must start with \"/\" and hold no spaces, '?' or '#'");
        }
        else if (value.equals("/") || value.equals("/healthz"))
        {
            y.error(node, path, "\"" + value + "\" is reserved (landing page and health check)");
        }
    }

    private void checkDerivedPorts(final YamlFields.Section s, final int netflow, final int sflow, final int ipfix)
    {
        final Map<Integer, String> used = new HashMap<>();
        final String[] keys = {"netflow_port", "sflow_port", "ipfix_port"};
        final int[] ports = {netflow, sflow, ipfix};
        for (int i = 0; i < keys.length; i++)
        {
            final String previous = used.putIfAbsent(ports[i], keys[i]);
            if (previous != null)
            {
                final Node n = s.value(keys[i]) != null ? s.value(keys[i]) : s.node;
                y.error(n, s.pathOf(keys[i]), "port " + ports[i] + " is already used by " + s.pathOf(previous));
            }
        }
    }

    private List<ListenerSettings> listeners(final YamlFields.Section s, final List<String> listenAddrs)
    {
        final List<ListenerSettings> out = new ArrayList<>();
        final Map<String, String> used = new HashMap<>();
        final ListenerBinder listener = new ListenerBinder(y);
        final List<Node> items = y.items(s.value("listeners"), s.pathOf("listeners"), false);
        for (int i = 0; i < items.size(); i++)
        {
            final String path = s.pathOf("listeners") + "[" + i + "]";
            final YamlFields.Section l = y.section(items.get(i), path, listener.keys());
            if (!(items.get(i) instanceof MappingNode))
            {
                continue;
            }
            final ListenerBinder.Entry e = listener.bind(l);
            if (e.protocol() == null || e.port() < 0)
            {
                continue;
            }
            final String interfaceName = e.interfaceName();
            for (final String address : e.addresses() == null ? listenAddrs : e.addresses())
            {
                final String bind =
                    interfaceName.isEmpty() ? IpLiterals.canonical(address) : "interface " + interfaceName;
                final String previous = used.putIfAbsent(bind + "#" + e.port(), path);
                if (previous != null && !previous.equals(path))
                {
                    y.error(e.portNode(), l.pathOf("port"),
                        "port " + e.port() + " on " + bind + " is already used by " + previous);
                }
                out.add(new ListenerSettings(e.protocol(), address, e.port(), interfaceName, e.allowed()));
                if (!interfaceName.isEmpty())
                {
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    private int port(final YamlFields.Section s, final String key, final int fallback)
    {
        return (int)y.integer(s, key, fallback, PORT_MIN, PORT_MAX);
    }
}
