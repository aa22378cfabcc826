package io.goflow.exporter.benchmarks.load;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sends to a socket of the test on 127.0.0.1 and checks what arrives. */
class SimulatedExporterTest
{
    private static final InetAddress SOURCE = LoadGenerator.ipv4(127, 0, 0, 77);

    private DatagramChannel receiver;

    @BeforeEach
    void openReceiver() throws Exception
    {
        receiver = DatagramChannel.open();
        receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void closeReceiver() throws Exception
    {
        receiver.close();
    }

    @Test
    void shouldNumberV9PacketsConsecutivelyFromZeroWhenReplaying() throws Exception
    {
        try (SimulatedExporter exporter = exporter("softflowd_v9.pcap", 16, null))
        {
            for (int i = 0; i < 40; i++)
            {
                exporter.sendNext(0);
            }
        }
        for (int i = 0; i < 40; i++)
        {
            assertEquals(i, receive().getInt(12), "RFC 3954 section 5.1: sequence counts export packets");
        }
    }

    @Test
    void shouldResendTemplatesAfterConfiguredDataDatagramsWhenReplayingV9() throws Exception
    {
        final int templates;
        try (SimulatedExporter exporter = exporter("softflowd_v9.pcap", 3, null))
        {
            templates = exporter.script().templates().size();
            for (int i = 0; i < 2 * (templates + 3); i++)
            {
                exporter.sendNext(0);
            }
        }
        for (int cycle = 0; cycle < 2; cycle++)
        {
            for (int t = 0; t < templates; t++)
            {
                assertTrue((receive().getShort(20) & 0xFFFF) < 256, "template datagram expected");
            }
            for (int d = 0; d < 3; d++)
            {
                assertTrue((receive().getShort(20) & 0xFFFF) >= 256, "data datagram expected");
            }
        }
    }

    @Test
    void shouldAdvanceIpfixSequenceByDataRecordsWhenReplaying() throws Exception
    {
        try (SimulatedExporter exporter = exporter("softflowd_ipfix.pcap", 0, null))
        {
            for (int i = 0; i < 10; i++)
            {
                exporter.sendNext(0);
            }
        }
        final Map<Integer, Integer> recordLengths = new HashMap<>();
        long expected = 0;
        for (int i = 0; i < 10; i++)
        {
            final ByteBuffer b = receive();
            assertEquals(expected, b.getInt(8) & 0xFFFF_FFFFL, "RFC 7011 section 3.1: sequence counts data records");
            expected += ipfixDataRecords(b, recordLengths);
        }
    }

    @Test
    void shouldPutExporterAddressAsSflowAgentWhenReplaying() throws Exception
    {
        try (SimulatedExporter exporter = exporter("pmacctd_sfprobe_s20.pcap", 0, null))
        {
            exporter.sendNext(0);
            exporter.sendNext(0);
        }
        final ByteBuffer first = receive();
        final ByteBuffer second = receive();
        assertEquals(ByteBuffer.wrap(SOURCE.getAddress()).getInt(), first.getInt(8));
        assertEquals(1, first.getInt(16));
        assertEquals(2, second.getInt(16));
    }

    @Test
    void shouldReplaceEveryV5SourceAddressWhenMarking() throws Exception
    {
        final int marker = ByteBuffer.wrap(LoadGenerator.ipv4(198, 51, 100, 1).getAddress()).getInt();
        try (SimulatedExporter exporter = exporter("softflowd_v5.pcap", 0, marker))
        {
            exporter.sendNext(0);
        }
        final ByteBuffer b = receive();
        final int count = b.getShort(2) & 0xFFFF;
        assertTrue(count > 0);
        for (int i = 0; i < count; i++)
        {
            assertEquals(marker, b.getInt(24 + 48 * i));
        }
    }

    private SimulatedExporter exporter(final String capture, final int templateEvery, final Integer marker) throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export(capture));
        return new SimulatedExporter(
            0, 1, script, SOURCE, (InetSocketAddress)receiver.getLocalAddress(), templateEvery, 0, 1, marker, 0);
    }

    private ByteBuffer receive() throws Exception
    {
        final ByteBuffer b = ByteBuffer.allocate(65536);
        receiver.receive(b);
        b.flip();
        return b;
    }

    /** Counts IPFIX data records by walking sets with softflowd's fixed-length templates. */
    private static int ipfixDataRecords(final ByteBuffer b, final Map<Integer, Integer> lengths)
    {
        int records = 0;
        int position = 16;
        while (position + 4 <= b.limit())
        {
            final int id = b.getShort(position) & 0xFFFF;
            final int length = b.getShort(position + 2) & 0xFFFF;
            if (id == 2 || id == 3)
            {
                int p = position + 4;
                while (p + 4 <= position + length)
                {
                    final int tid = b.getShort(p) & 0xFFFF;
                    final int fields = b.getShort(p + 2) & 0xFFFF;
                    p += id == 3 ? 6 : 4;
                    int recordLength = 0;
                    for (int f = 0; f < fields; f++, p += 4)
                    {
                        recordLength += b.getShort(p + 2) & 0xFFFF;
                    }
                    lengths.put(tid, recordLength);
                }
            }
            else if (lengths.containsKey(id))
            {
                records += (length - 4) / lengths.get(id);
            }
            position += length;
        }
        return records;
    }
}
