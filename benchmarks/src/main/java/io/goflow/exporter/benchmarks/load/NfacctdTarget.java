package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The peer: pmacct's {@code nfacctd} with its memory plugin aggregating the 5-tuple, configured as
 * in {@code shared/README.md} (tuned with {@code plugin_buffer_size}), plus {@code nfacctd_pipe_size}
 * set to the same SO_RCVBUF our collector gets, and memory pools sized for the series asked.
 *
 * <p>Accounting: nfacctd has no per-record counter, so a step is lossless when the packet and byte
 * totals of its table ({@code pmacct -s -O json}) equal what the generator sent and
 * {@code /proc/net/udp} shows no drop on its port; accounted records are estimated as offered
 * records × accounted packets / offered packets.
 *
 * <p>Its internal loss shows as "Missing data detected" warnings (the core process overran the
 * plugin pipe); their count per step is reported in the ring-drops column.
 *
 * <p>Flush pitfall: with {@code plugin_buffer_size} the last partial buffer reaches the plugin only
 * when more traffic arrives. {@link #settle()} therefore sends marker traffic (the v5 capture from
 * 127.0.0.250 with every source address replaced by 198.51.100.1, TEST-NET-2) and the totals
 * exclude entries with that source.
 */
final class NfacctdTarget implements CollectorTarget
{
    static final String MARKER = "198.51.100.1";
    private static final String WRITE_FAILED = "Failed during write";
    private static final String MISSING_DATA = "Missing data detected";
    private static final int QUERY_ATTEMPTS = 20;
    private static final int FLUSH_DATAGRAMS = 60;

    private final Path runDir;
    private final int port;
    private final int rcvbufBytes;
    private final long maxSeries;
    private final Path flushCapture;
    private final Path pipe;
    private Process process;

    NfacctdTarget(final Path runDir, final int port, final int rcvbufBytes, final long maxSeries, final Path flushCapture)
    {
        this.runDir = runDir;
        this.port = port;
        this.rcvbufBytes = rcvbufBytes;
        this.maxSeries = maxSeries;
        this.flushCapture = flushCapture;
        this.pipe = runDir.resolve("nfacctd_t5.pipe");
    }

    @Override
    public String name()
    {
        return "nfacctd";
    }

    @Override
    public int port()
    {
        return port;
    }

    @Override
    public void start() throws IOException, InterruptedException
    {
        if (ProcStats.udpPortBound(port))
        {
            throw new IOException("UDP port " + port + " is already in use");
        }
        Files.createDirectories(runDir);
        final long pools = Math.max(256, (maxSeries * 2 * 256) / 65536 + 1);
        final String config = String.format(Locale.ROOT, String.join("\n",
            "! written by LoadRun: shared/README.md peer config + same SO_RCVBUF as ours + pools for the series",
            "daemonize: false",
            "nfacctd_ip: 127.0.0.1",
            "nfacctd_port: %d",
            "nfacctd_renormalize: true",
            "nfacctd_pipe_size: %d",
            "plugins: memory[t5]",
            "aggregate[t5]: src_host, dst_host, proto, src_port, dst_port",
            "imt_path[t5]: %s",
            "imt_mem_pools_number: %d",
            "imt_mem_pools_size: 65536",
            "plugin_pipe_size: 20480000",
            "plugin_buffer_size: 20480",
            ""), port, rcvbufBytes, pipe, pools);
        final Path conf = runDir.resolve("nfacctd.conf");
        Files.writeString(conf, config);
        process = new ProcessBuilder("nfacctd", "-f", conf.toString())
            .redirectErrorStream(true).redirectOutput(runDir.resolve("nfacctd.log").toFile()).start();
        final long deadlineNs = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!process.isAlive())
            {
                throw new IOException("nfacctd exited with " + process.exitValue() + "; see " + runDir.resolve("nfacctd.log"));
            }
            if (Files.exists(pipe) && pmacct("-s", "-O", "json") != null)
            {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException("nfacctd not ready after 20 s");
    }

    @Override
    public void beforeStep() throws IOException, InterruptedException
    {
        flush();
        if (pmacct("-e") == null)
        {
            throw new IOException("pmacct -e failed");
        }
    }

    @Override
    public void settle() throws IOException, InterruptedException
    {
        flush();
    }

    private void flush() throws IOException, InterruptedException
    {
        final LoadGenerator.Options base = LoadGenerator.Options.defaults(flushCapture.getParent());
        final LoadGenerator.Options flush = new LoadGenerator.Options(
            List.of(flushCapture), new InetSocketAddress("127.0.0.1", port), 1, LoadGenerator.ipv4(127, 0, 0, 250),
            20_000, false, 5_000_000_000L, FLUSH_DATAGRAMS, 0, 0, 0,
            java.nio.ByteBuffer.wrap(LoadGenerator.ipv4(198, 51, 100, 1).getAddress()).getInt(), 1, base.sendBufferBytes());
        LoadGenerator.run(flush);
        long last = -1;
        for (int i = 0; i < 50; i++)
        {
            Thread.sleep(300);
            final long[] totals = totals();
            if (totals[0] == last)
            {
                return;
            }
            last = totals[0];
        }
    }

    @Override
    public Snapshot snapshot()
    {
        final Probe entry = CollectorTarget.probe(pids(), 0);
        final long udpDrops = ProcStats.udpDrops(port);
        final long[] totals = totals();
        final PrometheusText counts = PrometheusText.parse(
            "nfacctd_missing_data_events " + logLines(MISSING_DATA) + "\nnfacctd_entries " + totals[2] + "\n");
        return new Snapshot(entry, CollectorTarget.probe(pids(), 0), udpDrops, counts, totals[0], totals[1]);
    }

    /**
     * @return packets, bytes, entries of the memory table, marker entries excluded; -1s when no
     *         complete answer could be had. Under load the plugin can fail to write a reply
     *         ("Failed during write" in its log), which truncates it: such answers are retried.
     */
    long[] totals()
    {
        for (int attempt = 0; attempt < QUERY_ATTEMPTS; attempt++)
        {
            final long failuresBefore = logLines(WRITE_FAILED);
            final String csv = pmacct("-s", "-O", "csv");
            if (csv != null && logLines(WRITE_FAILED) == failuresBefore)
            {
                final long[] totals = parseCsv(csv);
                if (totals != null)
                {
                    return totals;
                }
            }
            try
            {
                Thread.sleep(500);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new long[] {-1, -1, -1};
    }

    static long[] parseCsv(final String csv)
    {
        final String[] lines = csv.split("\n");
        if (lines.length == 0)
        {
            return null;
        }
        final List<String> header = List.of(lines[0].trim().split(","));
        final int src = header.indexOf("SRC_IP");
        final int packetsColumn = header.indexOf("PACKETS");
        final int bytesColumn = header.indexOf("BYTES");
        if (src < 0 || packetsColumn < 0 || bytesColumn < 0)
        {
            return null;
        }
        long packets = 0;
        long bytes = 0;
        long entries = 0;
        for (int i = 1; i < lines.length; i++)
        {
            final String[] f = lines[i].trim().split(",");
            if (f.length != header.size() || f[src].equals(MARKER))
            {
                continue;
            }
            packets += Long.parseLong(f[packetsColumn]);
            bytes += Long.parseLong(f[bytesColumn]);
            entries++;
        }
        return new long[] {packets, bytes, entries};
    }

    /** @return how many lines of nfacctd's log contain {@code text}. */
    private long logLines(final String text)
    {
        try (java.util.stream.Stream<String> lines = Files.lines(runDir.resolve("nfacctd.log")))
        {
            return lines.filter(l -> l.contains(text)).count();
        }
        catch (final IOException | java.io.UncheckedIOException ex)
        {
            return 0;
        }
    }

    private String pmacct(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("pmacct", "-p", pipe.toString()));
        command.addAll(List.of(args));
        try
        {
            final Path out = Files.createTempFile(runDir, "pmacct", ".out");
            try
            {
                final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS))
                {
                    p.destroyForcibly();
                    return null;
                }
                return p.exitValue() == 0 ? Files.readString(out) : null;
            }
            finally
            {
                Files.deleteIfExists(out);
            }
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public StepResult evaluate(
        final double targetRate, final LoadGenerator.Result offered, final Snapshot before, final Snapshot after)
    {
        final long kernelDrops = after.udpDrops() - before.udpDrops();
        final long packets = after.accountedPackets();
        if (packets < 0)
        {
            System.out.println("# nfacctd: no complete table reply after " + QUERY_ATTEMPTS + " attempts; step counted as all lost");
        }
        final long records = offered.packets() == 0 || packets < 0 ? 0 :
            packets == offered.packets() && after.accountedBytes() == offered.bytes() ? offered.flowRecords() :
            Math.min(offered.flowRecords() - 1, Math.round(offered.flowRecords() * (double)packets / offered.packets()));
        final long missingData = Math.round(after.metrics().sum("nfacctd_missing_data_events") -
            before.metrics().sum("nfacctd_missing_data_events"));
        return new StepResult(name(), targetRate, offered, offered.datagrams() - kernelDrops, records, kernelDrops, missingData, 0,
            Double.NaN, Double.NaN, Double.NaN, -1, -1, 0, Math.round(after.metrics().sum("nfacctd_entries")),
            CollectorTarget.resources(before, after));
    }

    @Override
    public List<Long> pids()
    {
        return CollectorTarget.pidsOf(process);
    }

    @Override
    public void close()
    {
        if (process == null)
        {
            return;
        }
        final List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try
        {
            if (!process.waitFor(3, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroy);
    }
}
