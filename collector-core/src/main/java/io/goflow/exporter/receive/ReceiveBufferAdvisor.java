package io.goflow.exporter.receive;

import io.goflow.exporter.ring.ProtocolSlot;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Sizes the listeners' receive buffers and tells the operator when the granted size is too small
 * for the rate actually measured.
 *
 * <h2>Request</h2>
 * {@code performance.buffer_size} keeps the spec's meaning (bytes of {@code SO_RCVBUF} requested per
 * socket), but the request is never below the kernel's own default ({@code net.core.rmem_default}):
 * asking for less than a socket gets without asking only loses datagrams (the spec's 65536 is a
 * third of Linux's usual 212992). See {@link #requestBytes}.
 *
 * <h2>Advice</h2>
 * {@link #check} runs on the tick thread. Over each interval of at least {@link #INTERVAL_NS} it
 * measures every listener's arrival rate; the buffer a listener needs is what arrives at its peak
 * rate in {@link #HEADROOM_MS} ms (a reader stall: GC pause, descheduling), each datagram costing its
 * payload plus {@link #PER_DATAGRAM_OVERHEAD_BYTES} of kernel bookkeeping (the socket buffer counts
 * the skb's true size, not the payload). When the granted {@code SO_RCVBUF} is below that, or the
 * kernel dropped datagrams on the port, one warning gives the granted size, the measured rate, the
 * {@code buffer_size} to set and the {@code sysctl} to run; it repeats only when the need doubles.
 * Nothing per packet: two counter reads per listener and one {@code /proc/net/udp} read per interval.
 */
public final class ReceiveBufferAdvisor
{
    /** How often rates are measured. */
    public static final long INTERVAL_NS = 5_000_000_000L;
    /** Arrivals the buffer should absorb while the reader does not run. */
    public static final long HEADROOM_MS = 250;
    /** Rough kernel cost of one queued datagram beyond its payload (skb and its head). */
    public static final int PER_DATAGRAM_OVERHEAD_BYTES = 1024;

    private static final Logger LOG = LogManager.getLogger(ReceiveBufferAdvisor.class);
    private static final Path RMEM_DEFAULT = Path.of("/proc/sys/net/core/rmem_default");
    private static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");

    private final List<DatagramReader> readers;
    private final KernelUdpDrops kernel;
    private final long rmemMaxBytes;
    private final long[] lastPackets;
    private final long[] lastBytes;
    private final long[] lastKernelDrops;
    private final long[] warnedNeedBytes;
    private long lastCheckNs;

    /**
     * @param readers bound listeners, in a fixed order.
     * @param nowNs   start of the first interval.
     */
    public ReceiveBufferAdvisor(final List<DatagramReader> readers, final KernelUdpDrops kernel, final long nowNs)
    {
        this(readers, kernel, nowNs, readLong(RMEM_MAX));
    }

    ReceiveBufferAdvisor(
        final List<DatagramReader> readers, final KernelUdpDrops kernel, final long nowNs, final long rmemMaxBytes)
    {
        this.readers = List.copyOf(readers);
        this.kernel = kernel;
        this.rmemMaxBytes = rmemMaxBytes;
        final int n = readers.size();
        lastPackets = new long[n];
        lastBytes = new long[n];
        lastKernelDrops = new long[n];
        warnedNeedBytes = new long[n];
        for (int i = 0; i < n; i++)
        {
            lastPackets[i] = readers.get(i).counters().totalPackets();
            lastBytes[i] = totalBytes(readers.get(i).counters());
            lastKernelDrops[i] = kernel.dropsForLocalPort(readers.get(i).bound().port());
        }
        lastCheckNs = nowNs;
    }

    /**
     * @return the {@code SO_RCVBUF} to request: {@code configuredBytes}, raised to
     * {@code kernelDefaultBytes} when below it (0 = default unknown).
     */
    public static int requestBytes(final int configuredBytes, final long kernelDefaultBytes)
    {
        return (int)Math.max(configuredBytes, Math.min(kernelDefaultBytes, Integer.MAX_VALUE));
    }

    /** @return {@code net.core.rmem_default}, or 0 when it cannot be read (not Linux). */
    public static long kernelDefaultBytes()
    {
        return readLong(RMEM_DEFAULT);
    }

    /** @return {@code net.core.rmem_max}, or 0 when it cannot be read. */
    public static long kernelMaxBytes()
    {
        return readLong(RMEM_MAX);
    }

    /**
     * Receive buffer that holds {@link #HEADROOM_MS} of arrivals at the given rate.
     *
     * @return bytes, rounded up to a multiple of 64 KiB (0 when nothing arrives).
     */
    public static long neededBytes(final double datagramsPerSecond, final double payloadBytesPerSecond)
    {
        final double costPerSecond = payloadBytesPerSecond + datagramsPerSecond * PER_DATAGRAM_OVERHEAD_BYTES;
        final long raw = (long)Math.ceil(costPerSecond * HEADROOM_MS / 1000.0);
        final long step = 1 << 16;
        return raw <= 0 ? 0 : (raw + step - 1) / step * step;
    }

    /**
     * Measures the interval ending at {@code nowNs} when it is long enough and warns about
     * listeners whose buffer is too small. Tick thread only.
     *
     * @return listeners warned about in this call.
     */
    public int check(final long nowNs)
    {
        final long elapsedNs = nowNs - lastCheckNs;
        if (elapsedNs < INTERVAL_NS)
        {
            return 0;
        }
        lastCheckNs = nowNs;
        int warned = 0;
        for (int i = 0; i < readers.size(); i++)
        {
            final DatagramReader reader = readers.get(i);
            final BoundListener bound = reader.bound();
            final long packets = reader.counters().totalPackets();
            final long bytes = totalBytes(reader.counters());
            final long drops = kernel.dropsForLocalPort(bound.port());
            final double seconds = elapsedNs / 1e9;
            final double packetRate = (packets - lastPackets[i]) / seconds;
            final double byteRate = (bytes - lastBytes[i]) / seconds;
            final long newDrops = drops - lastKernelDrops[i];
            lastPackets[i] = packets;
            lastBytes[i] = bytes;
            lastKernelDrops[i] = drops;
            final long need = Math.max(neededBytes(packetRate, byteRate), newDrops > 0 ? 2L * bound.receiveBufferBytes() : 0);
            if (need > bound.receiveBufferBytes() && need >= 2 * warnedNeedBytes[i])
            {
                warnedNeedBytes[i] = need;
                warned++;
                LOG.warn("Listener {} {}:{}: SO_RCVBUF granted {} bytes, below the {} bytes needed to hold {} ms at the "
                        + "measured {} datagrams/s ({} bytes/s); the kernel dropped {} datagram(s) on this port in the "
                        + "last {} s. Set performance.buffer_size: {}{}",
                    bound.protocol().configName(), bound.address(), bound.port(), bound.receiveBufferBytes(), need,
                    HEADROOM_MS, Math.round(packetRate), Math.round(byteRate), newDrops, Math.round(seconds), need,
                    sysctlHint(need));
            }
        }
        return warned;
    }

    /** @return the sysctl to run when {@code requestBytes} exceeds {@code net.core.rmem_max}, else "". */
    String sysctlHint(final long requestBytes)
    {
        return requestBytes > rmemMaxBytes ?
            " and raise the kernel cap (now " + rmemMaxBytes + "): sysctl -w net.core.rmem_max=" + requestBytes : "";
    }

    private static long totalBytes(final ReceiveCounters counters)
    {
        long sum = 0;
        for (int slot = 0; slot < ProtocolSlot.COUNT; slot++)
        {
            sum += counters.bytes(slot);
        }
        return sum;
    }

    /**
     * Reads a one-number {@code /proc/sys} file line-wise: {@code Files.readString} on procfs (size 0)
     * was seen returning only the first byte ("2" for 212992).
     */
    private static long readLong(final Path file)
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII))
        {
            final String line = reader.readLine();
            return line == null ? 0 : Long.parseLong(line.trim());
        }
        catch (final IOException | NumberFormatException | SecurityException ex)
        {
            return 0;
        }
    }
}
