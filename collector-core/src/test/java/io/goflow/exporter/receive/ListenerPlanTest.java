package io.goflow.exporter.receive;

import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.ServerSettings;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenerPlanTest
{
    @Test
    void shouldDeriveThreeListenersPerListenAddress() throws Exception
    {
        final List<ListenerSpec> specs = ListenerPlan.resolve(server(List.of("127.0.0.1", "::1"), "", List.of()));
        assertEquals(6, specs.size());
        assertEquals(List.of(2055, 6343, 4739, 2055, 6343, 4739), specs.stream().map(ListenerSpec::port).toList());
        assertEquals(List.of(ListenerProtocol.NETFLOW, ListenerProtocol.SFLOW, ListenerProtocol.IPFIX),
            specs.subList(0, 3).stream().map(ListenerSpec::protocol).toList());
    }

    @Test
    void shouldOrderIpv6WildcardFirstSoDualStackBindsBeforeIpv4Wildcard() throws Exception
    {
        final List<ListenerSpec> specs = ListenerPlan.resolve(server(List.of("0.0.0.0", "::"), "", List.of()));
        assertTrue(specs.get(0).bindAddress().isAnyLocalAddress());
        assertEquals(16, specs.get(0).bindAddress().getAddress().length);
        assertEquals(4, specs.get(5).bindAddress().getAddress().length);
    }

    @Test
    void shouldBindToEveryAddressOfLoopbackInterface() throws Exception
    {
        final List<ListenerSpec> specs = ListenerPlan.resolve(server(List.of("0.0.0.0"), "lo", List.of()));
        final List<InetAddress> addresses = specs.stream().map(ListenerSpec::bindAddress).distinct().toList();
        assertTrue(addresses.contains(InetAddress.getByName("127.0.0.1")), addresses.toString());
        assertTrue(addresses.stream().allMatch(InetAddress::isLoopbackAddress), addresses.toString());
        assertEquals(3 * addresses.size(), specs.size());
    }

    @Test
    void shouldFailWithSettingNameWhenInterfaceUnknown()
    {
        final IOException ex = assertThrows(IOException.class,
            () -> ListenerPlan.resolve(server(List.of("0.0.0.0"), "nosuchif0", List.of())));
        assertTrue(ex.getMessage().contains("server.interface"), ex.getMessage());
        assertTrue(ex.getMessage().contains("nosuchif0"), ex.getMessage());
    }

    @Test
    void shouldUseExplicitListenersWithTheirAllowLists() throws Exception
    {
        final ListenerSettings l = new ListenerSettings(
            ListenerProtocol.AUTO, "127.0.0.1", 9995, "", List.of("10.0.0.0/8"));
        final List<ListenerSpec> specs = ListenerPlan.resolve(server(List.of("0.0.0.0"), "", List.of(l)));
        assertEquals(1, specs.size());
        assertEquals(ListenerProtocol.AUTO, specs.get(0).protocol());
        assertEquals(9995, specs.get(0).port());
        final InetAddress inside = InetAddress.getByName("10.9.8.7");
        final InetAddress outside = InetAddress.getByName("11.0.0.1");
        assertTrue(specs.get(0).allowList().allows(ExporterAddress.hi(inside), ExporterAddress.lo(inside)));
        assertFalse(specs.get(0).allowList().allows(ExporterAddress.hi(outside), ExporterAddress.lo(outside)));
    }

    @Test
    void shouldSkipProtocolWhenPortNegative() throws Exception
    {
        final ServerSettings s = new ServerSettings(2055, -1, -1, List.of("127.0.0.1"), "", List.of(), 8080, "/metrics", "");
        assertEquals(1, ListenerPlan.resolve(s).size());
    }

    private static ServerSettings server(
        final List<String> addrs, final String iface, final List<ListenerSettings> listeners)
    {
        return new ServerSettings(2055, 6343, 4739, addrs, iface, listeners, 8080, "/metrics", "127.0.0.1");
    }
}
