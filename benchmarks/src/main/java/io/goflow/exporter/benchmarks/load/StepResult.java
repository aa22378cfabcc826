package io.goflow.exporter.benchmarks.load;

import java.util.Locale;

/**
 * The outcome of one load step against one target.
 *
 * @param target               target name.
 * @param targetRate           records/s asked of the generator (0 = maximum).
 * @param offered              what the generator sent.
 * @param achievedDatagrams    datagrams the target took in (ours: its receive counter; peer:
 *                             offered minus kernel drops).
 * @param achievedRecords      records the target accounted (ours: parsed records; peer:
 *                             estimated from its packet totals, see {@code NfacctdTarget}).
 * @param kernelDrops          receive-buffer drops on the target's port (/proc/net/udp).
 * @param ringDrops            datagrams dropped because the ring was full (ours only).
 * @param parseErrors          datagrams and records the decoders rejected (ours only).
 * @param p50Ms                receive → aggregated latency quantiles, ms (ours only; NaN else).
 * @param heapMb               used heap after the step (ours only; -1 else).
 * @param youngGcs             young collections during the step (ours only; -1 else).
 * @param gcSeconds            time in those collections.
 * @param liveSeries           series in the target's table after the step: the peer's memory table
 *                             entries; -1 for ours, whose count is read after each mode instead
 *                             (reading it renders every series).
 * @param resources            wall time, CPU cores used and RSS.
 */
record StepResult(
    String target,
    double targetRate,
    LoadGenerator.Result offered,
    long achievedDatagrams,
    long achievedRecords,
    long kernelDrops,
    long ringDrops,
    long parseErrors,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    long heapMb,
    long youngGcs,
    double gcSeconds,
    long liveSeries,
    Resources resources)
{
    /**
     * @param seconds        interval between the snapshots.
     * @param cpuCores       the target's CPU seconds per second.
     * @param generatorCores the load-run process's (generator's) CPU seconds per second.
     */
    record Resources(double seconds, double cpuCores, long rssMb, double generatorCores)
    {
    }

    long lostRecords()
    {
        return offered.flowRecords() - achievedRecords;
    }

    boolean zeroLoss()
    {
        return lostRecords() <= 0 && kernelDrops == 0 && ringDrops == 0 && offered.sendErrors() == 0;
    }

    double achievedDatagramsPerSecond()
    {
        return achievedDatagrams / offered.seconds();
    }

    double achievedRecordsPerSecond()
    {
        return achievedRecords / offered.seconds();
    }

    static String header()
    {
        return String.join("\t", "target", "target_rps", "offered_dps", "offered_rps", "achieved_dps", "achieved_rps",
            "lost_records", "kernel_drops", "ring_drops", "parse_errors", "zero_loss", "p50_ms", "p99_ms", "p999_ms",
            "cpu_cores", "rss_mb", "heap_mb", "young_gcs", "gc_s", "series", "generator_cores", "seconds");
    }

    String tsv()
    {
        return String.format(Locale.ROOT, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d\t%d\t%s\t%.3f\t%.3f\t%.3f\t%.2f\t%d\t%d\t%d\t%.3f\t%d\t%.2f\t%.1f",
            target, targetRate, offered.datagramsPerSecond(), offered.recordsPerSecond(), achievedDatagramsPerSecond(),
            achievedRecordsPerSecond(), lostRecords(), kernelDrops, ringDrops, parseErrors, zeroLoss() ? "yes" : "no",
            p50Ms, p99Ms, p999Ms, resources.cpuCores(), resources.rssMb(), heapMb, youngGcs, gcSeconds, liveSeries, resources.generatorCores(), offered.seconds());
    }
}
