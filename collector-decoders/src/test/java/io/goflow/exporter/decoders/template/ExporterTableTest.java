package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExporterTableTest
{
    private static final long SEC = 1_000_000_000L;
    private static final FlowType V9 = FlowType.NETFLOW_V9;
    private static final int[] ONE_FIELD = {1, 4, 0};

    private final DecodeCounters counters = new DecodeCounters();

    private static DecoderSettings settings(
        final int maxExporters, final int perAddress, final long templateTotal, final long templatePerAddress,
        final long heldTotal)
    {
        return new DecoderSettings(false, maxExporters, 1024, 1800 * SEC, 256 * 1024, 10 * SEC, 8192, 0, Map.of(),
            perAddress, templateTotal, templatePerAddress, heldTotal,
            DecoderSettings.TEMPLATE_UPDATES_PER_SECOND_DEFAULT);
    }

    @Test
    void shouldEvictLeastRecentlySeenStreamThatNeverSentDataForNewStream()
    {
        final ExporterTable table = new ExporterTable(settings(3, 3, 1 << 20, 1 << 20, 1 << 20), counters);
        final ExporterState a = table.lookup(V9, 0, 1, 0, 1, 1);
        final ExporterState b = table.lookup(V9, 0, 2, 0, 1, 2);
        final ExporterState c = table.lookup(V9, 0, 3, 0, 1, 3);
        assertSame(a, table.lookup(V9, 0, 1, 0, 1, 4));

        assertNotNull(table.lookup(V9, 0, 4, 0, 1, 5));

        assertEquals(3, table.size());
        assertSame(a, table.lookup(V9, 0, 1, 0, 1, 6), "seen again after b: kept");
        assertSame(c, table.lookup(V9, 0, 3, 0, 1, 7));
        assertEquals(1, table.budget().evictions(StateBudget.Limit.MAX_EXPORTERS));
        assertFalse(b == table.lookup(V9, 0, 2, 0, 1, 8), "b was evicted: a new stream");
    }

    @Test
    void shouldNeverEvictStreamThatSentDataAndRefuseNewStreamInstead()
    {
        final ExporterTable table = new ExporterTable(settings(2, 2, 1 << 20, 1 << 20, 1 << 20), counters);
        final ExporterState a = sendTemplateAndData(table, 1, 1);
        final ExporterState b = sendTemplateAndData(table, 2, 2);

        assertNull(table.lookup(V9, 0, 3, 0, 1, 3));

        assertEquals(1, table.budget().refusals(StateBudget.Limit.MAX_EXPORTERS));
        assertSame(a, table.lookup(V9, 0, 1, 0, 1, 4));
        assertSame(b, table.lookup(V9, 0, 2, 0, 1, 5));
        assertEquals(0, table.probationCount());
    }

    @Test
    void shouldEvictOwnAddressStreamWhenAddressQuotaIsReachedAndLeaveOtherAddressesAlone()
    {
        final ExporterTable table = new ExporterTable(settings(100, 2, 1 << 20, 1 << 20, 1 << 20), counters);
        final ExporterState other = table.lookup(V9, 0, 9, 0, 1, 0);
        table.lookup(V9, 0, 1, 0, 1, 1);
        table.lookup(V9, 0, 1, 0, 2, 2);

        assertNotNull(table.lookup(V9, 0, 1, 0, 3, 3));

        assertEquals(2, table.budget().streamsOf(0, 1));
        assertSame(other, table.lookup(V9, 0, 9, 0, 1, 4), "the oldest stream, but of another address");
        assertEquals(1, table.budget().evictions(StateBudget.Limit.MAX_STREAMS_PER_ADDRESS));
    }

    @Test
    void shouldEvictStreamThatNeverSentDataWhenTemplateMemoryIsFull()
    {
        final long oneTemplate = ExporterState.templateBytes(1);
        final ExporterTable table = new ExporterTable(settings(100, 100, 2 * oneTemplate, 1 << 20, 0), counters);
        final ExporterState worker = sendTemplateAndData(table, 1, 1);
        final ExporterState idle = table.lookup(V9, 0, 2, 0, 1, 2);
        assertNull(idle.putTemplate(256, Template.KIND_DATA, 0, ONE_FIELD, 1, 1024, 2));
        final ExporterState newcomer = table.lookup(V9, 0, 3, 0, 1, 3);

        assertNull(newcomer.putTemplate(256, Template.KIND_DATA, 0, ONE_FIELD, 1, 1024, 3));

        assertEquals(2 * oneTemplate, table.budget().templateBytes());
        assertEquals(1, table.budget().evictions(StateBudget.Limit.TEMPLATE_BYTES_TOTAL));
        assertNotNull(worker.template(256));
        assertNotNull(newcomer.template(256), "the newcomer sends data too");
        assertEquals(DecodeError.TEMPLATE_MEMORY,
            table.lookup(V9, 0, 4, 0, 1, 4).putTemplate(256, Template.KIND_DATA, 0, ONE_FIELD, 1, 1024, 4),
            "no stream that never sent data is left but the one asking: refused");
        assertEquals(1, table.budget().refusals(StateBudget.Limit.TEMPLATE_BYTES_TOTAL));
    }

    @Test
    void shouldCapHeldBytesOverTablesSharingBudgetAndFreeThemWhenEmpty()
    {
        final DecoderSettings settings = settings(100, 100, 1 << 20, 1 << 20, 64 * 1024);
        final StateBudget budget = StateBudget.of(settings);
        final ExporterTable shard0 = new ExporterTable(settings, counters, budget);
        final ExporterTable shard1 = new ExporterTable(settings, counters, budget);
        final UnsafeBuffer set = new UnsafeBuffer(new byte[8000]);
        final ExporterState[] streams = new ExporterState[20];
        int held = 0;
        for (int i = 0; i < streams.length; i++)
        {
            streams[i] = (i % 2 == 0 ? shard0 : shard1).lookup(V9, 0, 1, 0, i, 1);
            for (int j = 0; j < 4; j++)
            {
                held += streams[i].held.hold(1, 0, 0, 0, 300, set, 0, set.capacity()) ? 1 : 0;
            }
        }

        long allocated = 0;
        for (final ExporterState s : streams)
        {
            allocated += s.held.allocatedBytes();
        }
        assertEquals(allocated, budget.heldBytes(), "the budget counts what is allocated");
        assertTrue(budget.heldBytes() <= 64 * 1024);
        assertEquals(held, budget.heldSets());
        assertEquals(80 - held, budget.refusals(StateBudget.Limit.PENDING_BYTES_TOTAL));
        assertTrue(held >= 7, held + " sets of 8 KB held in 64 KiB");

        shard0.onTimer(20 * SEC);
        shard1.onTimer(20 * SEC);
        assertEquals(0, budget.heldBytes(), "expired: arrays freed");
        assertEquals(0, budget.heldSets());
        assertEquals(held, counters.errors(V9, DecodeError.NO_TEMPLATE_EXPIRED));
    }

    @Test
    void shouldGiveBackEverythingOfStreamsForgottenWhenIdle()
    {
        final ExporterTable table = new ExporterTable(settings(100, 100, 1 << 20, 1 << 20, 1 << 20), counters);
        final ExporterState s = table.lookup(V9, 0, 1, 0, 1, 0);
        s.putTemplate(256, Template.KIND_DATA, 0, ONE_FIELD, 1, 1024, 0);
        s.samplingFromOptions(true, 7, 100);

        table.onTimer(3600 * SEC);

        assertEquals(0, table.size());
        assertEquals(0, table.budget().streams());
        assertEquals(0, table.budget().templateBytes());
        assertEquals(0, table.budget().templates());
        assertEquals(0, table.budget().streamsOf(0, 1));
    }

    /** The accounted figures are at least what the JVM allocates (the thread's allocation counter). */
    @Test
    void shouldAccountAtLeastTheHeapStreamsAndTemplatesTake()
    {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final ExporterTable table = new ExporterTable(DecoderSettings.defaults(), counters, StateBudget.unlimited());
        table.lookup(V9, 0, 0, 0, 0, 0).putTemplate(256, Template.KIND_DATA, 0, ONE_FIELD, 1, 1024, 0);
        table.onTimer(0);
        final int streams = 2000;
        final int fields = 30;
        final int[] definition = new int[fields * Template.DEFINITION_STRIDE];
        for (int f = 0; f < fields; f++)
        {
            definition[f * Template.DEFINITION_STRIDE] = f + 1;
            definition[f * Template.DEFINITION_STRIDE + 1] = 4;
        }

        final long before = mx.getThreadAllocatedBytes(thread);
        final ExporterState[] kept = new ExporterState[streams];
        for (int i = 1; i <= streams; i++)
        {
            kept[i - 1] = table.lookup(V9, 0, i, 0, i, 0);
        }
        table.onTimer(0);
        final long perStream = (mx.getThreadAllocatedBytes(thread) - before) / streams;

        final long beforeTemplates = mx.getThreadAllocatedBytes(thread);
        for (int t = 0; t < 64; t++)
        {
            kept[0].putTemplate(300 + t, Template.KIND_DATA, 0, definition, fields, 1024, 0);
        }
        final long perTemplate = (mx.getThreadAllocatedBytes(thread) - beforeTemplates) / 64;

        assertTrue(perStream <= ExporterState.STREAM_BYTES, perStream + " bytes per stream > " + ExporterState.STREAM_BYTES);
        assertTrue(perTemplate <= ExporterState.templateBytes(fields),
            perTemplate + " bytes per template of " + fields + " fields > " + ExporterState.templateBytes(fields));
        System.out.println("measured: " + perStream + " B per stream (accounted " + ExporterState.STREAM_BYTES + "), "
            + perTemplate + " B per " + fields + "-field template (accounted " + ExporterState.templateBytes(fields) + ")");
    }

    private static ExporterState sendTemplateAndData(final ExporterTable table, final long addrLo, final long nowNs)
    {
        final ExporterState s = table.lookup(V9, 0, addrLo, 0, 1, nowNs);
        assertNull(s.putTemplate(256, Template.KIND_DATA, 0, ONE_FIELD, 1, 1024, nowNs));
        assertNotNull(s.template(256), "a data set with a known template");
        return s;
    }
}
