package io.goflow.exporter.receive;

import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.ServerSettings;
import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.ListenerProtocol;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Turns {@code server} settings into the list of {@link ListenerSpec}s to bind.
 *
 * <ul>
 *   <li>{@code server.listeners} non-empty: exactly those, each with its own allow-list; an entry
 *       with {@code interface} expands to one listener per address of that interface;</li>
 *   <li>otherwise one listener per (address, protocol) for the NetFlow, sFlow and IPFIX ports,
 *       where the addresses come from {@code server.interface} when set, else
 *       {@code server.listen_addr}. A negative port disables that protocol.</li>
 * </ul>
 * IPv6 wildcards are ordered first, so that a dual-stack {@code ::} is bound before a
 * {@code 0.0.0.0} on the same port (see {@link ListenerBinder}).
 */
public final class ListenerPlan
{
    private ListenerPlan()
    {
    }

    /**
     * @throws IOException naming the setting when an interface is unknown or has no address.
     * @throws IllegalArgumentException when an address or allow-list entry is not an IP literal.
     */
    public static List<ListenerSpec> resolve(final ServerSettings server) throws IOException
    {
        final List<ListenerSpec> specs = new ArrayList<>();
        if (server.listeners() != null && !server.listeners().isEmpty())
        {
            for (final ListenerSettings l : server.listeners())
            {
                final AllowList allow = AllowList.parse(l.allowedExporters());
                final List<InetAddress> addresses = notEmpty(l.interfaceName()) ?
                    interfaceAddresses(l.interfaceName(), "server.listeners[].interface") :
                    List.of(ExporterAddress.parseLiteral(
                        notEmpty(l.address()) ? l.address() : ServerSettings.LISTEN_ADDR_DEFAULT));
                for (final InetAddress address : addresses)
                {
                    specs.add(new ListenerSpec(l.protocol(), address, l.port(), allow));
                }
            }
        }
        else
        {
            final List<InetAddress> addresses = new ArrayList<>();
            if (notEmpty(server.interfaceName()))
            {
                addresses.addAll(interfaceAddresses(server.interfaceName(), "server.interface"));
            }
            else
            {
                for (final String text : server.listenAddrs())
                {
                    addresses.add(ExporterAddress.parseLiteral(text));
                }
            }
            for (final InetAddress address : addresses)
            {
                add(specs, ListenerProtocol.NETFLOW, address, server.netflowPort());
                add(specs, ListenerProtocol.SFLOW, address, server.sflowPort());
                add(specs, ListenerProtocol.IPFIX, address, server.ipfixPort());
            }
        }
        final List<ListenerSpec> ordered = new ArrayList<>(specs);
        ordered.sort(Comparator.comparingInt(ListenerPlan::bindOrder));
        return Collections.unmodifiableList(ordered);
    }

    /** @return the addresses of interface {@code name}, IPv4 first. */
    public static List<InetAddress> interfaceAddresses(final String name, final String settingPath)
        throws IOException
    {
        final NetworkInterface nif;
        try
        {
            nif = NetworkInterface.getByName(name);
        }
        catch (final SocketException ex)
        {
            throw new IOException(settingPath + ": cannot look up network interface '" + name + "'", ex);
        }
        if (nif == null)
        {
            throw new IOException(settingPath + ": no network interface named '" + name + "'");
        }
        final List<InetAddress> addresses = new ArrayList<>(Collections.list(nif.getInetAddresses()));
        if (addresses.isEmpty())
        {
            throw new IOException(settingPath + ": network interface '" + name + "' has no IP address");
        }
        addresses.sort(Comparator.comparingInt(a -> a instanceof Inet6Address ? 1 : 0));
        return addresses;
    }

    /**
     * Tells whether this host can bind {@code address}, without touching any configured port: a UDP
     * socket is bound to an ephemeral port on it and closed at once.
     *
     * @return null when it can, otherwise the kernel's reason.
     */
    public static String bindProblem(final InetAddress address)
    {
        try (DatagramChannel ch = DatagramChannel.open(
            address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6))
        {
            ch.bind(new InetSocketAddress(address, 0));
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            return String.valueOf(ex.getMessage());
        }
    }

    /** @return RFC 5952 text of {@code address} without scope. */
    public static String addressText(final InetAddress address)
    {
        final byte[] b = address.getAddress();
        if (b.length == 4)
        {
            return address.getHostAddress();
        }
        return AddressText.toString(ExporterAddress.hi(address), ExporterAddress.lo(address));
    }

    private static int bindOrder(final ListenerSpec spec)
    {
        return spec.bindAddress() instanceof Inet6Address && spec.bindAddress().isAnyLocalAddress() ? 0 : 1;
    }

    private static void add(
        final List<ListenerSpec> specs, final ListenerProtocol protocol, final InetAddress address, final int port)
    {
        if (port >= 0)
        {
            specs.add(new ListenerSpec(protocol, address, port, AllowList.ALL));
        }
    }

    private static boolean notEmpty(final String s)
    {
        return s != null && !s.isEmpty();
    }
}
