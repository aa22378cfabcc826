package io.goflow.exporter.config;

import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigLoaderTest
{
    private static final long S = 1_000_000_000L;
    private static final long M = 60 * S;

    private static Path confFile(final String name)
    {
        for (final String base : new String[] {"..", "."})
        {
            final Path p = Path.of(base, "conf", name);
            if (Files.isRegularFile(p))
            {
                return p;
            }
        }
        throw new IllegalStateException("conf/" + name + " not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void shouldGiveDefaultsWhenDocumentIsEmpty() throws ConfigException
    {
        assertEquals(Settings.defaults(), ConfigLoader.loadString("", "empty.yaml"));
    }

    @Test
    void shouldGiveDefaultsWhenSectionsAreNull() throws ConfigException
    {
        assertEquals(Settings.defaults(), ConfigLoader.loadString("server:\nperformance:\nlogging:\n", "null.yaml"));
    }

    private static Path specFile(final String name)
    {
        try
        {
            return Path.of(ConfigLoaderTest.class.getResource("/spec/" + name).toURI());
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void shouldShipSpecFullExampleListeningOnBothFamiliesWithA4MiBReceiveBuffer() throws IOException, ConfigException
    {
        final Settings spec = ConfigLoader.load(specFile("config.yaml"));
        final Settings shipped = ConfigLoader.load(confFile("config.yaml"));
        assertEquals(List.of("0.0.0.0", "::"), shipped.server().listenAddrs());
        final PerformanceSettings p = spec.performance();
        // The spec's 65536 is below the kernel default and drops bursts (ShippedConfigIT): 4 MiB shipped.
        assertEquals(new Settings(
            new ServerSettings(2055, 6343, 4739, List.of("0.0.0.0", "::"), "", List.of(), 8080, "/metrics", "0.0.0.0"),
            new PerformanceSettings(4 * 1024 * 1024, p.workerCount(), p.batchSize(), p.queueSize(), p.waitStrategy()),
            spec.aggregation(), spec.enrichment(), spec.metrics(), spec.logging(), spec.decoder()),
            shipped);
    }

    @Test
    void shouldShipSpecMinimalExampleVerbatim() throws IOException
    {
        assertEquals(Files.readString(specFile("minimal.yaml")), Files.readString(confFile("minimal.yaml")));
    }

    @Test
    void shouldLoadSpecFullExampleVerbatim() throws IOException, ConfigException
    {
        final Settings s = ConfigLoader.load(specFile("config.yaml"));
        assertEquals(new ServerSettings(2055, 6343, 4739, List.of("0.0.0.0"), "", List.of(), 8080, "/metrics", "0.0.0.0"),
            s.server());
        assertEquals(new PerformanceSettings(65536, 8, 100, 10000, "blocking"), s.performance());
        assertEquals(List.of(M, 5 * M, 15 * M, 60 * M), s.aggregation().timeWindowsNs());
        assertEquals(List.of(Dimension.SRC_ADDR, Dimension.DST_ADDR, Dimension.PROTOCOL, Dimension.SRC_PORT,
            Dimension.DST_PORT, Dimension.IN_IF, Dimension.OUT_IF, Dimension.SRC_COUNTRY, Dimension.DST_COUNTRY,
            Dimension.SRC_ASN, Dimension.DST_ASN), s.aggregation().dimensions());
        assertEquals(new EnrichmentSettings(true, "/opt/geoip/GeoLite2-Country.mmdb", true,
            "/opt/geoip/GeoLite2-ASN.mmdb", 100000, "database_then_flow", 30 * 86400 * S, false, 10 * S, 10000),
            s.enrichment());
        assertEquals(new MetricsSettings("flow", "", List.of(LabelGroup.PORTS, LabelGroup.INTERFACES, LabelGroup.GEO,
                LabelGroup.ASN), Map.of("environment", "production", "datacenter", "dc1", "collector_id", "flow-01"), true),
            s.metrics());
        assertEquals(new LoggingSettings("info", "json"), s.logging());
    }

    @Test
    void shouldLoadSpecMinimalExampleVerbatim() throws IOException, ConfigException
    {
        final Settings s = ConfigLoader.load(confFile("minimal.yaml"));
        assertEquals(new PerformanceSettings(65536, 4, 100, 1000, "blocking"), s.performance());
        assertEquals(new AggregationSettings(List.of(M, 5 * M), List.of(Dimension.SRC_ADDR, Dimension.DST_ADDR,
            Dimension.PROTOCOL), M, 100000, 10 * M, false, 0, List.of()), s.aggregation());
        assertEquals(false, s.enrichment().geoipEnabled());
        assertEquals(false, s.enrichment().asnEnabled());
        assertEquals(List.of(), s.metrics().enabledLabels());
        assertEquals(new LoggingSettings("info", "json"), s.logging());
    }

    @Test
    void shouldPrefixErrorsWithFileNameWhenLoadingPath(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "logging:\n  level: loud\n");
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ":2: logging.level: unknown log level \"loud\"; expected one of: debug, info, warn, error",
            ex.getMessage());
    }

    @Test
    void shouldRejectFileThatIsNotUtf8(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte)0xE9, '\n'});
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
        assertEquals(file + ":0: (yaml): not UTF-8 text", ex.getMessage());
    }

    @Test
    void shouldAcceptListOfListenAddresses() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("server:\n  listen_addr: [\"0.0.0.0\", \"::\"]\n", "t");
        assertEquals(List.of("0.0.0.0", "::"), s.server().listenAddrs());
    }

    @Test
    void shouldAcceptSingleIpv6ListenAddress() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("server:\n  listen_addr: \"2001:db8::1\"\n", "t");
        assertEquals(List.of("2001:db8::1"), s.server().listenAddrs());
    }

    @Test
    void shouldExpandListenerWithoutAddressToEveryListenAddress() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("""
            server:
              listen_addr: ["127.0.0.1", "::1"]
              listeners:
                - protocol: auto
                  port: 9995
                  allowed_exporters: ["192.0.2.0/24", "2001:db8::1"]
            """, "t");
        final List<String> allowed = List.of("192.0.2.0/24", "2001:db8::1");
        assertEquals(List.of(
            new ListenerSettings(ListenerProtocol.AUTO, "127.0.0.1", 9995, "", allowed),
            new ListenerSettings(ListenerProtocol.AUTO, "::1", 9995, "", allowed)), s.server().listeners());
    }

    @Test
    void shouldReadEveryExtensionKey() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("""
            server:
              interface: eth1
              metrics_addr: "127.0.0.1"
            performance:
              wait_strategy: yielding
            aggregation:
              time_windows: ["1m", "5m"]
              dimensions: [exporter, protocol]
              bandwidth_window: 5m
              max_series: 5000
              series_ttl: 1h30m
              spread_long_flows: true
              top_k: 50
              views:
                - name: by_country
                  dimensions: [src_country, dst_country]
                  top_k: 20
            enrichment:
              asn_source: flow
              max_age: 7d
              required: true
              reload_interval: 90s
              max_city_series: 300
            metrics:
              jvm_metrics: false
            """, "t");
        assertEquals("eth1", s.server().interfaceName());
        assertEquals("127.0.0.1", s.server().metricsAddr());
        assertEquals("yielding", s.performance().waitStrategy());
        assertEquals(new AggregationSettings(List.of(M, 5 * M), List.of(Dimension.EXPORTER, Dimension.PROTOCOL), 5 * M,
            5000, 90 * M, true, 50, List.of(new ViewSettings("by_country",
                List.of(Dimension.SRC_COUNTRY, Dimension.DST_COUNTRY), 5000, 20))), s.aggregation());
        assertEquals(new EnrichmentSettings(true, EnrichmentSettings.GEOIP_PATH_DEFAULT, true,
            EnrichmentSettings.ASN_PATH_DEFAULT, 100000, "flow", 7 * 86400 * S, true, 90 * S, 300), s.enrichment());
        assertEquals(false, s.metrics().jvmMetrics());
    }

    @Test
    void shouldReadDecoderSection() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("""
            decoder:
              template_key_includes_port: true
              max_exporters: 10
              max_templates_per_exporter: 20
              template_timeout: 1h
              pending_bytes_per_exporter: 0
              pending_timeout: 30s
              max_records_per_datagram: 100
              default_sampling_rate: 1000
              sampling_overrides:
                "192.0.2.1": 512
                "2001:db8::1": 64
            """, "t");
        assertEquals(new DecoderSettings(true, 10, 20, 3600 * S, 0, 30 * S, 100, 1000,
            Map.of("192.0.2.1", 512L, "2001:db8::1", 64L)), s.decoder());
    }

    @Test
    void shouldReadTemplateUpdatesPerSecondAndDefaultIt() throws ConfigException
    {
        assertEquals(0, ConfigLoader.loadString("decoder:\n  template_updates_per_second: 0\n", "t").decoder()
            .templateUpdatesPerSecond(), "0 disables the limit");
        assertEquals(25, ConfigLoader.loadString("decoder:\n  template_updates_per_second: 25\n", "t").decoder()
            .templateUpdatesPerSecond());
        assertEquals(100, ConfigLoader.loadString("decoder:\n  max_exporters: 10\n", "t").decoder()
            .templateUpdatesPerSecond(), "the documented default");
    }

    @Test
    void shouldKeepNumericCustomLabelValueAsWritten() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("metrics:\n  custom_labels:\n    rack: 07\n", "t");
        assertEquals(Map.of("rack", "07"), s.metrics().customLabels());
    }

    @Test
    void shouldDefaultSeriesTtlToLongestWindowPlusFiveMinutes() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("aggregation:\n  time_windows: [15m, 1m]\n", "t");
        assertEquals(20 * M, s.aggregation().seriesTtlNs());
        assertEquals(15 * M, s.aggregation().bandwidthWindowNs());
    }
}
