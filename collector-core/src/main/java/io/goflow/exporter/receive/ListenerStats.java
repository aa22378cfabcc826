package io.goflow.exporter.receive;

/**
 * What the receive stage exports per listener: the listener as bound and its reader's counters.
 * Implemented by {@link DatagramReader}; read by scrape threads, never written through.
 */
public interface ListenerStats
{
    /** @return the listener as bound (port chosen by the kernel when 0 was asked). */
    BoundListener bound();

    /** @return the reader's counters, read side. */
    ReceiveStats counters();
}
