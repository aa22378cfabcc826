package io.goflow.exporter.ring;

import com.lmax.disruptor.EventFactory;

/**
 * Preallocates the ring's {@link DatagramEvent}s.
 *
 * <p>Memory: each slot starts with {@link #INITIAL_DATAGRAM_CAPACITY} bytes and
 * {@link #INITIAL_RECORD_REFERENCES} record references and grows on first need. With the default
 * ring of 16,384 slots that is 32 MiB of datagram buffers and 2 MiB of references; decoded records
 * live in the shards' {@link RecordPool}s.
 */
public final class DatagramEventFactory implements EventFactory<DatagramEvent>
{
    /** Bytes per slot before growth: an Ethernet-MTU datagram fits. */
    public static final int INITIAL_DATAGRAM_CAPACITY = 2048;
    /** Record references per slot before growth (8 bytes each; the records live in pools). */
    public static final int INITIAL_RECORD_REFERENCES = 32;

    private final int maxRecordsPerDatagram;

    public DatagramEventFactory(final int maxRecordsPerDatagram)
    {
        this.maxRecordsPerDatagram = maxRecordsPerDatagram;
    }

    @Override
    public DatagramEvent newInstance()
    {
        return new DatagramEvent(INITIAL_DATAGRAM_CAPACITY, INITIAL_RECORD_REFERENCES, maxRecordsPerDatagram);
    }
}
