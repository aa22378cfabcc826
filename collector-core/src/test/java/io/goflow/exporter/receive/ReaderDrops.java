package io.goflow.exporter.receive;

/**
 * Lets tests outside this package count, as {@link DatagramReader#onDatagram} does, an oversize
 * datagram that a running pipeline cannot be sent (above the largest UDP payload): received, then
 * dropped as {@link ReceiveCounters#TRUNCATED}. Call it only once the reader's thread has stopped,
 * so the counters keep a single writer.
 */
public final class ReaderDrops
{
    private ReaderDrops()
    {
    }

    public static void countOversize(final DatagramReader stoppedReader, final int slot, final int length)
    {
        stoppedReader.counters().onReceived(slot, length);
        stoppedReader.counters().onDropped(ReceiveCounters.TRUNCATED);
    }
}
