package io.goflow.exporter.runtime;

import io.goflow.exporter.config.ConfigLoader;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.enrich.EnrichmentService;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.ring.RecordPool;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapBudgetTest
{
    private static final long MIB = 1 << 20;

    @Test
    void shouldSumEveryPieceOfTheDefaults()
    {
        final HeapBudget b = HeapBudget.of(Settings.defaults(), 1024 * MIB);
        assertEquals(16_384L * (2048 + DatagramEventFactory.SLOT_OVERHEAD_BYTES), b.ringBytes());
        assertEquals(4 * MIB, b.overflowBytes());
        assertEquals(65_536L * RecordPool.RECORD_BYTES, b.recordBytes());
        assertEquals(32 * MIB, b.heldBytes());
        assertEquals(64 * MIB, b.templateBytes());
        assertEquals(4096L * ExporterState.STREAM_BYTES, b.exporterBytes());
        assertEquals(8L * 4096 * ExporterSamplingTable.EXPORTER_BYTES_MAX, b.samplingBytes());
        assertEquals(8 * EnrichmentService.shardCacheBytes(Settings.defaults().enrichment()), b.enrichmentBytes());
        assertTrue(b.enrichmentBytes() >= 8L * 100_000 * 32, "eight address caches of 100,000 entries");
        assertEquals(b.ringBytes() + b.overflowBytes() + b.recordBytes() + b.heldBytes() + b.templateBytes()
            + b.exporterBytes() + b.samplingBytes() + b.enrichmentBytes(), b.totalBytes());
    }

    @Test
    void shouldFitDefaultsInTheLauncherHeapAndTheUnitHeap()
    {
        assertNull(HeapBudget.of(Settings.defaults(), 512 * MIB).problem(), "bin/goflow-exporter: -Xmx512m");
        assertNull(HeapBudget.of(Settings.defaults(), 1024 * MIB).problem(), "goflow-exporter.service: -Xmx1g");
    }

    @Test
    void shouldFitShippedConfigInTheLauncherHeap() throws Exception
    {
        final Settings shipped = ConfigLoader.load(Path.of("..", "conf", "config.yaml"));
        assertNull(HeapBudget.of(shipped, 512 * MIB).problem());
    }

    @Test
    void shouldRefuseDefaultsIn128MibAndSayTheHeapTheyNeed()
    {
        final HeapBudget b = HeapBudget.of(Settings.defaults(), 128 * MIB);
        final String problem = b.problem();
        assertTrue(problem.contains("may take 64.0 MiB (50% of the maximum heap 128.0 MiB)"), problem);
        assertTrue(problem.contains("-Xmx" + b.requiredHeapMib() + "m"), problem);
        assertNull(HeapBudget.of(Settings.defaults(), b.requiredHeapMib() * MIB).problem(), "what it says is enough");
        assertTrue(HeapBudget.of(Settings.defaults(), (b.requiredHeapMib() - 1) * MIB).problem() != null);
    }

    @Test
    void shouldFit128MibWithTheSmallCapsTheDocsGive() throws Exception
    {
        final String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        final int marker = docs.indexOf("<!-- docs-config: small-heap -->");
        assertTrue(marker > 0, "docs/configuration.md: small-heap block");
        final int start = docs.indexOf("```yaml\n", marker) + "```yaml\n".length();
        final Settings small = ConfigLoader.loadString(docs.substring(start, docs.indexOf("```", start)), "small-heap");
        final HeapBudget b = HeapBudget.of(small, 128 * MIB);
        assertNull(b.problem(), () -> b.pieces() + " = " + b.totalBytes());
    }
}
