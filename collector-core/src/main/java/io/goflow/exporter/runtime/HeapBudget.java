package io.goflow.exporter.runtime;

import io.goflow.exporter.config.PerformanceSettings;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.template.ExporterState;
import io.goflow.exporter.enrich.EnrichmentService;
import io.goflow.exporter.ring.DatagramEventFactory;
import io.goflow.exporter.ring.RecordPool;
import io.goflow.exporter.ring.RingOverflow;
import io.goflow.exporter.ring.Rings;

import java.util.Locale;

/**
 * The heap the bounded pipeline state may take at most, from the settings, checked at start-up
 * against the JVM's maximum heap ({@link Runtime#maxMemory()}): ring slots and overflow area,
 * record pools and enrichment caches (allocated at start), held data sets, template memory,
 * exporter streams and sampling state (their caps). Their sum must fit in
 * {@link #HEAP_SHARE_PERCENT} percent of the maximum heap; the rest is left to aggregation's
 * on-heap index, scrapes and GC headroom. Otherwise {@link #problem()} says the sum, each piece
 * with its key, and the -Xmx it needs. The off-heap aggregation tables are checked separately,
 * against the direct memory limit.
 *
 * @param ringBytes      {@code performance.queue_size} (rounded up) × ({@code ring_slot_bytes} + overhead).
 * @param overflowBytes  {@code performance.ring_overflow_bytes}, whole units.
 * @param recordBytes    record pools over every shard (fixed by {@code worker_count}).
 * @param heldBytes      {@code decoder.pending_bytes_total}.
 * @param templateBytes  {@code decoder.template_bytes_total}.
 * @param exporterBytes  {@code decoder.max_exporters} × {@link ExporterState#STREAM_BYTES}.
 * @param samplingBytes  per shard, {@code decoder.max_exporters} × {@link ExporterSamplingTable#EXPORTER_BYTES_MAX}.
 * @param enrichmentBytes per shard, the address cache of {@code enrichment.cache_size} and the city table
 *                       (allocated at start).
 * @param maxHeapBytes   the JVM's maximum heap.
 */
public record HeapBudget(
    long ringBytes,
    long overflowBytes,
    long recordBytes,
    long heldBytes,
    long templateBytes,
    long exporterBytes,
    long samplingBytes,
    long enrichmentBytes,
    long maxHeapBytes)
{
    /** Share of the maximum heap the bounded state may take. */
    public static final int HEAP_SHARE_PERCENT = 50;

    private static final double MIB = 1024.0 * 1024.0;

    /** @return the budget of {@code settings} in a JVM whose maximum heap is {@code maxHeapBytes}. */
    public static HeapBudget of(final Settings settings, final long maxHeapBytes)
    {
        final PerformanceSettings perf = settings.performance();
        final DecoderSettings decoder = settings.decoder();
        final int slots = Rings.ringSize(perf.queueSize());
        return new HeapBudget(
            DatagramEventFactory.ringBytes(slots, perf.ringSlotBytes()),
            perf.ringOverflowBytes() / RingOverflow.UNIT_BYTES * RingOverflow.UNIT_BYTES,
            RecordPool.defaultBytes(perf.workerCount()),
            decoder.pendingBytesTotal(),
            decoder.templateBytesTotal(),
            (long)decoder.maxExporters() * ExporterState.STREAM_BYTES,
            (long)perf.workerCount() * decoder.maxExporters() * ExporterSamplingTable.EXPORTER_BYTES_MAX,
            perf.workerCount() * EnrichmentService.shardCacheBytes(settings.enrichment()),
            maxHeapBytes);
    }

    /** @return the sum of every piece, bytes. */
    public long totalBytes()
    {
        return ringBytes + overflowBytes + recordBytes + heldBytes + templateBytes + exporterBytes + samplingBytes +
            enrichmentBytes;
    }

    /** @return bytes the pieces may take: {@link #HEAP_SHARE_PERCENT} of the maximum heap. */
    public long allowedBytes()
    {
        return maxHeapBytes * HEAP_SHARE_PERCENT / 100;
    }

    /** @return the smallest -Xmx in MiB that fits {@link #totalBytes()}. */
    public long requiredHeapMib()
    {
        return (long)Math.ceil(totalBytes() * 100.0 / HEAP_SHARE_PERCENT / MIB);
    }

    /** @return null when the pieces fit, else the message that refuses the configuration. */
    public String problem()
    {
        if (totalBytes() <= allowedBytes())
        {
            return null;
        }
        return String.format(Locale.ROOT,
            "memory budget: the bounded state needs %s but may take %s (%d%% of the maximum heap %s): %s. "
                + "Raise the heap to at least -Xmx%dm (JAVA_OPTS) or lower those keys",
            mib(totalBytes()), mib(allowedBytes()), HEAP_SHARE_PERCENT, mib(maxHeapBytes), pieces(), requiredHeapMib());
    }

    /** @return every piece with its size and the key that sets it. */
    public String pieces()
    {
        return "ring " + mib(ringBytes) + " (performance.queue_size, performance.ring_slot_bytes), "
            + "ring overflow " + mib(overflowBytes) + " (performance.ring_overflow_bytes), "
            + "record pools " + mib(recordBytes) + " (fixed), "
            + "held sets " + mib(heldBytes) + " (decoder.pending_bytes_total), "
            + "templates " + mib(templateBytes) + " (decoder.template_bytes_total), "
            + "exporter streams " + mib(exporterBytes) + " (decoder.max_exporters × " + ExporterState.STREAM_BYTES + " B), "
            + "sampling tables " + mib(samplingBytes) + " (decoder.max_exporters × performance.worker_count), "
            + "enrichment caches " + mib(enrichmentBytes) + " (enrichment.cache_size × performance.worker_count)";
    }

    private static String mib(final long bytes)
    {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }
}
