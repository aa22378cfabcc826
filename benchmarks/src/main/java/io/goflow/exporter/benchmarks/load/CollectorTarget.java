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
    record Snapshot(long nanoTime, long cpuTicks, long rssKb, long udpDrops, PrometheusText metrics,
                    long accountedPackets, long accountedBytes, long generatorCpuTicks)
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
    static StepResult.Resources resources(final List<Long> pids, final Snapshot before, final Snapshot after)
    {
        final double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        final double cpuSeconds = (after.cpuTicks() - before.cpuTicks()) / (double)ProcStats.TICKS_PER_SECOND;
        final double generatorSeconds = (after.generatorCpuTicks() - before.generatorCpuTicks()) / (double)ProcStats.TICKS_PER_SECOND;
        return new StepResult.Resources(seconds, cpuSeconds / seconds, after.rssKb() / 1024, generatorSeconds / seconds);
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
