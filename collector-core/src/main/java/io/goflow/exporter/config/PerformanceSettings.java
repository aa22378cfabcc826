package io.goflow.exporter.config;

/**
 * {@code performance}.
 *
 * @param bufferSizeBytes  {@code buffer_size}: requested SO_RCVBUF per socket, bytes. Default 65536
 *                         (the spec's value). The request is never below the kernel default
 *                         {@code net.core.rmem_default} (see {@code ReceiveBufferAdvisor}); raise it
 *                         for high packet rates, the log says by how much.
 * @param workerCount      {@code worker_count}: decode/enrich shards. Default 8.
 * @param batchSize        {@code batch_size}: most ring events the aggregation handler processes
 *                         between flushes. Default 100.
 * @param queueSize        {@code queue_size}: ring size in datagrams, rounded up to a power of
 *                         two. Default 10000 (ring of 16384).
 * @param waitStrategy     {@code wait_strategy}: {@code blocking}, {@code yielding} or
 *                         {@code busy_spin}. Default {@code blocking}.
 * @param ringSlotBytes    {@code ring_slot_bytes}: datagram bytes preallocated in each ring slot,
 *                         fixed at start. Default 2048 (every Ethernet-MTU datagram fits).
 * @param ringOverflowBytes {@code ring_overflow_bytes}: bytes of the area for datagrams larger than a
 *                         slot, in 16 KiB units (a datagram takes 1 to 4), fixed at start. Default
 *                         4 MiB (256 jumbo datagrams in flight); 0 drops them ({@code overflow_full}).
 */
public record PerformanceSettings(
    int bufferSizeBytes,
    int workerCount,
    int batchSize,
    int queueSize,
    String waitStrategy,
    int ringSlotBytes,
    long ringOverflowBytes)
{
    public static final int BUFFER_SIZE_DEFAULT = 65536;
    public static final int WORKER_COUNT_DEFAULT = 8;
    public static final int BATCH_SIZE_DEFAULT = 100;
    public static final int QUEUE_SIZE_DEFAULT = 10000;
    public static final String WAIT_STRATEGY_DEFAULT = "blocking";
    public static final int RING_SLOT_BYTES_DEFAULT = 2048;
    public static final long RING_OVERFLOW_BYTES_DEFAULT = 4L << 20;

    /** Settings with the default ring slot and overflow sizes. */
    public PerformanceSettings(
        final int bufferSizeBytes,
        final int workerCount,
        final int batchSize,
        final int queueSize,
        final String waitStrategy)
    {
        this(bufferSizeBytes, workerCount, batchSize, queueSize, waitStrategy, RING_SLOT_BYTES_DEFAULT,
            RING_OVERFLOW_BYTES_DEFAULT);
    }

    public static PerformanceSettings defaults()
    {
        return new PerformanceSettings(
            BUFFER_SIZE_DEFAULT, WORKER_COUNT_DEFAULT, BATCH_SIZE_DEFAULT, QUEUE_SIZE_DEFAULT, WAIT_STRATEGY_DEFAULT);
    }
}
