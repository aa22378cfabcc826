package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.decoders.template.StateBudget;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 items 2-4: the state floods an attacker sends from loopback, at their full size, against
 * two decode shards sharing the default {@link StateBudget}: state stays within its caps, the
 * refusals are counted by limit, and a real export afterwards decodes exactly to its truth.
 */
class StateFloodTest
{
    private static final long NS = 1_700_000_000_000_000_000L;
    private static final long ATTACKER_LO = FlowRecord.ipv4MappedLo(0xCB00_7163);
    private static final int SHARDS = 2;
    private static final Path REAL = TruthFile.testdata("exports").resolve("softflowd_v9.pcap");

    private final DecoderSettings settings = DecoderSettings.defaults();
    private final StateBudget budget = StateBudget.of(settings);
    private final DecodeCounters counters = new DecodeCounters();
    private final DatagramDecoder[] shards = new DatagramDecoder[SHARDS];
    private final RecordingSinkCount sink = new RecordingSinkCount();
    private final DatagramSource from = new DatagramSource();

    {
        for (int i = 0; i < SHARDS; i++)
        {
            shards[i] = new DatagramDecoder(settings, counters, budget);
        }
    }

    /** 2,500 streams from one address × 33 held sets of 8 KB (660 MB offered) ended the process. */
    @Test
    void shouldCapHeldBytesUnder2500StreamsOf33HeldSetsOf8Kb()
    {
        final UnsafeBuffer datagram = new UnsafeBuffer(new byte[20 + 4 + 8192]);
        for (int stream = 0; stream < 2500; stream++)
        {
            for (int set = 0; set < 33; set++)
            {
                v9Header(datagram, set, stream).putShort(20, (short)300, java.nio.ByteOrder.BIG_ENDIAN);
                datagram.putShort(22, (short)(4 + 8192), java.nio.ByteOrder.BIG_ENDIAN);
                decode(datagram, datagram.capacity(), 0, ATTACKER_LO, stream, NS + set);
            }
        }
        assertTrue(budget.heldBytes() <= settings.pendingBytesTotal(), budget.heldBytes() + " bytes held");
        assertTrue(budget.heldBytes() > settings.pendingBytesTotal() / 2, "the cap, not something else, bounds it");
        assertTrue(budget.refusals(StateBudget.Limit.PENDING_BYTES_TOTAL) > 0);
        assertEquals(counters.errors(FlowType.NETFLOW_V9, DecodeError.PENDING_FULL),
            budget.refusals(StateBudget.Limit.PENDING_BYTES_TOTAL) + budget.refusals(StateBudget.Limit.PENDING_BYTES_PER_EXPORTER),
            "every refusal counted once by the decoder and once by limit");
    }

    /** 2,000 v9 source ids from one address × 1,000 templates exhausted the heap. */
    @Test
    void shouldCapTemplateMemoryUnder2000SourceIdsOf1000TemplatesFromOneAddress()
    {
        final ByteFixture w = new ByteFixture().zeros(20).u16(0).u16(4 + 1000 * 8);
        for (int t = 0; t < 1000; t++)
        {
            w.u16(256 + t).u16(1).u16(1).u16(4);
        }
        final UnsafeBuffer datagram = w.toBuffer();
        for (int source = 0; source < 2000; source++)
        {
            v9Header(datagram, 1, source);
            decode(datagram, datagram.capacity(), 0, ATTACKER_LO, source, NS);
        }
        assertTrue(budget.templateBytesOf(0, ATTACKER_LO) <= settings.templateBytesPerAddress());
        assertTrue(budget.templateBytes() <= settings.templateBytesTotal());
        assertTrue(budget.streamsOf(0, ATTACKER_LO) <= settings.maxStreamsPerAddress());
        assertTrue(budget.evictions(StateBudget.Limit.TEMPLATE_BYTES_PER_ADDRESS) > 0,
            "the address's own older streams make room: the flood churns itself");
        assertEquals(counters.errors(FlowType.NETFLOW_V9, DecodeError.TEMPLATE_MEMORY),
            budget.refusals(StateBudget.Limit.TEMPLATE_BYTES_PER_ADDRESS) + budget.refusals(StateBudget.Limit.TEMPLATE_BYTES_TOTAL));
    }

    /** 700 IPFIX domains × 4 templates of 16,000 fields exhausted the heap. */
    @Test
    void shouldCapTemplateMemoryUnder700IpfixDomainsOf4TemplatesOf16000Fields()
    {
        final int fields = 16_000;
        final ByteFixture w = new ByteFixture().u16(10).u16(16 + 4 + 4 + fields * 4).u32(0).u32(0).u32(0)
            .u16(2).u16(4 + 4 + fields * 4).u16(256).u16(fields);
        for (int f = 0; f < fields; f++)
        {
            w.u16(1 + f % 200).u16(f == 0 ? 4 : 0);
        }
        final UnsafeBuffer datagram = w.toBuffer();
        for (int domain = 0; domain < 700; domain++)
        {
            for (int t = 0; t < 4; t++)
            {
                datagram.putInt(12, domain, java.nio.ByteOrder.BIG_ENDIAN);
                datagram.putShort(20, (short)(256 + t), java.nio.ByteOrder.BIG_ENDIAN);
                decode(datagram, datagram.capacity(), 0, ATTACKER_LO + domain % 7, domain, NS);
            }
        }
        assertTrue(budget.templateBytes() <= settings.templateBytesTotal(), budget.templateBytes() + " template bytes");
        for (int a = 0; a < 7; a++)
        {
            assertTrue(budget.templateBytesOf(0, ATTACKER_LO + a) <= settings.templateBytesPerAddress());
        }
        assertTrue(budget.templates() < 2800, "most refused");
    }

    /**
     * 5,000 v9 source ids × 2 templates in one second from one address, and the same from 5,000
     * spoofed addresses, used to fill max_exporters and drop a real exporter's whole export
     * ({@code exporter_limit}, 0 of 6,297 flows). Afterwards the real capture decodes exactly.
     */
    @Test
    void shouldDecodeRealExportToItsTruthAfterStreamFloods()
    {
        final ByteFixture w = new ByteFixture().zeros(20).u16(0).u16(4 + 2 * 8)
            .u16(256).u16(1).u16(1).u16(4)
            .u16(257).u16(1).u16(2).u16(4);
        final UnsafeBuffer datagram = w.toBuffer();
        for (int source = 0; source < 5000; source++)
        {
            v9Header(datagram, 1, source);
            decode(datagram, datagram.capacity(), 0, ATTACKER_LO, source, NS + source * 200_000L);
            decode(datagram, datagram.capacity(), 0, FlowRecord.ipv4MappedLo(0xC612_0000 + source), 1,
                NS + source * 200_000L);
        }
        assertTrue(budget.streams() <= settings.maxExporters());
        assertTrue(budget.evictions(StateBudget.Limit.MAX_EXPORTERS) > 0, "the spoofed flood filled max_exporters");
        assertTrue(budget.evictions(StateBudget.Limit.MAX_STREAMS_PER_ADDRESS) > 0, "the one-address flood hit its quota");

        final TruthFile truth = TruthFile.forCapture(REAL);
        final CaptureRun run = CaptureRun.run(REAL, CaptureRun.portMapOf(truth),
            (from, buffer, offset, length, s) ->
                shard(from.exporterAddrLo(), buffer.getInt(offset + 16, java.nio.ByteOrder.BIG_ENDIAN)).decode(
                    from, buffer, offset, length, s),
            null);

        assertEquals(List.of(), CaptureTruthTest.compare(truth, run), "differences from " + truth.captureName());
        assertEquals(truth.totals().flows(), run.totals.flows);
        assertEquals(0, counters.rejections(FlowType.NETFLOW_V9, DecodeError.EXPORTER_LIMIT));
    }

    private static UnsafeBuffer v9Header(final UnsafeBuffer b, final long sequence, final long sourceId)
    {
        b.putShort(0, (short)9, java.nio.ByteOrder.BIG_ENDIAN);
        b.putShort(2, (short)1, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(4, 100_000, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(8, 1_700_000_000, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(12, (int)sequence, java.nio.ByteOrder.BIG_ENDIAN);
        b.putInt(16, (int)sourceId, java.nio.ByteOrder.BIG_ENDIAN);
        return b;
    }

    private DatagramDecoder shard(final long lo, final long domain)
    {
        return shards[(int)(((lo ^ domain) & 0x7FFF_FFFF) % SHARDS)];
    }

    private void decode(
        final UnsafeBuffer datagram, final int length, final long hi, final long lo, final long domain, final long nowNs)
    {
        shard(lo, domain).decode(from.set(ListenerProtocol.AUTO, hi, lo, 40_000, nowNs), datagram, 0, length, sink);
    }

    /** Counts what the floods decode (nothing, they carry no data with a template). */
    private static final class RecordingSinkCount implements FlowSink
    {
        long records;

        @Override
        public void onFlowRecord(final FlowRecord record)
        {
            records++;
        }
    }
}
