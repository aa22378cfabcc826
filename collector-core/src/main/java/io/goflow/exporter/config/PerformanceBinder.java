package io.goflow.exporter.config;

import java.util.List;

/** Binds {@code performance} to {@link PerformanceSettings}. */
final class PerformanceBinder extends SectionBinder<PerformanceSettings>
{
    static final int BUFFER_SIZE_MIN = 1024;
    static final int BUFFER_SIZE_MAX = 1 << 30;
    static final int WORKER_COUNT_MAX = 1024;
    static final int BATCH_SIZE_MAX = 65536;
    static final int QUEUE_SIZE_MAX = 1 << 24;
    /** Smallest ring slot: an IPFIX or v9 header and a few sets. */
    static final int RING_SLOT_BYTES_MIN = 256;
    /** Largest ring slot: 64 KiB, any UDP payload. */
    static final int RING_SLOT_BYTES_MAX = 1 << 16;
    /** Largest ring overflow area: 1 GiB. */
    static final long RING_OVERFLOW_BYTES_MAX = 1L << 30;
    static final List<String> WAIT_STRATEGIES = List.of("blocking", "yielding", "busy_spin");

    PerformanceBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    PerformanceSettings bind(final YamlFields.Section s)
    {
        final PerformanceSettings d = PerformanceSettings.defaults();
        return new PerformanceSettings(
            (int)y.integer(s, "buffer_size", d.bufferSizeBytes(), BUFFER_SIZE_MIN, BUFFER_SIZE_MAX),
            (int)y.integer(s, "worker_count", d.workerCount(), 1, WORKER_COUNT_MAX),
            (int)y.integer(s, "batch_size", d.batchSize(), 1, BATCH_SIZE_MAX),
            (int)y.integer(s, "queue_size", d.queueSize(), 1, QUEUE_SIZE_MAX),
            y.choice(s, "wait_strategy", "wait strategy", WAIT_STRATEGIES, d.waitStrategy()),
            (int)y.integer(s, "ring_slot_bytes", d.ringSlotBytes(), RING_SLOT_BYTES_MIN, RING_SLOT_BYTES_MAX),
            y.integer(s, "ring_overflow_bytes", d.ringOverflowBytes(), 0, RING_OVERFLOW_BYTES_MAX));
    }
}
