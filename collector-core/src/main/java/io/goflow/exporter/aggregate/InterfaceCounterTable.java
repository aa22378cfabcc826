package io.goflow.exporter.aggregate;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest sFlow generic interface counters (RFC 3176 / sFlow v5 {@code if_counters}) per
 * (exporter, ifIndex), in a bounded off-heap {@link SeriesTable}. Values are kept as the agent
 * reported them (the agent's own counters, not deltas), so they export as counters whose wraps and
 * agent restarts Prometheus sees as resets.
 *
 * <pre>
 * key (24 bytes):   exporter address hi, lo (IPv4-mapped) | ifIndex (8)
 * value (80 bytes): speed bps | in octets | out octets | in packets | out packets |
 *                   in errors | out errors | in discards | out discards | ifDirection
 * </pre>
 * When the table is full, samples of new interfaces are dropped and counted in
 * {@link #droppedSamples()}; interfaces not reported for longer than the series TTL are evicted.
 * Writer: the aggregation thread. Readers: scrape threads through {@link Cursor}.
 */
public final class InterfaceCounterTable
{
    /** Default number of (exporter, ifIndex) pairs kept. */
    public static final int CAPACITY_DEFAULT = 16_384;

    /** Value fields, in record order. */
    public enum Field
    {
        SPEED_BPS, IN_OCTETS, OUT_OCTETS, IN_PACKETS, OUT_PACKETS, IN_ERRORS, OUT_ERRORS, IN_DISCARDS, OUT_DISCARDS, DIRECTION
    }

    private static final int KEY_LENGTH = 24;
    private static final Field[] FIELDS = Field.values();

    private final SeriesTable table;
    private final long ttlNs;
    private final UnsafeBuffer keyScratch = new UnsafeBuffer(new byte[KEY_LENGTH]);
    private final AtomicLong droppedSamples = new AtomicLong();

    public InterfaceCounterTable(final int capacity, final long ttlNs)
    {
        this.table = new SeriesTable(capacity, KEY_LENGTH, FIELDS.length * 8, 0);
        this.ttlNs = ttlNs;
    }

    public long memoryBytes()
    {
        return table.memoryBytes() + KEY_LENGTH;
    }

    /** @return off-heap bytes a table of {@code capacity} interfaces allocates. */
    public static long offHeapBytes(final int capacity)
    {
        return SeriesTable.offHeapBytes(capacity, KEY_LENGTH, FIELDS.length * 8, 0);
    }

    public int size()
    {
        return table.size();
    }

    /** @return samples of new interfaces dropped because the table was full; any thread. */
    public long droppedSamples()
    {
        return droppedSamples.get();
    }

    /** Aggregation thread: stores the counters of an {@link FlowRecord.Kind#INTERFACE_COUNTERS} record. */
    public void onInterfaceCounters(final FlowRecord record, final long nowNs)
    {
        keyScratch.putLong(0, record.samplerAddrHi, ByteOrder.BIG_ENDIAN);
        keyScratch.putLong(8, record.samplerAddrLo, ByteOrder.BIG_ENDIAN);
        keyScratch.putLong(16, record.ifIndex, ByteOrder.BIG_ENDIAN);
        final int hash = table.hashOf(keyScratch, 0);
        int id = table.find(keyScratch, 0, hash);
        if (id < 0)
        {
            id = table.insert(keyScratch, 0, hash, nowNs);
            if (id < 0)
            {
                droppedSamples.lazySet(droppedSamples.get() + 1);
                return;
            }
        }
        final UnsafeBuffer store = table.store();
        final int recordOffset = table.recordOffset(id);
        final int value = recordOffset + table.valueOffset();
        table.beginWrite(id);
        try
        {
            store.putLong(recordOffset + SeriesTable.LAST_SEEN_OFFSET, nowNs);
            store.putLong(value, record.ifSpeed);
            store.putLong(value + 8, record.ifInOctets);
            store.putLong(value + 16, record.ifOutOctets);
            store.putLong(value + 24, record.ifInPackets);
            store.putLong(value + 32, record.ifOutPackets);
            store.putLong(value + 40, record.ifInErrors);
            store.putLong(value + 48, record.ifOutErrors);
            store.putLong(value + 56, record.ifInDiscards);
            store.putLong(value + 64, record.ifOutDiscards);
            store.putLong(value + 72, record.ifDirection);
        }
        finally
        {
            table.endWrite(id);
        }
    }

    /** Aggregation thread: evicts interfaces not reported for longer than the TTL. */
    public void evictIdle(final long nowNs)
    {
        table.evictIdle(nowNs, ttlNs, AggregationView.EVICTION_BUDGET);
    }

    public Cursor newCursor()
    {
        return new Cursor();
    }

    /** Scrape-side reader, one per scrape thread. */
    public final class Cursor
    {
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[table.recordLength()]);
        private long nowNs;

        public Cursor at(final long nowNs)
        {
            this.nowNs = nowNs;
            return this;
        }

        public int limit()
        {
            return table.highWaterMark();
        }

        /** @return true when entry {@code id} is live and reported within the TTL. */
        public boolean read(final int id)
        {
            return table.read(id, scratch) &&
                nowNs - scratch.getLong(SeriesTable.LAST_SEEN_OFFSET) <= ttlNs;
        }

        public long value(final Field field)
        {
            return scratch.getLong(table.valueOffset() + field.ordinal() * 8);
        }

        public long ifIndex()
        {
            return scratch.getLong(SeriesTable.KEY_OFFSET + 16, ByteOrder.BIG_ENDIAN);
        }

        public StringBuilder appendExporter(final StringBuilder sb)
        {
            final long hi = scratch.getLong(SeriesTable.KEY_OFFSET, ByteOrder.BIG_ENDIAN);
            final long lo = scratch.getLong(SeriesTable.KEY_OFFSET + 8, ByteOrder.BIG_ENDIAN);
            return hi == 0 && lo == 0 ? sb : AddressText.append(sb, hi, lo);
        }
    }
}
