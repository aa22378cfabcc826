package io.goflow.exporter.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One test per validation rule; each asserts the exact rendered error. */
class ConfigLoaderValidationTest
{
    private static List<String> errors(final String yaml)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.loadString(yaml, "t.yaml"));
        return ex.errors().stream().map(ConfigError::toString).toList();
    }

    private static void assertError(final String yaml, final String expected)
    {
        assertEquals(List.of(expected), errors(yaml));
    }

    @Test
    void shouldSuggestKeyWhenKeyIsMisspelt()
    {
        assertError("performance:\n  worker_cont: 4\n",
            "t.yaml:2: performance.worker_cont: unknown key \"worker_cont\"; did you mean \"worker_count\"?");
    }

    @Test
    void shouldListValidKeysWhenUnknownKeyHasNoCloseMatch()
    {
        assertError("logging:\n  colour: red\n",
            "t.yaml:2: logging.colour: unknown key \"colour\"; expected one of: level, format");
    }

    @Test
    void shouldSuggestSectionWhenTopLevelKeyIsMisspelt()
    {
        assertError("sever:\n  netflow_port: 2055\n",
            "t.yaml:1: sever: unknown key \"sever\"; did you mean \"server\"?");
    }

    @Test
    void shouldRejectDuplicateKey()
    {
        assertError("server:\n  sflow_port: 6343\n  sflow_port: 6344\n",
            "t.yaml:3: server.sflow_port: duplicate key (first at line 2)");
    }

    @Test
    void shouldRejectStringWhereIntegerExpected()
    {
        assertError("performance:\n  worker_count: eight\n",
            "t.yaml:2: performance.worker_count: expected an integer, got \"eight\"");
    }

    @Test
    void shouldRejectQuotedNumberWhereIntegerExpected()
    {
        assertError("server:\n  metrics_port: \"8080\"\n",
            "t.yaml:2: server.metrics_port: expected an integer, got \"8080\"");
    }

    @Test
    void shouldRejectListWhereSectionExpected()
    {
        assertError("server:\n  - 2055\n", "t.yaml:2: server: expected a mapping, got a list");
    }

    @Test
    void shouldRejectNonMappingDocument()
    {
        assertError("just text\n", "t.yaml:1: (root): expected a mapping, got \"just text\"");
    }

    @Test
    void shouldRejectScalarWhereListExpected()
    {
        assertError("aggregation:\n  dimensions: src_addr\n",
            "t.yaml:2: aggregation.dimensions: expected a list, got \"src_addr\"");
    }

    @Test
    void shouldRejectNonBooleanFlag()
    {
        assertError("enrichment:\n  geoip_enabled: maybe\n",
            "t.yaml:2: enrichment.geoip_enabled: expected true or false, got \"maybe\"");
    }

    @Test
    void shouldRejectListWhereStringExpected()
    {
        assertError("enrichment:\n  geoip_path: [a, b]\n",
            "t.yaml:2: enrichment.geoip_path: expected a string, got a list");
    }

    @Test
    void shouldRejectDurationWithoutUnit()
    {
        assertError("aggregation:\n  time_windows:\n    - \"1m\"\n    - 60\n",
            "t.yaml:4: aggregation.time_windows[1]: bad duration 60; use a whole number and a unit ms, s, m, h or d," +
                " e.g. \"500ms\", \"90s\", \"1m\", \"1h\", \"30d\"");
    }

    @Test
    void shouldRejectDurationWithUnknownUnit()
    {
        assertError("decoder:\n  template_timeout: 5 min\n",
            "t.yaml:2: decoder.template_timeout: bad duration \"5 min\"; use a whole number and a unit ms, s, m, h or d," +
                " e.g. \"500ms\", \"90s\", \"1m\", \"1h\", \"30d\"");
    }

    @Test
    void shouldRejectDurationOutOfRange()
    {
        assertError("aggregation:\n  time_windows: [\"500ms\"]\n",
            "t.yaml:2: aggregation.time_windows[0]: duration 500ms is out of range 1s..7d");
    }

    @ParameterizedTest(name = "{0}.{1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "server|netflow_port|0|0 is out of range 1..65535",
        "server|sflow_port|65536|65536 is out of range 1..65535",
        "server|ipfix_port|-1|-1 is out of range 1..65535",
        "server|metrics_port|70000|70000 is out of range 1..65535",
        "performance|buffer_size|1023|1023 is out of range 1024..1073741824",
        "performance|worker_count|0|0 is out of range 1..1024",
        "performance|worker_count|1025|1025 is out of range 1..1024",
        "performance|batch_size|0|0 is out of range 1..65536",
        "performance|queue_size|16777217|16777217 is out of range 1..16777216",
        "aggregation|max_series|0|0 is out of range 1..10000000",
        "aggregation|top_k|-1|-1 is out of range 0..1000000",
        "enrichment|cache_size|10000001|10000001 is out of range 0..10000000",
        "enrichment|max_city_series|-5|-5 is out of range 0..1000000",
        "decoder|max_exporters|0|0 is out of range 1..1000000",
        "decoder|max_templates_per_exporter|65537|65537 is out of range 1..65536",
        "decoder|pending_bytes_per_exporter|67108865|67108865 is out of range 0..67108864",
        "decoder|max_records_per_datagram|0|0 is out of range 1..65535",
        "decoder|default_sampling_rate|16777217|16777217 is out of range 0..16777216",
        "decoder|template_updates_per_second|-1|-1 is out of range 0..1000000",
        "decoder|template_updates_per_second|1000001|1000001 is out of range 0..1000000",
        "enrichment|max_age|0s|duration 0s is out of range 1s..3650d",
        "enrichment|reload_interval|2d|duration 2d is out of range 1s..1d",
        "decoder|template_timeout|31d|duration 31d is out of range 1s..30d",
        "decoder|pending_timeout|2h|duration 2h is out of range 1s..1h",
        "aggregation|series_ttl|31d|duration 31d is out of range 1s..30d",
    })
    void shouldRejectValueOutOfRange(final String section, final String key, final String value, final String message)
    {
        assertError(section + ":\n  " + key + ": " + value + "\n",
            "t.yaml:2: " + section + "." + key + ": " + message);
    }

    @Test
    void shouldRejectPortUsedTwiceByProtocolPorts()
    {
        assertError("server:\n  netflow_port: 2055\n  ipfix_port: 2055\n",
            "t.yaml:3: server.ipfix_port: port 2055 is already used by server.netflow_port");
    }

    @Test
    void shouldRejectPortUsedTwiceByListenersOnSameAddress()
    {
        assertError("""
            server:
              listeners:
                - {protocol: netflow, address: "::", port: 9995}
                - {protocol: sflow, address: "0:0::0", port: 9995}
            """, "t.yaml:4: server.listeners[1].port: port 9995 on :: is already used by server.listeners[0]");
    }

    @Test
    void shouldAcceptSamePortOnDifferentAddresses() throws ConfigException
    {
        final Settings s = ConfigLoader.loadString("""
            server:
              listeners:
                - {protocol: netflow, address: "127.0.0.1", port: 9995}
                - {protocol: netflow, address: "::1", port: 9995}
            """, "t.yaml");
        assertEquals(2, s.server().listeners().size());
    }

    @Test
    void shouldRejectUnknownDimension()
    {
        assertError("aggregation:\n  dimensions: [src_addr, dst_adr]\n",
            "t.yaml:2: aggregation.dimensions[1]: unknown dimension \"dst_adr\"; did you mean \"dst_addr\"?");
    }

    @Test
    void shouldRejectDuplicateDimension()
    {
        assertError("aggregation:\n  dimensions:\n    - protocol\n    - protocol\n",
            "t.yaml:4: aggregation.dimensions[1]: duplicate dimension \"protocol\"");
    }

    @Test
    void shouldRejectDuplicateTimeWindow()
    {
        assertError("aggregation:\n  time_windows: [\"1m\", \"60s\"]\n",
            "t.yaml:2: aggregation.time_windows[1]: duplicate window 1m");
    }

    @Test
    void shouldRejectEmptyTimeWindows()
    {
        assertError("aggregation:\n  time_windows: []\n",
            "t.yaml:2: aggregation.time_windows: must list at least one window");
    }

    @Test
    void shouldRejectBandwidthWindowNotAmongTimeWindows()
    {
        assertError("aggregation:\n  time_windows: [1m, 5m]\n  bandwidth_window: 15m\n",
            "t.yaml:3: aggregation.bandwidth_window: 15m is not one of time_windows (1m, 5m)");
    }

    @Test
    void shouldRejectSeriesTtlShorterThanLongestWindow()
    {
        assertError("aggregation:\n  time_windows: [1m, 1h]\n  series_ttl: 30m\n",
            "t.yaml:3: aggregation.series_ttl: 30m is shorter than the longest time window (1h)");
    }

    @Test
    void shouldRejectUnknownLabelGroup()
    {
        assertError("metrics:\n  enabled_labels: [ports, interface]\n",
            "t.yaml:2: metrics.enabled_labels[1]: unknown label group \"interface\"; did you mean \"interfaces\"?");
    }

    @Test
    void shouldRejectDuplicateLabelGroup()
    {
        assertError("metrics:\n  enabled_labels: [geo, geo]\n",
            "t.yaml:2: metrics.enabled_labels[1]: duplicate label group \"geo\"");
    }

    @Test
    void shouldRejectUnknownListenerProtocol()
    {
        assertError("server:\n  listeners:\n    - protocol: netfow\n      port: 2055\n",
            "t.yaml:3: server.listeners[0].protocol: unknown protocol \"netfow\"; did you mean \"netflow\"?");
    }

    @Test
    void shouldRejectListenerWithoutPort()
    {
        assertError("server:\n  listeners:\n    - protocol: sflow\n",
            "t.yaml:3: server.listeners[0]: missing required key \"port\"");
    }

    @Test
    void shouldRejectListenerWithoutProtocol()
    {
        assertError("server:\n  listeners:\n    - port: 6343\n",
            "t.yaml:3: server.listeners[0]: missing required key \"protocol\"");
    }

    @Test
    void shouldRejectUnknownWaitStrategy()
    {
        assertError("performance:\n  wait_strategy: spin\n",
            "t.yaml:2: performance.wait_strategy: unknown wait strategy \"spin\"; expected one of: blocking, yielding," +
                " busy_spin");
    }

    @Test
    void shouldRejectUnknownLogLevel()
    {
        assertError("logging:\n  level: warning\n",
            "t.yaml:2: logging.level: unknown log level \"warning\"; did you mean \"warn\"?");
    }

    @Test
    void shouldRejectUnknownLogFormat()
    {
        assertError("logging:\n  format: yaml\n",
            "t.yaml:2: logging.format: unknown log format \"yaml\"; expected one of: json, text");
    }

    @Test
    void shouldRejectUnknownAsnSource()
    {
        assertError("enrichment:\n  asn_source: databse\n",
            "t.yaml:2: enrichment.asn_source: unknown ASN source \"databse\"; did you mean \"database\"?");
    }

    @Test
    void shouldRejectCidrWithBadAddress()
    {
        assertError("server:\n  listeners:\n    - protocol: ipfix\n      port: 4739\n" +
                "      allowed_exporters: [\"192.0.2.0/24\", \"192.0.2.300/32\"]\n",
            "t.yaml:5: server.listeners[0].allowed_exporters[1]: bad CIDR \"192.0.2.300/32\": \"192.0.2.300\" is not an" +
                " IPv4 or IPv6 address");
    }

    @Test
    void shouldRejectCidrWithPrefixTooLong()
    {
        assertError("server:\n  listeners:\n    - protocol: ipfix\n      port: 4739\n" +
                "      allowed_exporters:\n        - \"2001:db8::/129\"\n",
            "t.yaml:6: server.listeners[0].allowed_exporters[0]: bad CIDR \"2001:db8::/129\": prefix length 129 is out" +
                " of range 0..128");
    }

    @Test
    void shouldRejectCidrWithNonNumericPrefix()
    {
        assertError("server:\n  listeners:\n    - protocol: ipfix\n      port: 4739\n" +
                "      allowed_exporters: [\"10.0.0.0/x\"]\n",
            "t.yaml:5: server.listeners[0].allowed_exporters[0]: bad CIDR \"10.0.0.0/x\": prefix length \"x\" is not a" +
                " number 0..32");
    }

    @Test
    void shouldRejectHostNameAsListenAddress()
    {
        assertError("server:\n  listen_addr: [\"::\", \"localhost\"]\n",
            "t.yaml:2: server.listen_addr[1]: \"localhost\" is not an IPv4 or IPv6 address");
    }

    @Test
    void shouldRejectEmptyListenAddressList()
    {
        assertError("server:\n  listen_addr: []\n", "t.yaml:2: server.listen_addr: must name at least one address");
    }

    @Test
    void shouldRejectBadMetricsAddress()
    {
        assertError("server:\n  metrics_addr: \"1.2.3\"\n",
            "t.yaml:2: server.metrics_addr: \"1.2.3\" is not an IPv4 or IPv6 address");
    }

    @Test
    void shouldRejectMetricsPathWithoutSlash()
    {
        assertError("server:\n  metrics_path: metrics\n",
            "t.yaml:2: server.metrics_path: \"metrics\" must start with \"/\" and hold no spaces, '?' or '#'");
    }

    @Test
    void shouldRejectReservedMetricsPath()
    {
        assertError("server:\n  metrics_path: /healthz\n",
            "t.yaml:2: server.metrics_path: \"/healthz\" is reserved (landing page and health check)");
    }

    @Test
    void shouldRejectUnsafeNamespace()
    {
        assertError("metrics:\n  namespace: \"flow-exporter\"\n",
            "t.yaml:2: metrics.namespace: \"flow-exporter\" is not metric-name safe; use [a-zA-Z_][a-zA-Z0-9_]*");
    }

    @Test
    void shouldRejectUnsafeSubsystem()
    {
        assertError("metrics:\n  subsystem: \"1st\"\n",
            "t.yaml:2: metrics.subsystem: \"1st\" is not metric-name safe; use [a-zA-Z_][a-zA-Z0-9_]*");
    }

    @Test
    void shouldRejectUnsafeViewName()
    {
        assertError("aggregation:\n  views:\n    - name: Top-Talkers\n      dimensions: [src_addr]\n",
            "t.yaml:3: aggregation.views[0].name: \"Top-Talkers\" is not metric-name safe; use [a-z][a-z0-9_]*");
    }

    @Test
    void shouldRejectDuplicateViewName()
    {
        assertError("""
            aggregation:
              views:
                - {name: by_port, dimensions: [dst_port]}
                - {name: by_port, dimensions: [src_port]}
            """, "t.yaml:4: aggregation.views[1].name: view \"by_port\" is already defined by aggregation.views[0]");
    }

    @Test
    void shouldRejectViewNamedMain()
    {
        assertError("aggregation:\n  views:\n    - {name: main, dimensions: [dst_port]}\n",
            "t.yaml:3: aggregation.views[0].name: \"main\" is the name of the main view (label view=\"main\"); " +
            "choose another name");
    }

    @Test
    void shouldRejectViewWithoutDimensions()
    {
        assertError("aggregation:\n  views:\n    - name: total\n",
            "t.yaml:3: aggregation.views[0]: missing required key \"dimensions\"");
    }

    @Test
    void shouldRejectViewWithoutName()
    {
        assertError("aggregation:\n  views:\n    - dimensions: [protocol]\n",
            "t.yaml:3: aggregation.views[0]: missing required key \"name\"");
    }

    @Test
    void shouldRejectCustomLabelClashingWithFlowLabel()
    {
        assertError("metrics:\n  custom_labels:\n    site: a\n    src_asn: x\n",
            "t.yaml:4: metrics.custom_labels.src_asn: label \"src_asn\" clashes with a label the collector sets");
    }

    @Test
    void shouldRejectCustomLabelNamedInstance()
    {
        assertError("metrics:\n  custom_labels:\n    instance: a\n",
            "t.yaml:3: metrics.custom_labels.instance: label \"instance\" clashes with a label the collector sets");
    }

    @Test
    void shouldRejectInvalidCustomLabelName()
    {
        assertError("metrics:\n  custom_labels:\n    \"data-center\": dc1\n",
            "t.yaml:3: metrics.custom_labels.data-center: \"data-center\" is not a valid label name; use" +
                " [a-zA-Z_][a-zA-Z0-9_]* not starting with __");
    }

    @Test
    void shouldRejectSamplingOverrideForNonAddress()
    {
        assertError("decoder:\n  sampling_overrides:\n    router1: 100\n",
            "t.yaml:3: decoder.sampling_overrides.router1: \"router1\" is not an IPv4 or IPv6 address");
    }

    @Test
    void shouldRejectZeroSamplingOverride()
    {
        assertError("decoder:\n  sampling_overrides:\n    \"192.0.2.1\": 0\n",
            "t.yaml:3: decoder.sampling_overrides.192.0.2.1: 0 is out of range 1..16777216");
    }

    @Test
    void shouldReportSyntaxErrorWithLine()
    {
        assertError("server:\n  netflow_port: 2055\n   sflow_port: 6343\n",
            "t.yaml:3: (yaml): syntax error: mapping values are not allowed here");
    }

    @Test
    void shouldCollectEveryErrorWhenSeveralKeysAreWrong()
    {
        assertEquals(List.of(
                "t.yaml:2: server.netflow_port: 0 is out of range 1..65535",
                "t.yaml:4: performance.worker_count: 2000 is out of range 1..1024",
                "t.yaml:6: logging.levle: unknown key \"levle\"; did you mean \"level\"?"),
            errors("server:\n  netflow_port: 0\nperformance:\n  worker_count: 2000\nlogging:\n  levle: debug\n"));
    }
}
