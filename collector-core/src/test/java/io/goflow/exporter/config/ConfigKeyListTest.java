package io.goflow.exporter.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The known keys of every section, in the order the unknown-key hint lists them (the order of
 * {@code docs/configuration.md}). The binders derive these lists from the keys they read, so this
 * fails when a key is dropped, added without a test, or read in another order.
 */
class ConfigKeyListTest
{
    private static final String UNKNOWN = "qqqqqqqqqqqq";

    static Stream<Arguments> sections()
    {
        return Stream.of(
            Arguments.of("server:\n  ", "t.yaml:2: server.",
                "netflow_port, sflow_port, ipfix_port, listen_addr, interface, listeners, metrics_port, metrics_path, " +
                "metrics_addr, web_config_file"),
            Arguments.of("server:\n  listeners:\n    - ", "t.yaml:3: server.listeners[0].",
                "protocol, address, port, interface, allowed_exporters"),
            Arguments.of("performance:\n  ", "t.yaml:2: performance.",
                "buffer_size, worker_count, batch_size, queue_size, wait_strategy, ring_slot_bytes, ring_overflow_bytes"),
            Arguments.of("aggregation:\n  ", "t.yaml:2: aggregation.",
                "time_windows, dimensions, bandwidth_window, max_series, series_ttl, spread_long_flows, top_k, views, " +
                "networks, networks_file, networks_reload_interval, prefix_lengths, interfaces"),
            Arguments.of("aggregation:\n  views:\n    - ", "t.yaml:3: aggregation.views[0].",
                "name, dimensions, max_series, top_k"),
            Arguments.of("enrichment:\n  ", "t.yaml:2: enrichment.",
                "geoip_enabled, geoip_path, asn_enabled, asn_path, cache_size, asn_source, max_age, required, " +
                "reload_interval, max_city_series"),
            Arguments.of("metrics:\n  ", "t.yaml:2: metrics.",
                "namespace, subsystem, enabled_labels, custom_labels, jvm_metrics, window_rates"),
            Arguments.of("logging:\n  ", "t.yaml:2: logging.", "level, format"),
            Arguments.of("decoder:\n  ", "t.yaml:2: decoder.",
                "template_key_includes_port, max_exporters, max_templates_per_exporter, template_timeout, " +
                "pending_bytes_per_exporter, pending_timeout, max_records_per_datagram, default_sampling_rate, " +
                "sampling_overrides, max_streams_per_address, template_bytes_total, template_bytes_per_address, " +
                "pending_bytes_total, template_updates_per_second"));
    }

    @ParameterizedTest
    @MethodSource("sections")
    void shouldListEveryKeyOfSectionInDocumentedOrderWhenKeyIsUnknown(
        final String head, final String where, final String keys)
    {
        final ConfigException ex = assertThrows(
            ConfigException.class, () -> ConfigLoader.loadString(head + UNKNOWN + ": 1\n", "t.yaml"));
        assertEquals(where + UNKNOWN + ": unknown key \"" + UNKNOWN + "\"; expected one of: " + keys,
            ex.errors().get(0).toString());
    }
}
