package io.goflow.exporter.receive;

import io.goflow.exporter.ring.ProtocolSlot;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one reader. Single writer (the reader thread: plain read + ordered write); any
 * thread reads them through {@link ReceiveStats}.
 *
 * <p>Identity: {@code packets} = datagrams published into the ring + {@link #QUEUE_FULL} +
 * {@link #ALLOW_LIST} + {@link #TRUNCATED} + {@link #OVERFLOW_FULL} (drop indexes of
 * {@link ReceiveStats}).
 */
public final class ReceiveCounters implements ReceiveStats
{
    private final AtomicLongArray packets = new AtomicLongArray(ProtocolSlot.COUNT);
    private final AtomicLongArray bytes = new AtomicLongArray(ProtocolSlot.COUNT);
    private final AtomicLongArray drops = new AtomicLongArray(DROP_REASONS);
    private final AtomicLongArray socketErrors = new AtomicLongArray(1);

    void onReceived(final int slot, final int length)
    {
        packets.lazySet(slot, packets.get(slot) + 1);
        bytes.lazySet(slot, bytes.get(slot) + length);
    }

    void onDropped(final int reason)
    {
        drops.lazySet(reason, drops.get(reason) + 1);
    }

    void onSocketError()
    {
        socketErrors.lazySet(0, socketErrors.get(0) + 1);
    }

    @Override
    public long packets(final int slot)
    {
        return packets.get(slot);
    }

    @Override
    public long bytes(final int slot)
    {
        return bytes.get(slot);
    }

    @Override
    public long dropped(final int reason)
    {
        return drops.get(reason);
    }

    @Override
    public long socketErrors()
    {
        return socketErrors.get(0);
    }

    @Override
    public long totalPackets()
    {
        long sum = 0;
        for (int i = 0; i < ProtocolSlot.COUNT; i++)
        {
            sum += packets.get(i);
        }
        return sum;
    }

    @Override
    public long totalDropped()
    {
        long sum = 0;
        for (int i = 0; i < DROP_REASONS; i++)
        {
            sum += drops.get(i);
        }
        return sum;
    }
}
