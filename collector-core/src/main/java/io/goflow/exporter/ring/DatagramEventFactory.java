package io.goflow.exporter.ring;

import com.lmax.disruptor.EventFactory;

/**
 * Preallocates the ring's {@link DatagramEvent}s.
 *
 * <p>Memory: each slot starts with {@link #INITIAL_DATAGRAM_CAPACITY} bytes and
 * {@link #INITIAL_RECORDS} records and grows on first need. With the default ring of 16,384 slots
 * that is 32 MiB of datagram buffers plus the records actually used (a v9 datagram from a router
 * carries about 20-30).
 */
public final class DatagramEventFactory implements EventFactory<DatagramEvent>
{
    /** Bytes per slot before growth: an Ethernet-MTU datagram fits. */
    public static final int INITIAL_DATAGRAM_CAPACITY = 2048;
    /** Records per slot before growth. */
    public static final int INITIAL_RECORDS = 0;

    private final int maxRecordsPerDatagram;

    public DatagramEventFactory(final int maxRecordsPerDatagram)
    {
        this.maxRecordsPerDatagram = maxRecordsPerDatagram;
    }

    @Override
    public DatagramEvent newInstance()
    {
        return new DatagramEvent(INITIAL_DATAGRAM_CAPACITY, INITIAL_RECORDS, maxRecordsPerDatagram);
    }
}
