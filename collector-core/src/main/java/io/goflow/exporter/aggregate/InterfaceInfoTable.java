package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.InterfaceSettings;
import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.enrich.network.LabelStrings;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Name and speed of each (exporter, ifIndex): from {@code aggregation.interfaces} (configured),
 * NetFlow v9 / IPFIX options data (IE 82 interfaceName, IE 83 interfaceDescription, scoped by IE
 * 10 or 14) and sFlow generic interface counters (ifSpeed). A configured name or speed always wins
 * over a learned one; a learned one replaces an earlier learned one.
 *
 * <h2>Layout and bounds</h2>
 * Open addressing over parallel arrays with linear probing, {@code 2 x capacity} slots, filled at
 * most to {@code capacity} entries (configured entries first). A learned interface that finds the
 * table full is not kept and counted in {@link #droppedUpdates()}; names are {@link LabelStrings}
 * ids, themselves bounded. Nothing is evicted: interfaces are few and change rarely.
 *
 * <h2>Threads</h2>
 * One writer, the aggregation thread ({@link #learn}, lookups per record without locking). The
 * writer takes this object's monitor only to change an entry, which happens when a name or speed
 * changes, not per record; scrape threads read a consistent copy under the same monitor
 * ({@link #snapshot}).
 */
public final class InterfaceInfoTable
{
    /** Default bound on learned plus configured interfaces. */
    public static final int CAPACITY_DEFAULT = 16_384;

    private final int capacity;
    private final int mask;
    private final long[] his;
    private final long[] los;
    private final long[] indexes;
    private final int[] configNameIds;
    private final int[] learnedNameIds;
    private final long[] configSpeeds;
    private final long[] learnedSpeeds;
    private final LabelStrings strings;
    private final AtomicLong droppedUpdates = new AtomicLong();
    private int size;

    public InterfaceInfoTable(final int capacity, final List<InterfaceSettings> configured, final LabelStrings strings)
    {
        this.capacity = Math.max(capacity, configured.size());
        final int slots = Integer.highestOneBit(Math.max(4, this.capacity * 2 - 1)) << 1;
        this.mask = slots - 1;
        this.his = new long[slots];
        this.los = new long[slots];
        this.indexes = new long[slots];
        Arrays.fill(indexes, -1);
        this.configNameIds = new int[slots];
        this.learnedNameIds = new int[slots];
        Arrays.fill(configNameIds, LabelStrings.NONE);
        Arrays.fill(learnedNameIds, LabelStrings.NONE);
        this.configSpeeds = new long[slots];
        this.learnedSpeeds = new long[slots];
        this.strings = strings;
        for (final InterfaceSettings i : configured)
        {
            final int slot = slotFor(i.hi(), i.lo(), i.index());
            configNameIds[slot] = i.name().isEmpty() ? LabelStrings.NONE : strings.intern(i.name());
            configSpeeds[slot] = i.speedBps();
        }
    }

    /** @return bytes held by the arrays. */
    public long memoryBytes()
    {
        return (long)his.length * (8 * 5 + 4 * 2);
    }

    /** @return learned names or speeds not kept because the table was full; any thread. */
    public long droppedUpdates()
    {
        return droppedUpdates.get();
    }

    /**
     * Aggregation thread: learns from an options record with an interface name or an sFlow counter
     * sample's ifSpeed. Other records are ignored.
     */
    public void learn(final FlowRecord record)
    {
        if (record.kind == FlowRecord.Kind.INTERFACE_COUNTERS)
        {
            if (record.ifIndex != 0 && record.ifSpeed > 0)
            {
                final int slot = find(record.samplerAddrHi, record.samplerAddrLo, record.ifIndex);
                if (slot < 0 || learnedSpeeds[slot] != record.ifSpeed)
                {
                    learnSpeed(record.samplerAddrHi, record.samplerAddrLo, record.ifIndex, record.ifSpeed);
                }
            }
        }
        else if (record.kind == FlowRecord.Kind.OPTIONS && record.interfaceNameLength > 0)
        {
            final long ifIndex = record.inIf != 0 ? record.inIf : record.outIf;
            if (ifIndex != 0)
            {
                learnName(record, ifIndex);
            }
        }
    }

    private void learnName(final FlowRecord record, final long ifIndex)
    {
        final int slot = find(record.samplerAddrHi, record.samplerAddrLo, ifIndex);
        if (slot >= 0 && learnedNameIds[slot] != LabelStrings.NONE && sameText(strings.get(learnedNameIds[slot]), record))
        {
            return;
        }
        final String name = new String(record.interfaceName, 0, record.interfaceNameLength, StandardCharsets.UTF_8);
        final int id = strings.intern(name);
        if (id == LabelStrings.NONE)
        {
            droppedUpdates.lazySet(droppedUpdates.get() + 1);
            return;
        }
        synchronized (this)
        {
            final int s = slot >= 0 ? slot : insert(record.samplerAddrHi, record.samplerAddrLo, ifIndex);
            if (s >= 0)
            {
                learnedNameIds[s] = id;
            }
        }
    }

    private void learnSpeed(final long hi, final long lo, final long ifIndex, final long speed)
    {
        synchronized (this)
        {
            final int found = find(hi, lo, ifIndex);
            final int s = found >= 0 ? found : insert(hi, lo, ifIndex);
            if (s >= 0)
            {
                learnedSpeeds[s] = speed;
            }
        }
    }

    /** @return true when {@code text} (a sanitized interned name) equals the record's name bytes read as ASCII. */
    private static boolean sameText(final String text, final FlowRecord record)
    {
        if (text.length() != record.interfaceNameLength)
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) != (record.interfaceName[i] & 0xFF))
            {
                return false;
            }
        }
        return true;
    }

    /** @return the slot of a new entry, or -1 (counted) when the table is full. Holds the monitor. */
    private int insert(final long hi, final long lo, final long ifIndex)
    {
        if (size >= capacity)
        {
            droppedUpdates.lazySet(droppedUpdates.get() + 1);
            return -1;
        }
        return slotFor(hi, lo, ifIndex);
    }

    private int slotFor(final long hi, final long lo, final long ifIndex)
    {
        int slot = hash(hi, lo, ifIndex) & mask;
        while (indexes[slot] != -1)
        {
            if (indexes[slot] == ifIndex && his[slot] == hi && los[slot] == lo)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        his[slot] = hi;
        los[slot] = lo;
        indexes[slot] = ifIndex;
        size++;
        return slot;
    }

    /** @return the slot of (exporter, ifIndex), or -1. Aggregation thread, or under the monitor. */
    private int find(final long hi, final long lo, final long ifIndex)
    {
        int slot = hash(hi, lo, ifIndex) & mask;
        long index;
        while ((index = indexes[slot]) != -1)
        {
            if (index == ifIndex && his[slot] == hi && los[slot] == lo)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /**
     * Aggregation thread: the {@link LabelStrings} id of the interface's name (configured, else
     * learned), or {@link LabelStrings#NONE}. No allocation.
     */
    public int nameId(final long exporterHi, final long exporterLo, final long ifIndex)
    {
        if (ifIndex == 0)
        {
            return LabelStrings.NONE;
        }
        final int slot = find(exporterHi, exporterLo, ifIndex);
        if (slot < 0)
        {
            return LabelStrings.NONE;
        }
        return configNameIds[slot] != LabelStrings.NONE ? configNameIds[slot] : learnedNameIds[slot];
    }

    /** One interface as a scrape sees it. */
    public record Entry(String exporter, long ifIndex, String name, long speedBps)
    {
    }

    /** @return every interface with a known speed or name, copied under the monitor; scrape threads. */
    public synchronized List<Entry> snapshot()
    {
        final List<Entry> out = new java.util.ArrayList<>(size);
        final StringBuilder sb = new StringBuilder(40);
        for (int slot = 0; slot < indexes.length; slot++)
        {
            if (indexes[slot] == -1)
            {
                continue;
            }
            final int nameId = configNameIds[slot] != LabelStrings.NONE ? configNameIds[slot] : learnedNameIds[slot];
            final long speed = configSpeeds[slot] != 0 ? configSpeeds[slot] : learnedSpeeds[slot];
            sb.setLength(0);
            AddressText.append(sb, his[slot], los[slot]);
            out.add(new Entry(sb.toString(), indexes[slot], nameId == LabelStrings.NONE ? "" : strings.get(nameId), speed));
        }
        return out;
    }

    private static int hash(final long hi, final long lo, final long ifIndex)
    {
        long h = hi * 0x9E37_79B9_7F4A_7C15L ^ lo * 0xC2B2_AE3D_27D4_EB4FL ^ ifIndex * 0x1656_67B1_9E37_79F9L;
        h ^= h >>> 31;
        h *= 0xBF58_476D_1CE4_E5B9L;
        return (int)(h ^ (h >>> 32));
    }
}
