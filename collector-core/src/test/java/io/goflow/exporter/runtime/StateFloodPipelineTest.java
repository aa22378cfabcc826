package io.goflow.exporter.runtime;

import io.goflow.exporter.config.ListenerSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.config.PerformanceSettings;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.template.StateBudget;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.goflow.exporter.runtime.PipelineFixture.droppedByReaders;
import static io.goflow.exporter.runtime.PipelineFixture.explicitListener;
import static io.goflow.exporter.runtime.PipelineFixture.received;
import static io.goflow.exporter.runtime.PipelineFixture.sender;
import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 items 1 and 4 through the whole pipeline over loopback UDP, with the real decoders of
 * two shards and the default limits: 20,000 junk datagrams of 40 KB, then 5,000 v9 source IDs × 2
 * templates from one address and 5,000 spoofed addresses × 2 templates, then softflowd's v9 export
 * from another address, which must aggregate exactly to its truth totals.
 */
class StateFloodPipelineTest
{
    private static final Path CAPTURE = exports().resolve("softflowd_v9.pcap");

    @Test
    void shouldKeepRingFixedAndDecodeRealExportToItsTruthAfterFloods() throws Exception
    {
        final PipelineFixture.RecordingAggregator aggregator = new PipelineFixture.RecordingAggregator();
        final ListenerSettings auto = new ListenerSettings(ListenerProtocol.AUTO, "127.0.0.1", 0, "", List.of());
        final var settings = PipelineFixture.settings(explicitListener(auto), 2, 16384, MetricsSettings.defaults());
        try (FlowCollector collector = FlowCollector.builder(settings)
            .aggregator(aggregator, List.of())
            .enrichers(() -> FlowEnricher.NONE)
            .start())
        {
            final int port = collector.boundListeners().get(0).port();
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            try (DatagramSocket junk = sender("127.0.0.50"))
            {
                final byte[] bytes = new byte[40_000];
                ByteBuffer.wrap(bytes).putShort(0, (short)0xBEEF);
                for (int i = 0; i < 20_000; i++)
                {
                    junk.send(new DatagramPacket(bytes, bytes.length, to, port));
                }
            }
            final byte[] templates = twoTemplates();
            try (DatagramSocket oneAddress = sender("127.0.0.51"))
            {
                for (int source = 0; source < 5000; source++)
                {
                    ByteBuffer.wrap(templates).putInt(16, source);
                    oneAddress.send(new DatagramPacket(templates, templates.length, to, port));
                }
            }
            ByteBuffer.wrap(templates).putInt(16, 1);
            for (int a = 0; a < 5000; a++)
            {
                try (DatagramSocket spoofed = sender("127.3." + (a >> 8) + "." + (a & 0xFF)))
                {
                    spoofed.send(new DatagramPacket(templates, templates.length, to, port));
                }
            }
            awaitTrue(() -> collector.aggregation().datagrams() + droppedByReaders(collector) == received(collector));

            final StateBudget budget = collector.stateBudget();
            final DecoderSettings limits = settings.decoder();
            assertTrue(budget.streams() <= limits.maxExporters());
            assertTrue(budget.streamsOf(0, 0xFFFF_7F00_0033L) <= limits.maxStreamsPerAddress());
            assertTrue(budget.evictions(StateBudget.Limit.MAX_EXPORTERS) > 0, "the spoofed flood filled max_exporters");
            assertEquals(0, collector.ringOverflow().unitsInUse());
            for (int i = 0; i < collector.ring().getBufferSize(); i++)
            {
                final DatagramEvent slot = collector.ring().get(i);
                assertFalse(slot.inOverflow());
                assertEquals(PerformanceSettings.RING_SLOT_BYTES_DEFAULT, slot.buffer.capacity(), "slot " + i + " grew");
            }

            final long before = collector.aggregation().datagrams();
            final long sent = replayPaced(collector, port, to, before);
            awaitTrue(() -> collector.aggregation().datagrams() == before + sent);
        }
        final String truth = Files.readString(exports().resolve("softflowd_v9.truth.json"));
        final String real = Long.toHexString(0xFFFF_7F00_0000L | 60) + "/";
        final long bytes = aggregator.bytesByExporter.entrySet().stream()
            .filter(e -> e.getKey().startsWith(real)).mapToLong(e -> e.getValue()).sum();
        final long flows = aggregator.recordsByExporter.entrySet().stream()
            .filter(e -> e.getKey().startsWith(real)).mapToLong(e -> e.getValue()).sum();
        assertEquals(number(truth, "flows"), flows, "softflowd_v9 flows after the floods");
        assertEquals(number(truth, "bytes"), bytes, "softflowd_v9 bytes after the floods");
    }

    /** v9 header (source ID at offset 16) and a template flowset with templates 256 and 257, 1 field each. */
    private static byte[] twoTemplates()
    {
        final ByteBuffer b = ByteBuffer.allocate(20 + 4 + 2 * 8);
        b.putShort((short)9).putShort((short)2).putInt(100_000).putInt(1_700_000_000).putInt(1).putInt(0);
        b.putShort((short)0).putShort((short)(4 + 2 * 8));
        b.putShort((short)256).putShort((short)1).putShort((short)1).putShort((short)4);
        b.putShort((short)257).putShort((short)1).putShort((short)2).putShort((short)4);
        return b.array();
    }

    /** Sends the capture from 127.0.0.60, waiting for aggregation every 32 datagrams (no kernel drop). */
    private static long replayPaced(final FlowCollector collector, final int port, final InetAddress to, final long base)
        throws Exception
    {
        long sent = 0;
        try (PcapReader reader = PcapReader.open(CAPTURE); DatagramSocket socket = sender("127.0.0.60"))
        {
            final UdpDatagram d = new UdpDatagram();
            final byte[] payload = new byte[65_536];
            while (reader.next(d))
            {
                d.buffer.getBytes(d.payloadOffset, payload, 0, d.payloadLength);
                socket.send(new DatagramPacket(payload, d.payloadLength, to, port));
                sent++;
                if ((sent & 31) == 0)
                {
                    final long target = base + sent;
                    awaitTrue(() -> collector.aggregation().datagrams() == target);
                }
            }
        }
        return sent;
    }

    private static long number(final String json, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), key);
        return Long.parseLong(m.group(1));
    }

    private static Path exports()
    {
        return Path.of(System.getProperty("shared.dir", "../shared"), "testdata", "exports");
    }
}
