package io.goflow.exporter.enrich;

import io.goflow.exporter.decoders.api.FlowRecord;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cached path allocates nothing: after every address has been looked up once, enriching
 * 200,000 more records must not allocate per record. HotSpot's per-thread allocation counter is
 * exact for TLAB allocations; the bound of 4 KiB leaves room for the counter calls themselves and
 * is 400 times smaller than one 16-byte object per record.
 */
class ShardEnricherAllocationTest
{
    private static final int RECORDS = 200_000;

    @Test
    void shouldNotAllocateWhenEveryAddressIsCached()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (EnrichmentService service = EnrichmentService.open(
            GeoTestData.settings(GeoTestData.mmdb(GeoTestData.CITY), GeoTestData.mmdb(GeoTestData.ASN), 1000,
                "database_then_flow"), System::nanoTime, false, true))
        {
            final FlowEnricher enricher = service.newShardEnricher();
            final FlowRecord[] flows = {
                GeoTestData.flow("81.2.69.160", "2001:218::1"),
                GeoTestData.flow("10.0.0.1", "1.0.0.100"),
                GeoTestData.flow("2a02:d040::1", "89.160.20.128"),
                GeoTestData.flow("8.8.8.8", "216.160.83.58")};
            for (int i = 0; i < 20_000; i++)
            {
                enricher.enrich(flows[i & 3]);
            }
            final long missesBefore = ((ShardEnricher)enricher).cache().misses();

            final long beforeBytes = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < RECORDS; i++)
            {
                enricher.enrich(flows[i & 3]);
            }
            final long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - beforeBytes;

            assertEquals(missesBefore, ((ShardEnricher)enricher).cache().misses(), "all lookups were hits");
            assertTrue(allocatedBytes < 4096, allocatedBytes + " bytes allocated for " + RECORDS + " records");
        }
    }
}
