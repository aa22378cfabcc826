package io.goflow.exporter.decoders.sampling;

import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.goflow.exporter.decoders.testsupport.SamplingStates;
import org.junit.jupiter.api.Test;

/** Sampling source as a per-exporter state: tallied per record, published per timer, bounded. */
class ExporterSamplingTableTest
{
    private static final long SEC = 1_000_000_000L;
    private final ExporterSamplingTable table = new ExporterSamplingTable(3, 60 * SEC);

    private void records(final long exporterLo, final SamplingSource source, final long rate, final long nowNs)
    {
        table.count(source, rate);
        table.count(source, rate);
        table.flush(FlowType.IPFIX, 0, FlowRecord.ipv4MappedLo((int)exporterLo), nowNs);
    }

    /**
     * The budget's charge per exporter bounds what the JVM counts for a full table with every source
     * published: all growth steps and one snapshot, so the retained part is below it too.
     */
    @Test
    void shouldAllocateNoMoreThanTheBudgetChargesPerExporter()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final int exporters = 4096;
        final long before = threads.getCurrentThreadAllocatedBytes();
        final ExporterSamplingTable full = new ExporterSamplingTable(exporters, 60 * SEC);
        for (int i = 0; i < exporters; i++)
        {
            for (final SamplingSource source : SamplingSource.values())
            {
                full.count(source, 100 + i);
            }
            full.flush(FlowType.NETFLOW_V9, 0, FlowRecord.ipv4MappedLo(0x0A00_0000 | i), SEC);
        }
        full.onTimer(2 * SEC);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        final int[] published = {0};
        full.forEachExporter(s -> published[0]++);
        assertEquals(exporters * SamplingSource.count(), published[0]);
        assertTrue(allocated <= (long)exporters * ExporterSamplingTable.EXPORTER_BYTES_MAX,
            allocated + " bytes > " + exporters + " x " + ExporterSamplingTable.EXPORTER_BYTES_MAX);
    }

    @Test
    void shouldPublishOneStatePerExporterAndSourceWhatEverTheRecordCount()
    {
        for (int i = 0; i < 1000; i++)
        {
            records(0x0A00_0001, SamplingSource.NONE, 0, SEC);
        }

        assertEquals(Map.of("ipfix 10.0.0.1 none", 1L), SamplingStates.published(table, SEC));
    }

    @Test
    void shouldReplaceStateWithSourcesSeenSinceThePreviousTimer()
    {
        records(0x0A00_0001, SamplingSource.NONE, 0, SEC);
        SamplingStates.published(table, SEC);
        records(0x0A00_0001, SamplingSource.OPTIONS, 512, 2 * SEC);
        records(0x0A00_0001, SamplingSource.RECORD, 1000, 2 * SEC);

        assertEquals(Map.of("ipfix 10.0.0.1 options", 512L, "ipfix 10.0.0.1 record", 1000L),
            SamplingStates.published(table, 2 * SEC));
        assertEquals(Map.of("ipfix 10.0.0.1 options", 512L, "ipfix 10.0.0.1 record", 1000L),
            SamplingStates.published(table, 3 * SEC), "no records since: the last state stays");
    }

    @Test
    void shouldTrackAtMostMaxExportersAndForgetIdleOnes()
    {
        for (int i = 1; i <= 10; i++)
        {
            records(0x0A00_0000 + i, SamplingSource.HEADER, 100, SEC);
        }
        assertEquals(3, table.size());
        assertEquals(3, SamplingStates.published(table, SEC).size());

        records(0x0A00_0001, SamplingSource.HEADER, 100, 100 * SEC);
        assertEquals(Map.of("ipfix 10.0.0.1 header", 100L), SamplingStates.published(table, 100 * SEC));
        assertEquals(1, table.size());
    }

    @Test
    void shouldKeepStatesWhenTableGrows()
    {
        final ExporterSamplingTable big = new ExporterSamplingTable(1000, 60 * SEC);
        for (int i = 1; i <= 100; i++)
        {
            big.count(SamplingSource.DEFAULT, i);
            big.flush(FlowType.SFLOW_5, 0, FlowRecord.ipv4MappedLo(0x0A00_0000 + i), SEC);
        }
        final Map<String, Long> published = SamplingStates.published(big, SEC);
        assertEquals(100, published.size());
        assertEquals(77L, published.get("sflow 10.0.0.77 default"));
    }
}
