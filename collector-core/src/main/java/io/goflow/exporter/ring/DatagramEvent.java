package io.goflow.exporter.ring;

import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One slot of the ring: a received datagram on its way through decode, enrich and aggregation.
 * Preallocated by {@link DatagramEventFactory} and reused for the life of the collector.
 *
 * <h2>Ownership along the ring</h2>
 * <ol>
 *   <li>a reader thread claims the slot, {@link #reset()}s it, copies the datagram in with
 *       {@link #wrapDatagram(java.nio.ByteBuffer, int)} (or, larger than the slot, into a
 *       {@link RingOverflow} with {@link #wrapOverflow}) and sets the exporter fields;</li>
 *   <li>the decode shard whose index equals {@link #shard} decodes the bytes and adds records
 *       taken from its {@link RecordPool} (other shards only read {@link #shard} and
 *       {@link #kind});</li>
 *   <li>the aggregation handler gives the overflow units back ({@link #releaseOverflow()}), reads
 *       the records and gives them back to the pool.</li>
 * </ol>
 * The Disruptor's sequence barriers order these writes and reads; no field is volatile.
 *
 * <h2>Memory</h2>
 * The datagram buffer is fixed at construction ({@code performance.ring_slot_bytes}) and never
 * grows: a larger datagram goes to units of the ring's bounded {@link RingOverflow} for the time
 * it spends in the ring, or is dropped by the reader. The records are not owned by the slot: the decode shard takes them
 * from its {@link RecordPool} and the aggregation handler gives them back, so record memory is
 * bounded by the pools, not by the ring size, and so are the references to them, which the pool
 * keeps for the slot ({@link RecordPool#appendReference}). Nothing is allocated per datagram.
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
    /**
     * Bytes of the datagram, valid from index 0 to {@link #length} - 1: the slot's own bytes, or an
     * run of overflow units between {@link #wrapOverflow} and {@link #releaseOverflow()}.
     */
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

    private final byte[] slotBytes;
    private RingOverflow overflow;
    private int overflowFirst = -1;
    private int overflowUnits;
    private long firstRecord;
    private int recordCount;
    private RecordPool recordPool;
    private boolean discarded;

    /**
     * @param slotCapacity   bytes of the slot's own datagram buffer, fixed for its life.
     * @param maxRecords     most records this slot may hold ({@code max_records_per_datagram}).
     */
    public DatagramEvent(final int slotCapacity, final int maxRecords)
    {
        this.slotBytes = new byte[slotCapacity];
        this.buffer = new UnsafeBuffer(slotBytes);
        this.maxRecords = maxRecords;
    }

    /**
     * Clears the slot for reuse. Overflow units are normally released by aggregation already;
     * units left behind (a handler failed before releasing it) is released here.
     */
    public void reset()
    {
        releaseOverflow();
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

    /** @return bytes of the slot's own buffer: the largest datagram {@link #wrapDatagram} takes. */
    public int slotCapacity()
    {
        return slotBytes.length;
    }

    /**
     * Copies {@code length} bytes of {@code src} from its index 0 into the slot's own buffer.
     *
     * @return false, copying nothing, when {@code length} exceeds {@link #slotCapacity()}.
     */
    public boolean wrapDatagram(final java.nio.ByteBuffer src, final int length)
    {
        if (length > slotBytes.length)
        {
            return false;
        }
        buffer.putBytes(0, src, 0, length);
        this.length = length;
        return true;
    }

    /**
     * Copies {@code length} bytes of {@code src} at {@code offset} into the slot's own buffer
     * (tests, replays).
     *
     * @throws IllegalArgumentException when {@code length} exceeds {@link #slotCapacity()}.
     */
    public void wrapDatagram(final byte[] src, final int offset, final int length)
    {
        if (length > slotBytes.length)
        {
            throw new IllegalArgumentException("datagram of " + length + " bytes > slot of " + slotBytes.length);
        }
        buffer.putBytes(0, src, offset, length);
        this.length = length;
    }

    /**
     * Copies {@code length} bytes of {@code src} from its index 0 into the units of {@code area}
     * from {@code first}, which this slot then owns until {@link #releaseOverflow()}. Reader thread,
     * after {@link RingOverflow#claim(int)} for the same {@code length}.
     */
    public void wrapOverflow(final java.nio.ByteBuffer src, final int length, final RingOverflow area, final int first)
    {
        final int units = RingOverflow.unitsFor(length);
        area.wrap(buffer, first, units);
        overflow = area;
        overflowFirst = first;
        overflowUnits = units;
        buffer.putBytes(0, src, 0, length);
        this.length = length;
    }

    /** @return true while the datagram lives in the overflow area. */
    public boolean inOverflow()
    {
        return overflowFirst >= 0;
    }

    /**
     * Gives the overflow units back, if any, and points {@link #buffer} at the slot's own bytes
     * again. Aggregation thread (the last consumer), once per datagram; the bytes are not read
     * after decode.
     */
    public void releaseOverflow()
    {
        if (overflowFirst >= 0)
        {
            overflow.release(overflowFirst, overflowUnits);
            overflowFirst = -1;
            overflow = null;
            buffer.wrap(slotBytes);
        }
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
        final long position = pool.appendReference(record);
        if (recordCount++ == 0)
        {
            firstRecord = position;
            recordPool = pool;
        }
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
            pool.give(pool.reference(firstRecord + i));
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
        return recordPool.reference(firstRecord + index);
    }
}
