package io.goflow.exporter.decode;

import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.ring.ProtocolSlot;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one decode shard, next to its decoder's own
 * {@link io.goflow.exporter.decoders.api.DecodeCounters}. Single writer (the shard thread: plain read
 * + ordered write); any thread reads them through {@link DecodeStageStats}.
 *
 * <p>Identities per shard:
 * <ul>
 *   <li>{@code processed} (datagrams taken from the ring) = datagrams the decoder accepted (sum of
 *       {@code DecodeCounters.datagrams}) + {@link #totalUndecoded()}, where undecoded datagrams
 *       are counted by the {@link DecodeError} of the decoder's whole-datagram rejection
 *       ({@code DecodeCounters.rejected}), or {@link #UNDECODED_MALFORMED} when the decoder gave
 *       the datagram no outcome (it threw before accepting or rejecting the header);</li>
 *   <li>records the decoder emitted = {@code parsedRecords} + {@code interfaceCounterRecords} +
 *       {@link #tooManyRecords()} + {@link #shutdownDropped()} + {@link #exceptionDropped()} (options
 *       records are not kept).</li>
 * </ul>
 */
public final class DecodeStageCounters implements DecodeStageStats
{
    private static final int TYPES = FlowType.values().length;

    private final AtomicLongArray processed = new AtomicLongArray(ProtocolSlot.COUNT);
    private final AtomicLongArray undecoded = new AtomicLongArray(UNDECODED_REASONS);
    private final AtomicLongArray parsedRecords = new AtomicLongArray(TYPES);
    private final AtomicLongArray single = new AtomicLongArray(5);

    void onProcessed(final int slot)
    {
        processed.lazySet(slot, processed.get(slot) + 1);
    }

    /** Counts a datagram the decoder rejected whole for {@code reason}. */
    void onUndecoded(final DecodeError reason)
    {
        onUndecoded(reason.ordinal());
    }

    /** Counts a datagram the decoder gave no outcome. */
    void onUndecodedMalformed()
    {
        onUndecoded(UNDECODED_MALFORMED);
    }

    private void onUndecoded(final int reason)
    {
        undecoded.lazySet(reason, undecoded.get(reason) + 1);
    }

    void onParsedRecord(final FlowType type)
    {
        final int i = type.ordinal();
        parsedRecords.lazySet(i, parsedRecords.get(i) + 1);
    }

    void onInterfaceCounterRecord()
    {
        single.lazySet(0, single.get(0) + 1);
    }

    void onTooManyRecords()
    {
        single.lazySet(1, single.get(1) + 1);
    }

    void onPoolWait()
    {
        single.lazySet(2, single.get(2) + 1);
    }

    void onShutdownDrop()
    {
        single.lazySet(3, single.get(3) + 1);
    }

    void onParsedRecordDiscarded(final FlowType type)
    {
        final int i = type.ordinal();
        parsedRecords.lazySet(i, parsedRecords.get(i) - 1);
    }

    void onInterfaceCounterRecordDiscarded()
    {
        single.lazySet(0, single.get(0) - 1);
    }

    void onExceptionDropped(final int records)
    {
        single.lazySet(4, single.get(4) + records);
    }

    @Override
    public long processed(final int slot)
    {
        return processed.get(slot);
    }

    @Override
    public long totalProcessed()
    {
        return sum(processed);
    }

    @Override
    public long undecoded(final int reason)
    {
        return undecoded.get(reason);
    }

    @Override
    public long undecoded(final DecodeError reason)
    {
        return undecoded.get(reason.ordinal());
    }

    @Override
    public long totalUndecoded()
    {
        return sum(undecoded);
    }

    @Override
    public long parsedRecords(final FlowType type)
    {
        return parsedRecords.get(type.ordinal());
    }

    @Override
    public long totalParsedRecords()
    {
        return sum(parsedRecords);
    }

    @Override
    public long interfaceCounterRecords()
    {
        return single.get(0);
    }

    @Override
    public long tooManyRecords()
    {
        return single.get(1);
    }

    @Override
    public long poolWaits()
    {
        return single.get(2);
    }

    @Override
    public long exceptionDropped()
    {
        return single.get(4);
    }

    @Override
    public long shutdownDropped()
    {
        return single.get(3);
    }

    private static long sum(final AtomicLongArray counters)
    {
        long sum = 0;
        for (int i = 0; i < counters.length(); i++)
        {
            sum += counters.get(i);
        }
        return sum;
    }
}
