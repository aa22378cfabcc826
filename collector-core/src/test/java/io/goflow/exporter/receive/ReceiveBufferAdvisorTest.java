package io.goflow.exporter.receive;

import com.lmax.disruptor.RingBuffer;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.ring.RingOverflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Receive buffer request and advice, with real sockets on loopback (ephemeral ports). */
class ReceiveBufferAdvisorTest
{
    private static final Path RMEM_DEFAULT = Path.of("/proc/sys/net/core/rmem_default");

    /** No gating sequence: the ring never fills, the reader never drops. */
    private final RingBuffer<DatagramEvent> ring = RingBuffer.createMultiProducer(new DatagramEventFactory(16), 1024);
    private DatagramReader reader;

    @AfterEach
    void closeReader()
    {
        if (reader != null)
        {
            reader.close(2_000);
        }
    }

    @Test
    void shouldRaiseRequestToKernelDefaultWhenConfiguredBelowIt()
    {
        assertEquals(212_992, ReceiveBufferAdvisor.requestBytes(65_536, 212_992));
        assertEquals(8_388_608, ReceiveBufferAdvisor.requestBytes(8_388_608, 212_992));
        assertEquals(65_536, ReceiveBufferAdvisor.requestBytes(65_536, 0), "default unknown: the configured value");
    }

    @Test
    void shouldGrantAtLeastTheKernelDefaultWhenTheSpecValueIsConfigured() throws Exception
    {
        assumeTrue(Files.isReadable(RMEM_DEFAULT), "Linux only");
        final Process cat = new ProcessBuilder("cat", RMEM_DEFAULT.toString()).start();
        final long kernelDefault = Long.parseLong(new String(cat.getInputStream().readAllBytes()).trim());
        assertEquals(0, cat.waitFor());
        assertEquals(kernelDefault, ReceiveBufferAdvisor.kernelDefaultBytes());

        reader = bind(ReceiveBufferAdvisor.requestBytes(65_536, ReceiveBufferAdvisor.kernelDefaultBytes()));

        assertTrue(reader.bound().receiveBufferBytes() >= kernelDefault,
            "granted " + reader.bound().receiveBufferBytes() + " < rmem_default " + kernelDefault);
    }

    @Test
    void shouldSizeNeedFromRateAndPerDatagramOverhead()
    {
        assertEquals(0, ReceiveBufferAdvisor.neededBytes(0, 0));
        // 10000 datagrams/s of 1400 bytes: (14e6 + 10.24e6) B/s x 0.25 s = 6.06e6, rounded up to 64 KiB
        assertEquals(93 * 65_536, ReceiveBufferAdvisor.neededBytes(10_000, 14_000_000));
    }

    @Test
    void shouldWarnOnceWhenMeasuredRateNeedsMoreThanGranted() throws Exception
    {
        reader = bind(4096);
        final long t0 = 1_000_000_000_000L;
        final ReceiveBufferAdvisor advisor =
            new ReceiveBufferAdvisor(List.of(reader), new KernelUdpDrops(), t0, 212_992);
        sendDatagrams(200);

        assertEquals(0, advisor.check(t0 + ReceiveBufferAdvisor.INTERVAL_NS - 1), "interval not over");
        assertEquals(1, advisor.check(t0 + ReceiveBufferAdvisor.INTERVAL_NS));
        sendDatagrams(200);
        assertEquals(0, advisor.check(t0 + 2 * ReceiveBufferAdvisor.INTERVAL_NS), "same need: said once");
    }

    @Test
    void shouldNotWarnWhenGrantedBufferHoldsTheMeasuredRate() throws Exception
    {
        reader = bind(1 << 20);
        final long t0 = 1_000_000_000_000L;
        final ReceiveBufferAdvisor advisor =
            new ReceiveBufferAdvisor(List.of(reader), new KernelUdpDrops(), t0, 212_992);
        sendDatagrams(200);

        assertEquals(0, advisor.check(t0 + ReceiveBufferAdvisor.INTERVAL_NS));
    }

    @Test
    void shouldGiveSysctlOnlyWhenRequestExceedsKernelCap()
    {
        final ReceiveBufferAdvisor advisor = new ReceiveBufferAdvisor(List.of(), new KernelUdpDrops(), 0, 212_992);

        assertTrue(advisor.sysctlHint(1 << 20).endsWith("sysctl -w net.core.rmem_max=1048576"));
        assertEquals("", advisor.sysctlHint(200_000));
    }

    private DatagramReader bind(final int requestBytes) throws Exception
    {
        final ListenerSpec spec = new ListenerSpec(ListenerProtocol.NETFLOW, InetAddress.getLoopbackAddress(), 0, AllowList.ALL);
        final DatagramReader r = new DatagramReader(spec, ring, new RingOverflow(0), 1, () -> 0L, requestBytes);
        r.bind();
        r.start("advisor-test-reader");
        return r;
    }

    /** Sends {@code n} 1000-byte datagrams one at a time (so a tiny buffer loses none). */
    private void sendDatagrams(final int n) throws Exception
    {
        final long before = reader.counters().totalPackets();
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            final byte[] payload = new byte[1000];
            payload[1] = 9;
            for (int i = 0; i < n; i++)
            {
                sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(),
                    reader.bound().port()));
                final long target = before + i + 1;
                awaitTrue(() -> reader.counters().totalPackets() >= target);
            }
        }
        awaitTrue(() -> reader.counters().totalPackets() == before + n);
    }
}
