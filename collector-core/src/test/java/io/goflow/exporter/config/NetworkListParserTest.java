package io.goflow.exporter.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aggregation.networks}, {@code prefix_lengths} and {@code interfaces} parsing and errors. */
class NetworkListParserTest
{
    private static String readmeBlock(final String marker) throws Exception
    {
        for (final String base : new String[] {"..", "."})
        {
            final Path p = Path.of(base, "README.md");
            if (Files.isRegularFile(p))
            {
                final String text = Files.readString(p);
                final int at = text.indexOf("<!-- readme-config: " + marker + " -->");
                final int start = text.indexOf("```yaml\n", at) + "```yaml\n".length();
                return text.substring(start, text.indexOf("```", start));
            }
        }
        throw new IllegalStateException("README.md not found");
    }

    @Test
    void shouldAcceptTheReadmeNetworksExample() throws Exception
    {
        final Settings s = ConfigLoader.loadString(readmeBlock("networks"), "README.md");
        assertEquals(3, s.aggregation().networks().size());
        assertEquals(List.of("exporter", "src_net", "dst_net", "dst_net_role", "protocol", "in_if_name", "out_if_name"),
            s.aggregation().dimensions().stream().map(Dimension::configName).toList());
        assertEquals(100_000_000_000L, s.aggregation().interfaces().get(1).speedBps());
        assertEquals(500, s.aggregation().topK());
    }

    @Test
    void shouldAcceptTheReadmeCheapLayoutWithoutWindowRates() throws Exception
    {
        final Settings s = ConfigLoader.loadString(readmeBlock("cheap"), "README.md");
        assertEquals(500, s.aggregation().topK());
        assertEquals(2, s.aggregation().timeWindowsNs().size());
        assertEquals(false, s.metrics().windowRates());
        assertEquals(true, ConfigLoader.loadString("", "empty").metrics().windowRates(), "rates are on by default");
    }

    @Test
    void shouldParseNetworksPrefixLengthsAndInterfacesWhenValid() throws Exception
    {
        final Settings s = ConfigLoader.loadString("""
            aggregation:
              dimensions: [src_net, src_net_site]
              prefix_lengths: {ipv4: 0, ipv6: 64}
              networks:
                - {prefix: 198.51.100.7/24, site: fra1}
                - {prefix: "2001:db8::/32", name: doc}
              interfaces:
                - {exporter: "2001:db8::1", index: 4, speed: 2.5G}
            """, "t.yaml");
        final NetworkSettings first = s.aggregation().networks().get(0);
        assertEquals("198.51.100.7/24", first.name(), "the prefix names an entry without a name");
        assertEquals(0xC633_6407L << 32, first.hi());
        assertEquals(24, first.length());
        assertEquals("fra1", first.attributes().get("site"));
        assertEquals(0x2001_0DB8_0000_0000L, s.aggregation().networks().get(1).hi());
        assertEquals(new PrefixLengths(0, 64, false), s.aggregation().prefixLengths());
        assertEquals(2_500_000_000L, s.aggregation().interfaces().get(0).speedBps());
        assertEquals(0x2001_0DB8_0000_0000L, s.aggregation().interfaces().get(0).hi());
        assertEquals(true, ConfigLoader.loadString("aggregation:\n  prefix_lengths: flow\n", "t").aggregation()
            .prefixLengths().fromFlow());
    }

    @Test
    void shouldRejectBadEntriesWithTheirLine()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.loadString("""
            aggregation:
              dimensions: [src_net, src_net_tenant]
              prefix_lengths: {ipv4: 33}
              networks:
                - {prefix: 10.0.0.0/8, role: lan}
                - {prefix: 10.0.0.0/8}
                - {name: no-prefix}
                - {prefix: 10.1.0.0/16, Bad-Key: x}
              interfaces:
                - {exporter: 192.0.2.1, index: 0, speed: 10X}
            """, "t.yaml"));
        final String message = ex.getMessage();
        assertTrue(message.contains("t.yaml:3: aggregation.prefix_lengths.ipv4: 33 is out of range 0..32"), message);
        assertTrue(message.contains("t.yaml:6: aggregation.networks[1].prefix: prefix 10.0.0.0/8 is already listed"), message);
        assertTrue(message.contains("t.yaml:7: aggregation.networks[2]: missing required key \"prefix\""), message);
        assertTrue(message.contains("t.yaml:8: aggregation.networks[3].Bad-Key"), message);
        assertTrue(message.contains("aggregation.interfaces[0].index: 0 is out of range"), message);
        assertTrue(message.contains("aggregation.interfaces[0].speed: bad speed \"10X\""), message);
        assertTrue(message.contains("dimension src_net_tenant: no entry of aggregation.networks has the attribute " +
            "\"tenant\" (attributes: role)"), message);
    }

    @Test
    void shouldParseSpeedsWithSiSuffixes()
    {
        assertEquals(10_000_000_000L, NetworkListParser.parseSpeedBps("10G"));
        assertEquals(400_000_000_000L, NetworkListParser.parseSpeedBps("400Gbps"));
        assertEquals(100_000_000L, NetworkListParser.parseSpeedBps("100M"));
        assertEquals(1_000_000_000L, NetworkListParser.parseSpeedBps("1000000000"));
        assertEquals(-1, NetworkListParser.parseSpeedBps("fast"));
    }
}
