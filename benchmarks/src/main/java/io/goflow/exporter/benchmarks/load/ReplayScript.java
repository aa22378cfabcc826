package io.goflow.exporter.benchmarks.load;

import java.util.List;
import java.util.Set;

/**
 * What one captured exporter sent, split for replay: template and options datagrams (deduplicated,
 * resent as a real exporter resends them) and data datagrams stripped of templates, in capture
 * order.
 *
 * @param name       capture file name.
 * @param format     export protocol.
 * @param dstPort    original UDP destination port.
 * @param templates  template/options datagrams, each distinct content once.
 * @param data       data datagrams.
 * @param flowKeys   distinct {@code src|dst|proto|sport|dport} keys of the flow records (empty for
 *                   sFlow, whose addresses sit inside sampled packet headers).
 */
record ReplayScript(
    String name,
    ExportFormat format,
    int dstPort,
    List<ReplayDatagram> templates,
    List<ReplayDatagram> data,
    Set<String> flowKeys)
{
    /** @return flow records in one pass over {@link #data}. */
    long flowRecordsPerPass()
    {
        long sum = 0;
        for (final ReplayDatagram d : data)
        {
            sum += d.flowRecords();
        }
        return sum;
    }

    long packetsPerPass()
    {
        long sum = 0;
        for (final ReplayDatagram d : data)
        {
            sum += d.packets();
        }
        return sum;
    }

    long bytesPerPass()
    {
        long sum = 0;
        for (final ReplayDatagram d : data)
        {
            sum += d.bytes();
        }
        return sum;
    }
}
