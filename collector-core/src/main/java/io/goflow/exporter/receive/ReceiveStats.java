package io.goflow.exporter.receive;

import java.util.List;

/**
 * Read side of one reader's {@link ReceiveCounters}, for the exposition and the
 * {@link ReceiveBufferAdvisor}. Any thread; each value is published by an ordered write of the
 * reader thread, so it never goes backwards.
 */
public interface ReceiveStats
{
    /** Ring full: the datagram was dropped by the reader. */
    int QUEUE_FULL = 0;
    /** Source address outside the listener's allow-list. */
    int ALLOW_LIST = 1;
    /** Datagram larger than the largest accepted payload (filled the receive buffer). */
    int TRUNCATED = 2;
    /** Datagram larger than a ring slot while the ring's overflow area had no room left. */
    int OVERFLOW_FULL = 3;
    /** Number of drop reasons. */
    int DROP_REASONS = 4;

    /** {@code reason} labels, by drop index. */
    List<String> DROP_LABELS = List.of("queue_full", "allow_list", "truncated", "overflow_full");

    /** @return the {@code reason} label of a drop index. */
    static String dropLabel(final int reason)
    {
        return DROP_LABELS.get(reason);
    }

    /** @return datagrams received of protocol slot {@code slot} ({@code ring.ProtocolSlot}). */
    long packets(int slot);

    /** @return UDP payload bytes received of protocol slot {@code slot}. */
    long bytes(int slot);

    /** @return datagrams dropped for drop index {@code reason} (see {@link #dropLabel}). */
    long dropped(int reason);

    /** @return socket failures that made the reader reopen its socket. */
    long socketErrors();

    /** @return datagrams received over every protocol slot. */
    long totalPackets();

    /** @return datagrams dropped for every reason. */
    long totalDropped();
}
