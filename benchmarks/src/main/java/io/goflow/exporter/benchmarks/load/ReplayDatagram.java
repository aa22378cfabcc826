package io.goflow.exporter.benchmarks.load;

/**
 * One datagram of a replay script: either a template/options datagram (resent periodically) or a
 * data datagram, with what the generator needs to patch and count it without parsing at send time.
 *
 * @param payload          the UDP payload; its header fields are patched per simulated exporter.
 * @param flowRecords      flow records the collector should count from it (0 for templates).
 * @param dataRecords      every data record it holds, options data included (IPFIX sequence).
 * @param headerRecords    value of the NetFlow v9 header {@code count} (template + data records).
 * @param packets          sum of the flow records' packet counters (unsampled, as exported).
 * @param bytes            sum of the flow records' byte counters.
 * @param srcAddrOffsets   offset of each flow record's source address field in {@code payload}.
 * @param srcAddrLengths   length of each of those fields: 4 (IPv4) or 16 (IPv6).
 */
record ReplayDatagram(
    byte[] payload,
    int flowRecords,
    int dataRecords,
    int headerRecords,
    long packets,
    long bytes,
    int[] srcAddrOffsets,
    byte[] srcAddrLengths)
{
}
