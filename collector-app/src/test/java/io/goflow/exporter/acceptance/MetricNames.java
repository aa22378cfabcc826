package io.goflow.exporter.acceptance;

/**
 * Every metric and label name the acceptance suite reads, in one place, so a rename in the product
 * is a one-line change here (and a search-and-replace in {@code docs/queries.md}).
 */
final class MetricNames
{
    static final String FLOWS = "flow_flows_total";
    static final String BYTES = "flow_bytes_total";
    static final String PACKETS = "flow_packets_total";
    static final String BANDWIDTH = "flow_bandwidth_bps";

    static final String RECEIVED_PACKETS = "flow_received_packets_total";
    static final String PARSED_RECORDS = "flow_parsed_records_total";
    static final String DROPPED_PACKETS = "flow_dropped_packets_total";
    static final String DROPPED_RECORDS = "flow_dropped_records_total";
    /** Every decoder error by protocol and reason (superset of the dropped records). */
    static final String DECODE_ERRORS = "flow_decode_errors_total";
    static final String QUEUE_LENGTH = "flow_worker_queue_length";
    static final String KERNEL_DROPS = "flow_kernel_dropped_packets_total";

    static final String EXPORTER = "exporter";
    static final String SRC_ADDR = "src_addr";
    static final String DST_ADDR = "dst_addr";
    static final String PROTOCOL = "protocol";
    static final String SRC_PORT = "src_port";
    static final String DST_PORT = "dst_port";
    static final String COLLECTOR_ID = "collector_id";

    /** The five labels of a 5-tuple, in the order of the truth files' {@code by_5tuple} keys. */
    static final String[] FIVE_TUPLE = {SRC_ADDR, DST_ADDR, PROTOCOL, SRC_PORT, DST_PORT};

    private MetricNames()
    {
    }
}
