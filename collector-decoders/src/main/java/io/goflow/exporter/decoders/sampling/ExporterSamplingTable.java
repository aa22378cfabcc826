package io.goflow.exporter.decoders.sampling;

import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;
import java.util.ArrayList;
import java.util.List;

/**
 * The sampling state of each exporter of one decode shard: which {@link SamplingSource}s gave the
 * rates applied to its flow records, and the last rate from each. An exporter that never announces
 * sampling is normal, so this is a state per exporter (published as
 * {@code flow_exporter_sampling_rate{exporter, protocol, source}}), not an error per record.
 *
 * <h2>Use</h2>
 * A decoder calls {@link #count} for every flow record (two array writes) and {@link #flush} once
 * per set, sample batch or datagram, which folds the tally into the exporter's entry (one hash
 * lookup). {@link #onTimer} publishes each exporter's sources seen since the previous timer (an
 * exporter with no record in between keeps its last published state) and forgets exporters silent
 * for longer than the idle timeout.
 *
 * <h2>Bounds</h2>
 * Keyed by (protocol, exporter address): at most {@code maxExporters} entries. A slot is about
 * {@code 36 + 8 * SamplingSource.count()} = 84 bytes of parallel arrays, kept at most half full, so
 * about 170 bytes per exporter (under 0.7 MiB at the default 4096), plus the published snapshot
 * (one small record per exporter and source). A further exporter is not tracked (its records are
 * decoded as usual).
 *
 * <h2>Threads</h2>
 * Every method except {@link #forEachExporter} belongs to the decoding thread; the snapshot is
 * published through a volatile field and {@link #forEachExporter} is safe from any thread.
 */
public final class ExporterSamplingTable
{
    private static final int SOURCES = SamplingSource.count();
    /**
     * Heap one exporter may cost here at most, bytes: its slot in the seven arrays and its entries in
     * the published snapshot, one per source. ExporterSamplingTableTest measures 805 bytes allocated
     * per exporter for a full table with every source (all growth steps and one snapshot included),
     * so what stays allocated is below this.
     */
    public static final int EXPORTER_BYTES_MAX = 1024;
    private static final int INITIAL_CAPACITY = 16;
    private static final List<ExporterSampling> NONE = List.of();

    /**
     * One published (exporter, source) state.
     *
     * @param type   protocol of the exporter's datagrams.
     * @param addrHi exporter address (sFlow agent address), high 64 bits; IPv4-mapped for IPv4.
     * @param addrLo low 64 bits.
     * @param source where the rate came from.
     * @param rate   last 1-in-N rate applied from this source; 1 for {@link SamplingSource#NONE}.
     */
    public record ExporterSampling(FlowType type, long addrHi, long addrLo, SamplingSource source, long rate)
    {
    }

    /** Receives one published state; called on the thread that asked. */
    @FunctionalInterface
    public interface Visitor
    {
        void onExporterSampling(ExporterSampling sampling);
    }

    private final int maxExporters;
    private final long idleTimeoutNs;
    private final long[] tallyRates = new long[SOURCES];
    private int tallyMask;

    private FlowType[] types = new FlowType[INITIAL_CAPACITY];
    private long[] his = new long[INITIAL_CAPACITY];
    private long[] los = new long[INITIAL_CAPACITY];
    private long[] lastSeenNs = new long[INITIAL_CAPACITY];
    private int[] seenMasks = new int[INITIAL_CAPACITY];
    private int[] publishedMasks = new int[INITIAL_CAPACITY];
    private long[] rates = new long[INITIAL_CAPACITY * SOURCES];
    private int size;
    private volatile List<ExporterSampling> snapshot = NONE;

    /**
     * @param maxExporters  most exporters tracked.
     * @param idleTimeoutNs an exporter without records for this long is forgotten.
     */
    public ExporterSamplingTable(final int maxExporters, final long idleTimeoutNs)
    {
        this.maxExporters = Math.max(1, maxExporters);
        this.idleTimeoutNs = idleTimeoutNs;
    }

    /** A table bounded like the v9/IPFIX exporter table of {@code settings}. */
    public static ExporterSamplingTable of(final DecoderSettings settings)
    {
        return new ExporterSamplingTable(settings.maxExporters(), settings.templateTimeoutNs());
    }

    /** Tallies one flow record whose rate came from {@code source}. Decoding thread. */
    public void count(final SamplingSource source, final long rate)
    {
        tallyMask |= 1 << source.ordinal();
        tallyRates[source.ordinal()] = source == SamplingSource.NONE ? 1 : rate;
    }

    /** Folds the tally since the last flush into the exporter's entry, then clears it. Decoding thread. */
    public void flush(final FlowType type, final long addrHi, final long addrLo, final long nowNs)
    {
        if (tallyMask == 0)
        {
            return;
        }
        final int slot = slot(type, addrHi, addrLo);
        if (slot >= 0)
        {
            seenMasks[slot] |= tallyMask;
            lastSeenNs[slot] = nowNs;
            for (int s = 0, mask = tallyMask; mask != 0; s++, mask >>>= 1)
            {
                if ((mask & 1) != 0)
                {
                    rates[slot * SOURCES + s] = tallyRates[s];
                }
            }
        }
        tallyMask = 0;
    }

    /** @return exporters tracked. Decoding thread. */
    public int size()
    {
        return size;
    }

    /**
     * Publishes the state of every exporter and forgets those idle since {@code nowNs - idleTimeout}.
     * Decoding thread; allocates the snapshot.
     */
    public void onTimer(final long nowNs)
    {
        final List<ExporterSampling> out = new ArrayList<>();
        final long deadline = nowNs - idleTimeoutNs;
        boolean idle = false;
        for (int i = 0; i < types.length; i++)
        {
            if (types[i] == null)
            {
                continue;
            }
            if (lastSeenNs[i] - deadline < 0)
            {
                idle = true;
                continue;
            }
            if (seenMasks[i] != 0)
            {
                publishedMasks[i] = seenMasks[i];
                seenMasks[i] = 0;
            }
            for (int s = 0; s < SOURCES; s++)
            {
                if ((publishedMasks[i] & (1 << s)) != 0)
                {
                    out.add(new ExporterSampling(types[i], his[i], los[i], SamplingSource.fromOrdinal(s), rates[i * SOURCES + s]));
                }
            }
        }
        if (idle)
        {
            rebuild(types.length, deadline);
        }
        snapshot = List.copyOf(out);
    }

    /** Visits the state published by the last {@link #onTimer}. Safe from any thread. */
    public void forEachExporter(final Visitor visitor)
    {
        for (final ExporterSampling s : snapshot)
        {
            visitor.onExporterSampling(s);
        }
    }

    private int slot(final FlowType type, final long addrHi, final long addrLo)
    {
        int mask = types.length - 1;
        int i = hash(type, addrHi, addrLo) & mask;
        while (types[i] != null)
        {
            if (los[i] == addrLo && his[i] == addrHi && types[i] == type)
            {
                return i;
            }
            i = (i + 1) & mask;
        }
        if (size >= maxExporters)
        {
            return -1;
        }
        if ((size + 1) * 2 > types.length)
        {
            rebuild(types.length * 2, Long.MIN_VALUE);
            return slot(type, addrHi, addrLo);
        }
        types[i] = type;
        his[i] = addrHi;
        los[i] = addrLo;
        size++;
        return i;
    }

    /** Re-inserts every entry seen at or after {@code deadlineNs} into tables of {@code capacity}. */
    private void rebuild(final int capacity, final long deadlineNs)
    {
        final FlowType[] oldTypes = types;
        final long[] oldHis = his;
        final long[] oldLos = los;
        final long[] oldSeen = lastSeenNs;
        final int[] oldSeenMasks = seenMasks;
        final int[] oldPublished = publishedMasks;
        final long[] oldRates = rates;
        types = new FlowType[capacity];
        his = new long[capacity];
        los = new long[capacity];
        lastSeenNs = new long[capacity];
        seenMasks = new int[capacity];
        publishedMasks = new int[capacity];
        rates = new long[capacity * SOURCES];
        size = 0;
        final int mask = capacity - 1;
        for (int j = 0; j < oldTypes.length; j++)
        {
            if (oldTypes[j] == null || (deadlineNs != Long.MIN_VALUE && oldSeen[j] - deadlineNs < 0))
            {
                continue;
            }
            int i = hash(oldTypes[j], oldHis[j], oldLos[j]) & mask;
            while (types[i] != null)
            {
                i = (i + 1) & mask;
            }
            types[i] = oldTypes[j];
            his[i] = oldHis[j];
            los[i] = oldLos[j];
            lastSeenNs[i] = oldSeen[j];
            seenMasks[i] = oldSeenMasks[j];
            publishedMasks[i] = oldPublished[j];
            System.arraycopy(oldRates, j * SOURCES, rates, i * SOURCES, SOURCES);
            size++;
        }
    }

    private static int hash(final FlowType type, final long addrHi, final long addrLo)
    {
        long h = addrHi * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ addrLo ^ ((long)type.ordinal() << 48)) * 0x9E37_79B9_7F4A_7C15L;
        return (int)(h ^ (h >>> 32));
    }
}
