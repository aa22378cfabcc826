package io.goflow.exporter.decode;

import com.lmax.disruptor.Sequence;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.ring.RecordPool;
import io.goflow.exporter.testing.Await;
import org.agrona.DirectBuffer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.goflow.exporter.testing.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodeHandlerTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long EXPORTER_LO = 0x0000_FFFF_C000_0201L; // ::ffff:192.0.2.1

    private long nowNs = T0;
    private final MiniV9Decoder decoder = new MiniV9Decoder();
    private final DecodeHandler handler = new DecodeHandler(1, decoder, r -> r.srcCountry = ('D' << 8) | 'E', () -> nowNs);

    @Test
    void shouldDecodeOnlyDatagramsOfItsOwnShard()
    {
        final DatagramEvent template = event(V9Datagrams.template(5, 1, 300), 1);
        final DatagramEvent foreign = event(V9Datagrams.data(5, 2, 300, 100), 0);
        handler.onEvent(template, 0, false);
        handler.onEvent(foreign, 1, true);
        assertEquals(1, handler.counters().totalProcessed());
        assertEquals(0, foreign.recordCount());
        assertEquals(1, decoder.counters().datagrams(FlowType.NETFLOW_V9));
    }

    @Test
    void shouldCopyAndEnrichEveryRecordIntoTheEvent()
    {
        handler.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 0, false);
        final DatagramEvent data = event(V9Datagrams.data(5, 2, 300, 1500, 40, 9000), 1);
        handler.onEvent(data, 1, true);
        assertEquals(3, data.recordCount());
        assertEquals(1500, data.record(0).bytes);
        assertEquals(40, data.record(1).bytes);
        assertEquals(9000, data.record(2).bytes);
        assertEquals(('D' << 8) | 'E', data.record(2).srcCountry);
        assertEquals(EXPORTER_LO, data.record(0).samplerAddrLo);
        assertEquals(3, handler.counters().parsedRecords(FlowType.NETFLOW_V9));
    }

    @Test
    void shouldDropAndCountRecordsBeyondTheEventCap()
    {
        handler.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 0, false);
        final DatagramEvent data = new DatagramEvent(DatagramEventFactory.DEFAULT_SLOT_BYTES, 2);
        fill(data, V9Datagrams.data(5, 2, 300, 1, 2, 3), 1);
        handler.onEvent(data, 1, true);
        assertEquals(2, data.recordCount());
        assertEquals(1, handler.counters().tooManyRecords());
        assertEquals(2, handler.counters().totalParsedRecords());
    }

    @Test
    void shouldWaitForAggregationToGiveRecordsBackWhenPoolEmpty() throws Exception
    {
        final RecordPool pool = new RecordPool(4);
        final DecodeHandler shard = new DecodeHandler(1, decoder, FlowEnricher.NONE, () -> nowNs, pool);
        final Sequence released = new Sequence(-1);
        shard.setSequenceCallback(released);
        shard.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 10, false);
        final DatagramEvent first = event(V9Datagrams.data(5, 2, 300, 1, 2, 3), 1);
        shard.onEvent(first, 11, false);
        final DatagramEvent second = event(V9Datagrams.data(5, 3, 300, 4, 5, 6), 1);
        final Thread t = new Thread(() -> shard.onEvent(second, 12, true));
        t.start();
        awaitTrue(() -> shard.counters().poolWaits() == 1);
        assertEquals(11, released.get(), "events before the waiting one are released to aggregation");
        first.releaseRecords();
        t.join(Await.WAIT_LIMIT_MS);
        assertEquals(3, second.recordCount());
        assertEquals(6, second.record(2).bytes);
        assertEquals(0, shard.counters().shutdownDropped());
    }

    @Test
    void shouldDropAndCountRecordsWhenHaltedWhileWaitingForPool() throws Exception
    {
        final RecordPool pool = new RecordPool(4);
        final DecodeHandler shard = new DecodeHandler(1, decoder, FlowEnricher.NONE, () -> nowNs, pool);
        shard.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 0, false);
        shard.onEvent(event(V9Datagrams.data(5, 2, 300, 1, 2, 3), 1), 1, false);
        final DatagramEvent data = event(V9Datagrams.data(5, 3, 300, 4, 5, 6), 1);
        final Thread t = new Thread(() -> shard.onEvent(data, 2, true));
        t.start();
        awaitTrue(() -> shard.counters().poolWaits() == 1);
        shard.halt();
        t.join(Await.WAIT_LIMIT_MS);
        assertEquals(1, data.recordCount());
        assertEquals(2, shard.counters().shutdownDropped());
    }

    @Test
    void shouldRefuseRecordsBeyondPoolInsteadOfWaitingForItself()
    {
        final RecordPool pool = new RecordPool(2);
        final DecodeHandler shard = new DecodeHandler(1, decoder, FlowEnricher.NONE, () -> nowNs, pool);
        shard.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 0, false);
        final DatagramEvent data = event(V9Datagrams.data(5, 2, 300, 1, 2, 3), 1);
        shard.onEvent(data, 1, true);
        assertEquals(2, data.recordCount());
        assertEquals(1, shard.counters().tooManyRecords());
        assertEquals(0, shard.counters().poolWaits());
    }

    @Test
    void shouldDiscardAndUncountRecordsOfDatagramWhoseEnrichmentThrows()
    {
        final DecodeHandler shard = new DecodeHandler(1, decoder, r ->
        {
            if (r.bytes == 3)
            {
                throw new IllegalStateException("test");
            }
        }, () -> nowNs, new RecordPool(16));
        shard.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 0, false);
        final DatagramEvent data = event(V9Datagrams.data(5, 2, 300, 1, 2, 3, 4), 1);
        assertThrows(IllegalStateException.class, () -> shard.onEvent(data, 1, true));
        assertTrue(data.recordsDiscarded());
        assertEquals(3, data.recordCount(), "records stay on the event to go back to the pool");
        assertEquals(0, shard.counters().totalParsedRecords());
        assertEquals(3, shard.counters().exceptionDropped());
    }

    @Test
    void shouldCountBadVersionWhenDecoderRecognisesNoHeader()
    {
        final byte[] bytes = V9Datagrams.template(5, 1, 300);
        bytes[1] = 7;
        handler.onEvent(event(bytes, 1), 0, true);
        assertEquals(1, handler.counters().undecoded(DecodeError.BAD_VERSION));
        assertEquals(0, handler.counters().undecoded(DecodeStageCounters.UNDECODED_MALFORMED));
    }

    @Test
    void shouldCountTruncatedWhenDatagramShorterThanHeader()
    {
        final DatagramEvent e = new DatagramEvent(DatagramEventFactory.DEFAULT_SLOT_BYTES, 8);
        fill(e, new byte[] {0, 9, 0, 0}, 1);
        handler.onEvent(e, 0, true);
        assertEquals(1, handler.counters().undecoded(DecodeError.TRUNCATED));
        assertEquals(1, handler.counters().totalUndecoded());
        assertEquals(1, handler.counters().totalProcessed());
    }

    @Test
    void shouldNotCountUndecodedWhenDatagramAcceptedAfterRejection()
    {
        handler.onEvent(event(new byte[] {0, 9, 0, 0}, 1), 0, false);
        handler.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 1, true);
        assertEquals(1, handler.counters().totalUndecoded(), "the earlier rejection is not counted again");
        assertEquals(2, handler.counters().totalProcessed());
    }

    @Test
    void shouldCountEachCutHeaderOnceByReasonWhenRealDecoderRejectsIt()
    {
        final DecodeCounters dc = new DecodeCounters();
        final DecodeHandler shard = new DecodeHandler(
            0, ShardDecoder.of(new DatagramDecoder(DecoderSettings.defaults(), dc)), FlowEnricher.NONE, () -> T0);
        final byte[][] cut = {
            {0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},      // v5, 12 of its 24 header bytes
            {0, 9, 0, 1, 0, 0, 0, 0, 0, 0},            // v9, 10 of 20
            {0, 10, 0, 16, 0, 0, 0, 0},                // IPFIX, 8 of 16
            {0, 0, 0, 5, 0, 0, 0, 1, 10, 0, 0, 1},     // sFlow v5 IPv4 agent, 12 of 28
        };
        for (int i = 0; i < cut.length; i++)
        {
            final DatagramEvent e = event(cut[i], 0);
            e.protocol = ListenerProtocol.AUTO;
            shard.onEvent(e, i, i == cut.length - 1);
        }
        assertEquals(4, shard.counters().totalProcessed());
        assertEquals(4, shard.counters().undecoded(DecodeError.TRUNCATED));
        assertEquals(4, shard.counters().totalUndecoded());
        for (final FlowType type : FlowType.values())
        {
            assertEquals(0, dc.datagrams(type), type.label());
            assertEquals(1, dc.rejections(type, DecodeError.TRUNCATED), type.label());
            assertEquals(0, dc.errors(type, DecodeError.TRUNCATED), type.label());
        }
    }

    @Test
    void shouldCountMalformedWhenDecoderThrowsBeforeGivingAnOutcome()
    {
        final DecodeCounters dc = new DecodeCounters();
        final DecodeHandler shard = new DecodeHandler(0, new ShardDecoder()
        {
            @Override
            public int decode(
                final DatagramSource source, final DirectBuffer buffer, final int offset, final int length,
                final FlowSink sink)
            {
                throw new IllegalStateException("test");
            }

            @Override
            public void onTimer(final long nowNs)
            {
            }

            @Override
            public DecodeCounters counters()
            {
                return dc;
            }
        }, FlowEnricher.NONE, () -> T0);
        assertThrows(IllegalStateException.class, () -> shard.onEvent(event(new byte[] {0, 9}, 0), 0, true));
        assertEquals(1, shard.counters().undecoded(DecodeStageCounters.UNDECODED_MALFORMED));
        assertEquals(1, shard.counters().totalUndecoded());
    }

    @Test
    void shouldCountDataBeforeTemplateAsNoTemplateAndDecodeAfterTemplate()
    {
        final DatagramEvent early = event(V9Datagrams.data(5, 1, 300, 10), 1);
        handler.onEvent(early, 0, false);
        handler.onEvent(event(V9Datagrams.template(5, 2, 300), 1), 1, false);
        final DatagramEvent late = event(V9Datagrams.data(5, 3, 300, 20), 1);
        handler.onEvent(late, 2, true);
        assertEquals(0, early.recordCount());
        assertEquals(1, late.recordCount());
        assertEquals(1, decoder.counters().errors(FlowType.NETFLOW_V9, io.goflow.exporter.decoders.api.DecodeError.NO_TEMPLATE));
    }

    @Test
    void shouldRunDecoderTimerOnTickWithTickTime()
    {
        final DatagramEvent tick = new DatagramEvent(DatagramEventFactory.DEFAULT_SLOT_BYTES, 8);
        tick.kind = DatagramEvent.Kind.TICK;
        tick.receivedNs = T0 + 42;
        tick.shard = 0;
        handler.onEvent(tick, 0, true);
        assertEquals(1, decoder.timerCalls());
        assertEquals(T0 + 42, decoder.lastTimerNs());
    }

    @Test
    void shouldRunDecoderTimerAtEndOfBatchOnlyAfterInterval()
    {
        nowNs = T0 + DecodeHandler.TIMER_INTERVAL_NS - 1;
        handler.onEvent(event(V9Datagrams.template(5, 1, 300), 1), 0, true);
        assertEquals(0, decoder.timerCalls());
        nowNs = T0 + DecodeHandler.TIMER_INTERVAL_NS;
        handler.onEvent(event(V9Datagrams.template(5, 2, 300), 0), 1, false);
        assertEquals(0, decoder.timerCalls());
        handler.onEvent(event(V9Datagrams.template(5, 3, 300), 0), 2, true);
        assertEquals(1, decoder.timerCalls());
        assertEquals(nowNs, decoder.lastTimerNs());
    }

    @Test
    void shouldKeepInterfaceCounterRecordsAndSkipOptionsRecords()
    {
        final ShardDecoder counterDecoder = new ShardDecoder()
        {
            private final DecodeCounters counters = new DecodeCounters();
            private final FlowRecord r = new FlowRecord();

            @Override
            public int decode(
                final DatagramSource source, final DirectBuffer buffer, final int offset, final int length,
                final FlowSink sink)
            {
                counters.datagram(FlowType.SFLOW_5);
                r.reset();
                r.kind = FlowRecord.Kind.INTERFACE_COUNTERS;
                r.ifIndex = 7;
                sink.onOtherRecord(r);
                r.reset();
                r.kind = FlowRecord.Kind.OPTIONS;
                sink.onOtherRecord(r);
                return 0;
            }

            @Override
            public void onTimer(final long nowNs)
            {
            }

            @Override
            public DecodeCounters counters()
            {
                return counters;
            }
        };
        final DecodeHandler h = new DecodeHandler(0, counterDecoder, r -> r.srcAsn = 1, () -> T0);
        final DatagramEvent e = event(new byte[] {0, 0, 0, 5}, 0);
        h.onEvent(e, 0, true);
        assertEquals(1, e.recordCount());
        assertEquals(FlowRecord.Kind.INTERFACE_COUNTERS, e.record(0).kind);
        assertEquals(7, e.record(0).ifIndex);
        assertEquals(0, e.record(0).srcAsn, "counter samples are not enriched");
        assertEquals(1, h.counters().interfaceCounterRecords());
    }

    /**
     * A stream over its template-update burst ({@code max_templates_per_exporter} 1: burst 2) through
     * the real decoder: the refusal is logged once, at WARN, by the next timer run, naming the
     * stream; a timer run without a new refusal logs nothing.
     */
    @Test
    void shouldLogTemplateRateRefusalsOnTheTimerNamingTheStream()
    {
        final DecoderSettings d = DecoderSettings.defaults();
        final DecoderSettings settings = new DecoderSettings(false, d.maxExporters(), 1, d.templateTimeoutNs(),
            d.pendingBytesPerExporter(), d.pendingTimeoutNs(), d.maxRecordsPerDatagram(), 0, Map.of(),
            d.maxStreamsPerAddress(), d.templateBytesTotal(), d.templateBytesPerAddress(), d.pendingBytesTotal(),
            d.templateUpdatesPerSecond());
        final DecodeCounters dc = new DecodeCounters();
        final DecodeHandler shard = new DecodeHandler(
            0, ShardDecoder.of(new DatagramDecoder(settings, dc)), FlowEnricher.NONE, () -> T0);
        final byte[] a = V9Datagrams.template(5, 1, 300);
        final byte[] b = a.clone();
        b[29] = 2;                     // the same template with IN_PKTS first, IN_BYTES second
        b[33] = 1;
        final List<String> lines = captureWarnings();
        try
        {
            for (int k = 0; k < 3; k++)
            {
                shard.onEvent(event(k % 2 == 0 ? a : b, 0), k, false);
            }
            assertEquals(1, dc.errors(FlowType.NETFLOW_V9, DecodeError.TEMPLATE_RATE));
            assertEquals(List.of(), lines, "nothing logged per packet");
            shard.onEvent(tick(T0 + 1), 3, true);
            shard.onEvent(tick(T0 + 2), 4, true);
            assertEquals(List.of("Template updates refused by decoder.template_updates_per_second: 1 so far on this "
                + "shard, last from netflow_v9 192.0.2.1 domain 5; the stored templates stay in force"), lines);
        }
        finally
        {
            stopCapture();
        }
    }

    private static DatagramEvent tick(final long receivedNs)
    {
        final DatagramEvent tick = new DatagramEvent(DatagramEventFactory.DEFAULT_SLOT_BYTES, 8);
        tick.kind = DatagramEvent.Kind.TICK;
        tick.receivedNs = receivedNs;
        return tick;
    }

    /** @return the WARN messages {@link DecodeHandler}'s logger writes from now until {@link #stopCapture}. */
    private static List<String> captureWarnings()
    {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final AbstractAppender appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY)
        {
            @Override
            public void append(final LogEvent event)
            {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        final LoggerContext context = (LoggerContext)LogManager.getContext(false);
        final LoggerConfig logger = new LoggerConfig(DecodeHandler.class.getName(), Level.WARN, false);
        logger.addAppender(appender, Level.WARN, null);
        context.getConfiguration().addLogger(DecodeHandler.class.getName(), logger);
        context.updateLoggers();
        return lines;
    }

    private static void stopCapture()
    {
        final LoggerContext context = (LoggerContext)LogManager.getContext(false);
        final Configuration configuration = context.getConfiguration();
        configuration.removeLogger(DecodeHandler.class.getName());
        context.updateLoggers();
    }

    private static DatagramEvent event(final byte[] bytes, final int shard)
    {
        final DatagramEvent e = new DatagramEvent(DatagramEventFactory.DEFAULT_SLOT_BYTES, 8192);
        fill(e, bytes, shard);
        return e;
    }

    private static void fill(final DatagramEvent e, final byte[] bytes, final int shard)
    {
        e.reset();
        e.wrapDatagram(bytes, 0, bytes.length);
        e.exporterAddrHi = 0;
        e.exporterAddrLo = EXPORTER_LO;
        e.exporterPort = 50_000;
        e.protocol = ListenerProtocol.NETFLOW;
        e.protocolSlot = FlowType.NETFLOW_V9.ordinal();
        e.receivedNs = T0;
        e.shard = shard;
    }
}
