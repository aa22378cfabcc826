package io.goflow.exporter.receive;

/**
 * Read side of one reader's {@link ReceiveCounters}, for the exposition and the
 * {@link ReceiveBufferAdvisor}. Any thread; each value is published by an ordered write of the
 * reader thread, so it never goes backwards.
 */
public interface ReceiveStats
{
    /** @return datagrams received of protocol slot {@code slot} ({@code ring.ProtocolSlot}). */
    long packets(int slot);

    /** @return UDP payload bytes received of protocol slot {@code slot}. */
    long bytes(int slot);

    /** @return datagrams dropped for drop index {@code reason} (see {@link ReceiveCounters#dropLabel}). */
    long dropped(int reason);

    /** @return socket failures that made the reader reopen its socket. */
    long socketErrors();

    /** @return datagrams received over every protocol slot. */
    long totalPackets();

    /** @return datagrams dropped for every reason. */
    long totalDropped();
}
