package io.goflow.exporter.expose;

import io.prometheus.client.Collector;

import java.util.List;

/**
 * Every self-metric of the pipeline, declared once: name (before namespace/subsystem), type, label
 * names (before {@code metrics.custom_labels}) and help. {@link PipelineMetricsCollector} reads
 * the values at scrape time; the hot path only touches plain long counters.
 *
 * <h2>Accounting (exact once the ring is drained)</h2>
 * <pre>
 *   sum(received_packets_total)
 *     = sum(processed_packets_total) + reader drops (queue_full, allow_list, overflow_full,
 *                                      oversize truncated)
 *   sum(processed_packets_total)
 *     = sum(decoded_packets_total) + decoder rejections (truncated, bad_length, bad_version,
 *                                      exporter_limit, ...) + malformed (decoder threw first)
 * </pre>
 * so {@code received = decoded + sum(dropped_packets_total)}. Both kinds of drop share
 * {@code dropped_packets_total{reason}}: a reason used by both (e.g. {@code truncated}: oversize in
 * the reader, shorter than its header in the decoder) is one series, their sum. While datagrams are
 * in flight the difference is at most {@code worker_queue_length}.
 *
 * <p>{@code dropped_records_total{reason}} counts only problems inside accepted (decoded)
 * datagrams, never a datagram dropped whole; {@code decode_errors_total{protocol,reason}} shows
 * both, per protocol, for diagnosis. A data set that arrives before its template is held, not
 * dropped: it ends decoded ({@code exporter_replayed_sets_total}, records in
 * {@code parsed_records_total}) or dropped once ({@code no_template_expired}, {@code pending_full},
 * or {@code no_template} when holding is disabled); until then it is in {@code exporter_held_sets}.
 *
 * <p>Per-exporter series carry the exporter's address ({@code exporter}, RFC 5952 / dotted quad),
 * never its source port, and cover v9 and IPFIX streams (the ones with templates and sequence
 * numbers), except {@link #EXPORTER_SAMPLING_RATE}, which covers every protocol (sFlow by agent
 * address); they refresh on the decoders' timer (every tick).
 *
 * <p>The {@code protocol} label of the receive and processed counters is the protocol detected
 * from the datagram's version field ({@code netflow_v5}, {@code netflow_v9}, {@code ipfix},
 * {@code sflow}, or {@code unknown}), not the listener's configured protocol.
 */
public enum PipelineCounter implements SelfMetric
{
    RECEIVED_PACKETS("received_packets", Collector.Type.COUNTER, List.of("protocol"),
        "Datagrams received from the sockets, by protocol detected from the version field."),
    RECEIVED_BYTES("received_bytes", Collector.Type.COUNTER, List.of("protocol"),
        "UDP payload bytes received, by detected protocol."),
    PROCESSED_PACKETS("processed_packets", Collector.Type.COUNTER, List.of("protocol"),
        "Datagrams taken from the ring by a decode shard, by detected protocol."),
    DECODED_PACKETS("decoded_packets", Collector.Type.COUNTER, List.of("protocol"),
        "Datagrams whose header the decoder accepted, by protocol."),
    PARSED_RECORDS("parsed_records", Collector.Type.COUNTER, List.of("protocol"),
        "Flow records decoded and handed to aggregation, by protocol."),
    DROPPED_PACKETS("dropped_packets", Collector.Type.COUNTER, List.of("reason"),
        "Datagrams dropped whole, by reason: queue_full, allow_list, overflow_full (reader: larger than a ring "
            + "slot with no overflow room free), truncated (reader oversize or shorter than the header), bad_length, bad_version, exporter_limit (decoder), malformed (decoder threw)."),
    DROPPED_RECORDS("dropped_records", Collector.Type.COUNTER, List.of("reason"),
        "Records, sets or templates inside decoded datagrams that could not be used, by reason (unit as "
            + "counted by the decoder; too_many_records, shutdown and exception are records refused by the "
            + "decode stage)."),
    RECORD_POOL_WAITS("decode_record_pool_waits", Collector.Type.COUNTER, List.of(),
        "Times a decode shard found its record pool empty and waited for aggregation (backpressure)."),
    DECODE_ERRORS("decode_errors", Collector.Type.COUNTER, List.of("protocol", "reason"),
        "Every decoder error counter, by protocol and reason: datagrams rejected whole plus errors inside "
            + "decoded datagrams."),
    RING_EXCEPTIONS("ring_exceptions", Collector.Type.COUNTER, List.of(),
        "Unexpected exceptions caught by the ring's exception handler (the event was skipped)."),
    LISTENER_SOCKET_ERRORS("listener_socket_errors", Collector.Type.COUNTER, List.of("protocol", "address", "port"),
        "Socket failures after which a listener reopened its socket."),
    KERNEL_DROPPED_PACKETS("kernel_dropped_packets", Collector.Type.COUNTER, List.of("protocol", "port"),
        "Datagrams the kernel dropped because a listener's receive buffer was full (/proc/net/udp{,6} drops)."),
    WORKER_QUEUE_LENGTH("worker_queue_length", Collector.Type.GAUGE, List.of(),
        "Ring slots currently occupied (published, not yet released by aggregation)."),
    WORKER_QUEUE_CAPACITY("worker_queue_capacity", Collector.Type.GAUGE, List.of(),
        "Ring size: performance.queue_size rounded up to a power of two."),
    LISTENER_RECEIVE_BUFFER("listener_receive_buffer_bytes", Collector.Type.GAUGE,
        List.of("protocol", "address", "port"),
        "SO_RCVBUF the kernel granted to each listener socket, as getsockopt reports it."),
    EXPORTER_TEMPLATES("exporter_templates", Collector.Type.GAUGE, List.of("exporter", "protocol"),
        "Templates (incl. options templates) known per v9/IPFIX exporter, summed over its domains."),
    EXPORTER_SEQUENCE_GAPS("exporter_sequence_gaps", Collector.Type.COUNTER, List.of("exporter", "protocol"),
        "Forward jumps of the export sequence number per v9/IPFIX exporter."),
    EXPORTER_SEQUENCE_LOST("exporter_sequence_lost", Collector.Type.COUNTER, List.of("exporter", "protocol"),
        "Estimated datagrams (v9) or records (IPFIX) lost before reaching us, from sequence jumps."),
    EXPORTER_LAST_SEEN("exporter_last_seen_timestamp_seconds", Collector.Type.GAUGE, List.of("exporter", "protocol"),
        "Receive time of the exporter's last datagram, Unix seconds (as of the last decoder timer)."),
    EXPORTER_SAMPLING_RATE("exporter_sampling_rate", Collector.Type.GAUGE, List.of("exporter", "protocol", "source"),
        "Sampling rate (1-in-N) last applied to the exporter's flow records, by where it came from: config "
            + "(override), record, options, header (v5 / sFlow sample), default (default_sampling_rate), none "
            + "(nothing announced: counted unscaled, value 1). One series per source seen since the previous "
            + "decoder timer; every protocol."),
    EXPORTER_HELD_SETS("exporter_held_sets", Collector.Type.GAUGE, List.of("exporter", "protocol"),
        "Data sets held waiting for their template (not yet decoded, not counted as dropped)."),
    EXPORTER_REPLAYED_SETS("exporter_replayed_sets", Collector.Type.COUNTER, List.of("exporter", "protocol"),
        "Held data sets decoded once their template arrived (their records are in parsed_records)."),
    STATE_BYTES("state_bytes", Collector.Type.GAUGE, List.of("state"),
        "Heap bytes held by bounded pipeline state, by state: ring (slots, fixed at start), ring_overflow "
            + "(overflow units in use), held (data sets waiting for templates), templates, exporters (streams)."),
    STATE_LIMIT_BYTES("state_limit_bytes", Collector.Type.GAUGE, List.of("state"),
        "Cap in bytes of each state of state_bytes; their sum is checked against the heap at start-up."),
    STATE_ENTRIES("state_entries", Collector.Type.GAUGE, List.of("state"),
        "Entries of bounded exporter state, by state: templates (incl. options templates), exporters "
            + "(v9/IPFIX streams), held (data sets waiting for their template)."),
    STATE_REFUSED("state_refused", Collector.Type.COUNTER, List.of("limit"),
        "New exporter state refused, by the decoder configuration key that refused it: max_exporters, "
            + "max_streams_per_address (a new stream: exporter_limit), max_templates_per_exporter (template_limit), "
            + "template_updates_per_second (template_rate), "
            + "template_bytes_total, template_bytes_per_address (template_memory), pending_bytes_per_exporter, "
            + "pending_bytes_total (pending_full)."),
    STATE_EVICTED("state_evicted", Collector.Type.COUNTER, List.of("limit"),
        "Streams that never sent data forgotten to make room for a new stream or template, by the limit "
            + "that was reached."),
    PROCESSING_DURATION("processing_duration_seconds", Collector.Type.HISTOGRAM, List.of(),
        "Time from a datagram's receipt to the end of its aggregation."),
    HTTP_CONNECTIONS_ACCEPTED("http_connections_accepted", Collector.Type.COUNTER, List.of(),
        "TCP connections the HTTP endpoint accepted (including those then rejected)."),
    HTTP_CONNECTIONS_OPEN("http_connections_open", Collector.Type.GAUGE, List.of(),
        "TCP connections the HTTP endpoint holds open."),
    HTTP_CONNECTIONS_REJECTED("http_connections_rejected", Collector.Type.COUNTER, List.of("reason"),
        "HTTP connections closed right after accept, by reason: client_limit (the client address already holds "
            + "its maximum), total_limit (every open connection is busy answering), tls_handshake (TLS handshake "
            + "failed: no or untrusted client certificate, none of client_allowed_sans, not TLS)."),
    HTTP_CONNECTIONS_EVICTED("http_connections_evicted", Collector.Type.COUNTER, List.of(),
        "Idle, head-reading or waiting HTTP connections closed, oldest first, to admit a new one at the total limit."),
    HTTP_CONNECTIONS_TIMED_OUT("http_connections_timed_out", Collector.Type.COUNTER, List.of("phase"),
        "HTTP connections closed by a timeout, by phase: head (request head not complete in time, slow "
            + "client), idle (keep-alive connection unused), response (client not reading the response)."),
    HTTP_CONNECTIONS_ABANDONED("http_connections_abandoned", Collector.Type.COUNTER, List.of("phase"),
        "HTTP connections the client closed or reset early, by phase: head (request incomplete), response "
            + "(before the response ended, e.g. a scrape abandoned at its timeout)."),
    HTTP_REQUESTS("http_requests", Collector.Type.COUNTER, List.of(),
        "HTTP request heads received complete and answered (any status)."),
    HTTP_REQUESTS_REJECTED("http_requests_rejected", Collector.Type.COUNTER, List.of("reason"),
        "HTTP requests refused, by reason: bad_request (malformed head or unsupported version, 400/505), "
            + "head_too_large (431), busy (8 scrapes already waiting for a scrape thread, 503), unauthorized "
            + "(basic_auth_users set and no or wrong credentials, 401)."),
    HTTP_WEB_CONFIG_RELOADS("http_web_config_reloads", Collector.Type.COUNTER, List.of("result"),
        "Reloads of server.web_config_file (and the files it names) after a change, by result: success, "
            + "failure (the previous configuration stays in force)."),
    HTTP_WEB_CONFIG_LAST_RELOAD_SUCCESSFUL("http_web_config_last_reload_successful", Collector.Type.GAUGE,
        List.of(), "1 when the web config in force is the file's current content, 0 after a failed reload.");

    private final Spec spec;

    PipelineCounter(final String name, final Collector.Type type, final List<String> labelNames, final String help)
    {
        this.spec = new Spec(name, type, labelNames, help);
    }

    @Override
    public Spec spec()
    {
        return spec;
    }
}
