package io.goflow.exporter.receive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KernelUdpDropsTest
{
    /** Rows as the kernel prints them; port 0x0807 = 2055, 0x18EB = 6379; drops is the last column. */
    private static final String UDP =
        "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
        "  312: 00000000:0807 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 17\n" +
        "  313: 0100007F:18EB 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4243 2 0000000000000000 99\n";
    private static final String UDP6 =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
        "  100: 00000000000000000000000000000000:0807 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4244 2 0000000000000000 5\n";

    @Test
    void shouldSumDropsOfBothTablesForLocalPort(@TempDir final Path dir) throws Exception
    {
        final Path v4 = Files.writeString(dir.resolve("udp"), UDP);
        final Path v6 = Files.writeString(dir.resolve("udp6"), UDP6);
        assertEquals(22, new KernelUdpDrops(v4, v6).dropsForLocalPort(2055));
        assertEquals(99, new KernelUdpDrops(v4, v6).dropsForLocalPort(6379));
    }

    @Test
    void shouldReportZeroWhenPortOrFileAbsent(@TempDir final Path dir) throws Exception
    {
        final Path v4 = Files.writeString(dir.resolve("udp"), UDP);
        assertEquals(0, new KernelUdpDrops(v4, dir.resolve("missing")).dropsForLocalPort(4739));
    }
}
