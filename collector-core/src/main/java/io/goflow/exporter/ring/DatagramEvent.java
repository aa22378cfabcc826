package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.FlowRecord;
import io.goflow.exporter.decoders.ListenerProtocol;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One slot of the ring: a received datagram on its way through decode, enrich and aggregation.
 * Preallocated by {@link DatagramEventFactory} and reused for the life of the collector.
 *
 * <h2>Ownership along the ring</h2>
 * <ol>
 *   <li>a reader thread claims the slot, {@link #reset()}s it, copies the datagram in with
 *       {@link #wrapDatagram(java.nio.ByteBuffer, int)} and sets the exporter fields;</li>
 *   <li>the decode shard whose index equals {@link #shard} decodes the bytes and adds records
 *       taken from its {@link RecordPool} (other shards only read {@link #shard} and
 *       {@link #kind});</li>
 *   <li>the aggregation handler reads the records and gives them back to the pool.</li>
 * </ol>
 * The Disruptor's sequence barriers order these writes and reads; no field is volatile.
 *
 * <h2>Growth</h2>
 * The datagram buffer starts at {@link DatagramEventFactory#INITIAL_DATAGRAM_CAPACITY} bytes and
 * grows (to the next power of two, at most the largest UDP payload + 1) the first time a larger
 * datagram lands in this slot. The records are not owned by the slot: the decode shard takes them
 * from its {@link RecordPool} and the aggregation handler gives them back, so record memory is
 * bounded by the pools, not by the ring size; the slot only keeps an array of references that
 * grows (doubling, up to {@code max_records_per_datagram}) at warm-up. After warm-up nothing is
 * allocated per datagram.
 */
public final class DatagramEvent
{
    /** What a slot carries. */
    public enum Kind
    {
        /** A received datagram for shard {@link #shard}. */
        DATAGRAM,
        /**
         * A timer tick for every shard and the aggregator: decoder housekeeping and aggregation
         * flush while no datagram arrives.
         */
        TICK
    }

    private final int maxRecords;

    public Kind kind = Kind.DATAGRAM;
    /** Bytes of the datagram, valid from index 0 to {@link #length} - 1. */
    public final UnsafeBuffer buffer;
    public int length;
    /** Source address of the datagram, network order, IPv4-mapped for IPv4. */
    public long exporterAddrHi;
    public long exporterAddrLo;
    public int exporterPort;
    public ListenerProtocol protocol = ListenerProtocol.AUTO;
    /** Slot of the detected protocol, see {@link ProtocolSlot}. */
    public int protocolSlot;
    /** Epoch ns at which the reader received the datagram (or the tick was published). */
    public long receivedNs;
    /** Index of the decode shard that owns this datagram. */
    public int shard;

    private FlowRecord[] records;
    private int recordCount;
    private RecordPool recordPool;
    private boolean discarded;

    /**
     * @param maxRecords     most records this slot may hold ({@code max_records_per_datagram}).
     * @param initialRecords references preallocated for records (the records themselves come from
     *                       the shard's {@link RecordPool}).
     */
    public DatagramEvent(final int initialDatagramCapacity, final int initialRecords, final int maxRecords)
    {
        this.buffer = new UnsafeBuffer(new byte[initialDatagramCapacity]);
        this.maxRecords = maxRecords;
        this.records = new FlowRecord[Math.min(initialRecords, maxRecords)];
    }

    /** Clears the slot for reuse; keeps the grown buffers. */
    public void reset()
    {
        kind = Kind.DATAGRAM;
        length = 0;
        exporterAddrHi = 0;
        exporterAddrLo = 0;
        exporterPort = 0;
        protocol = ListenerProtocol.AUTO;
        protocolSlot = 0;
        receivedNs = 0;
        shard = 0;
        recordCount = 0;
        recordPool = null;
        discarded = false;
    }

    /**
     * Copies {@code length} bytes of {@code src} from its index 0 into this slot, growing the
     * slot's buffer once if needed.
     */
    public void wrapDatagram(final java.nio.ByteBuffer src, final int length)
    {
        if (buffer.capacity() < length)
        {
            buffer.wrap(new byte[Math.max(length, Integer.highestOneBit(length - 1) << 1)]);
        }
        buffer.putBytes(0, src, 0, length);
        this.length = length;
    }

    /** Copies {@code length} bytes of {@code src} at {@code offset} into this slot (tests, replays). */
    public void wrapDatagram(final byte[] src, final int offset, final int length)
    {
        if (buffer.capacity() < length)
        {
            buffer.wrap(new byte[Math.max(length, Integer.highestOneBit(length - 1) << 1)]);
        }
        buffer.putBytes(0, src, offset, length);
        this.length = length;
    }

    /** @return true when this datagram holds as many records as a datagram may. */
    public boolean atRecordCap()
    {
        return recordCount >= maxRecords;
    }

    /**
     * Appends a record taken from {@code pool}; the aggregation handler gives it back with
     * {@link #releaseRecords()}. Decode shard only; the caller checks {@link #atRecordCap()} first.
     */
    public void addRecord(final FlowRecord record, final RecordPool pool)
    {
        if (recordCount == records.length)
        {
            records = java.util.Arrays.copyOf(records, (int)Math.min(maxRecords, Math.max(8L, records.length * 2L)));
        }
        records[recordCount++] = record;
        recordPool = pool;
    }

    /**
     * Gives every record back to the pool it came from and forgets them. Aggregation thread only,
     * once per datagram, after the records have been read.
     */
    public void releaseRecords()
    {
        final RecordPool pool = recordPool;
        for (int i = 0; i < recordCount; i++)
        {
            pool.give(records[i]);
            records[i] = null;
        }
        recordCount = 0;
    }

    /**
     * Marks the records as not to be aggregated (a shard failed half-way through the datagram);
     * they are still released to their pool by the aggregation handler.
     */
    public void discardRecords()
    {
        discarded = true;
    }

    /** @return true when the records must not be aggregated, see {@link #discardRecords()}. */
    public boolean recordsDiscarded()
    {
        return discarded;
    }

    public int recordCount()
    {
        return recordCount;
    }

    public FlowRecord record(final int index)
    {
        return records[index];
    }
}
