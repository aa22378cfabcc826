package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A collector process under load: ours (from the tarball) or a peer. {@link LoadRun} starts it,
 * takes a {@link Snapshot} before and after each step, and asks it to turn the two into a
 * {@link StepResult}.
 */
interface CollectorTarget extends AutoCloseable
{
    /** What the target said about itself at one instant. */
    /**
     * What the target said about itself: counters from {@code metrics} (or the peer's totals), and
     * two {@link Probe}s of the process taken around any costly read (a scrape renders every flow
     * series): a step is measured from the {@code exit} probe of the snapshot before it to the
     * {@code entry} probe of the snapshot after it, so the reads themselves are not counted.
     */
    record Snapshot(Probe entry, Probe exit, long udpDrops, PrometheusText metrics, long accountedPackets, long accountedBytes)
    {
    }

    /**
     * Cheap readings of the process at one instant: /proc, and {@code jstat} for a JVM target
     * (young collections, their seconds, used heap; -1 when not a JVM).
     */
    record Probe(long nanoTime, long cpuTicks, long rssKb, long generatorCpuTicks, long youngGcs, double youngGcSeconds,
                 long heapUsedKb)
    {
    }

    String name();

    /** @return the UDP port the generator sends to. */
    int port();

    /** Starts the process and returns once it receives. */
    void start() throws IOException, InterruptedException;

    /** Called before each step's traffic (e.g. to clear a peer's table). */
    default void beforeStep() throws IOException, InterruptedException
    {
    }

    /** Waits until the traffic of the step just sent is fully accounted (bounded). */
    void settle() throws IOException, InterruptedException;

    Snapshot snapshot() throws IOException, InterruptedException;

    StepResult evaluate(double targetRate, LoadGenerator.Result offered, Snapshot before, Snapshot after);

    /** @return series in the target's table now, or -1; may be costly, never called inside a step. */
    default long liveSeries() throws IOException, InterruptedException
    {
        return -1;
    }

    /** @return the processes that make up the target (CPU and RSS are summed over them). */
    List<Long> pids();

    /** Base figures every target reports: wall time, CPU and RSS over the step. */
    static StepResult.Resources resources(final Snapshot before, final Snapshot after)
    {
        final Probe from = before.exit();
        final Probe to = after.entry();
        final double seconds = (to.nanoTime() - from.nanoTime()) / 1e9;
        final double cpuSeconds = (to.cpuTicks() - from.cpuTicks()) / (double)ProcStats.TICKS_PER_SECOND;
        final double generatorSeconds = (to.generatorCpuTicks() - from.generatorCpuTicks()) / (double)ProcStats.TICKS_PER_SECOND;
        return new StepResult.Resources(seconds, cpuSeconds / seconds, to.rssKb() / 1024, generatorSeconds / seconds);
    }

    /** @return a probe of {@code pids} now; with {@code jvmPid > 0} also its GC counters from jstat. */
    static Probe probe(final List<Long> pids, final long jvmPid)
    {
        final long[] cpuRss = cpuAndRss(pids);
        final long generator = selfCpuTicks();
        final long nanoTime = System.nanoTime();
        if (jvmPid <= 0)
        {
            return new Probe(nanoTime, cpuRss[0], cpuRss[1], generator, -1, 0, -1);
        }
        final java.util.Map<String, Double> gc = ProcStats.jstatGc(jvmPid);
        return new Probe(nanoTime, cpuRss[0], cpuRss[1], generator, Math.round(gc.getOrDefault("YGC", -1.0)),
            gc.getOrDefault("YGCT", 0.0), Math.round(gc.getOrDefault("EU", 0.0) + gc.getOrDefault("OU", 0.0) +
            gc.getOrDefault("S0U", 0.0) + gc.getOrDefault("S1U", 0.0)));
    }

    /** @return the pid of {@code process} and of its descendants, or nothing when it is not running. */
    static List<Long> pidsOf(final Process process)
    {
        final List<Long> pids = new ArrayList<>();
        if (process != null && process.isAlive())
        {
            pids.add(process.pid());
            process.descendants().forEach(h -> pids.add(h.pid()));
        }
        return pids;
    }

    /** @return CPU ticks of this process, where the generator runs. */
    static long selfCpuTicks()
    {
        return ProcStats.cpuTicks(ProcessHandle.current().pid());
    }

    /** @return CPU ticks and RSS summed over {@code pids}. */
    static long[] cpuAndRss(final List<Long> pids)
    {
        long ticks = 0;
        long rss = 0;
        for (final long pid : pids)
        {
            ticks += ProcStats.cpuTicks(pid);
            rss += ProcStats.statusKb(pid, "VmRSS");
        }
        return new long[] {ticks, rss};
    }

    @Override
    void close();
}
