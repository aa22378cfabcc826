package io.goflow.exporter.receive;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the kernel's per-socket UDP receive drops (datagrams lost because a socket's receive
 * buffer was full) from {@code /proc/net/udp} and {@code /proc/net/udp6}. Each row is one socket:
 * <pre>
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 *    0: 0100007F:0807 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12345 2 0000000000000000 0
 * </pre>
 * {@code local_address} is {@code ADDRESS:PORT} in hex; {@code drops} is the last column (decimal).
 * Scrape-time only (reads files, allocates); absent files (non-Linux) give 0.
 */
public final class KernelUdpDrops
{
    private final Path[] files;

    public KernelUdpDrops()
    {
        this(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    }

    /** @param files tables in {@code /proc/net/udp} format (tests pass fixtures). */
    public KernelUdpDrops(final Path... files)
    {
        this.files = files.clone();
    }

    /** @return drops summed over every socket whose local port is {@code port}, over all tables. */
    public long dropsForLocalPort(final int port)
    {
        long sum = 0;
        for (final Path file : files)
        {
            sum += dropsForLocalPort(file, port);
        }
        return sum;
    }

    private static long dropsForLocalPort(final Path file, final int port)
    {
        if (!Files.isReadable(file))
        {
            return 0;
        }
        long sum = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII))
        {
            String line = reader.readLine();
            while ((line = reader.readLine()) != null)
            {
                final String[] cols = line.trim().split("\\s+");
                if (cols.length < 13)
                {
                    continue;
                }
                final String local = cols[1];
                final int colon = local.lastIndexOf(':');
                if (colon < 0)
                {
                    continue;
                }
                try
                {
                    if (Integer.parseInt(local.substring(colon + 1), 16) == port)
                    {
                        sum += Long.parseLong(cols[cols.length - 1]);
                    }
                }
                catch (final NumberFormatException ignore)
                {
                    // a row we do not understand is not ours
                }
            }
        }
        catch (final IOException ex)
        {
            return sum;
        }
        return sum;
    }
}
