package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads what Linux says about a process and a UDP port: CPU ticks ({@code /proc/PID/stat} fields
 * 14-15, utime + stime, in {@code CLK_TCK} units, 100 per second on Linux), resident memory
 * ({@code /proc/PID/status} VmRSS / VmHWM, kB) and receive-buffer drops of UDP sockets bound to a
 * port ({@code /proc/net/udp} and {@code /proc/net/udp6}, last column).
 */
final class ProcStats
{
    /** Linux USER_HZ; {@code getconf CLK_TCK} is 100 on every mainstream kernel. */
    static final int TICKS_PER_SECOND = 100;

    private ProcStats()
    {
    }

    /** @return utime + stime of {@code pid} in ticks, or 0 when the process is gone. */
    static long cpuTicks(final long pid)
    {
        try
        {
            final String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).get(0);
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
    }

    /** @return a {@code /proc/PID/status} value in kB (e.g. {@code VmRSS}), or 0. */
    static long statusKb(final long pid, final String field)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            {
                if (line.startsWith(field + ":"))
                {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return 0;
        }
        return 0;
    }

    /** @return drops summed over every IPv4 and IPv6 UDP socket bound to local {@code port}. */
    static long udpDrops(final int port)
    {
        return sumOverUdpSockets(port, f -> Long.parseLong(f[f.length - 1]));
    }

    /**
     * @return the columns of {@code jstat -gc PID} (capacities and usage in kB, {@code YGC} count,
     *         {@code YGCT} seconds...), empty when jstat fails. jstat reads the JVM's hsperfdata
     *         file: nothing runs inside the target.
     */
    static java.util.Map<String, Double> jstatGc(final long pid)
    {
        final java.util.Map<String, Double> values = new java.util.HashMap<>();
        try
        {
            final Process p = new ProcessBuilder("jstat", "-gc", Long.toString(pid)).redirectErrorStream(true).start();
            final List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            if (p.waitFor() != 0 || lines.size() < 2)
            {
                return values;
            }
            final String[] names = lines.get(0).trim().split("\\s+");
            final String[] numbers = lines.get(1).trim().split("\\s+");
            for (int i = 0; i < Math.min(names.length, numbers.length); i++)
            {
                try
                {
                    values.put(names[i], Double.parseDouble(numbers[i]));
                }
                catch (final NumberFormatException ex)
                {
                    // "-" for an absent space
                }
            }
        }
        catch (final IOException ex)
        {
            return values;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return values;
    }

    /** @return bytes waiting in the receive queues of the UDP sockets bound to {@code port}. */
    static long udpRxQueueBytes(final int port)
    {
        return sumOverUdpSockets(port, f -> Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16));
    }

    /** @return true when some UDP socket (IPv4 or IPv6) is bound to local {@code port}. */
    static boolean udpPortBound(final int port)
    {
        return sumOverUdpSockets(port, f -> 1) > 0;
    }

    /**
     * @return {@code column} applied to the fields of every line of {@code /proc/net/udp} and
     *         {@code /proc/net/udp6} whose local address has {@code port}, summed.
     */
    private static long sumOverUdpSockets(final int port, final java.util.function.ToLongFunction<String[]> column)
    {
        long sum = 0;
        final String hexPort = String.format(":%04X", port);
        for (final String table : List.of("/proc/net/udp", "/proc/net/udp6"))
        {
            try
            {
                for (final String line : Files.readAllLines(Path.of(table)))
                {
                    final String[] f = line.trim().split("\\s+");
                    if (f.length >= 13 && f[1].endsWith(hexPort))
                    {
                        sum += column.applyAsLong(f);
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // table absent (no IPv6): nothing bound there
            }
        }
        return sum;
    }
}
