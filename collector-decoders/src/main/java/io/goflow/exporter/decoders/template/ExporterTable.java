package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.AddressText;
import io.goflow.exporter.decoders.DecodeCounters;
import io.goflow.exporter.decoders.DecodeError;
import io.goflow.exporter.decoders.DecoderSettings;
import io.goflow.exporter.decoders.FlowType;

import java.util.Map;

/**
 * Exporter streams of one decode shard, keyed by (protocol, exporter address, domain) and, when
 * {@link DecoderSettings#templateKeyIncludesPort()}, the source port. Open addressing with linear
 * probing over a power-of-two array; lookups allocate nothing, a new exporter allocates its state.
 *
 * <h2>Bounds</h2>
 * At most {@link DecoderSettings#maxExporters()} streams; {@link #onTimer} forgets a stream that has
 * neither templates nor held sets and has been silent for a template timeout. Each stream holds at
 * most {@link DecoderSettings#maxTemplatesPerExporter()} templates with at most
 * {@link ExporterState#MAX_TEMPLATE_FIELDS} fields between them, {@link ExporterState#MAX_SAMPLERS}
 * sampler rates and {@link DecoderSettings#pendingBytesPerExporter()} bytes of held sets.
 *
 * <h2>Threads</h2>
 * Every method except {@link #forEachExporter} belongs to the decoding thread. {@link #onTimer}
 * publishes an immutable snapshot through a volatile field; {@link #forEachExporter} reads that
 * snapshot and is safe from any thread (for example a metrics scrape). The snapshot is as recent
 * as the last {@code onTimer}.
 */
public final class ExporterTable
{
    private static final int INITIAL_CAPACITY = 64;
    private static final ExporterStats[] NO_STATS = new ExporterStats[0];

    private final DecoderSettings settings;
    private final DecodeCounters counters;
    private ExporterState[] slots = new ExporterState[INITIAL_CAPACITY];
    private int size;
    private long replayedSetsTotal;
    private volatile ExporterStats[] snapshot = NO_STATS;

    public ExporterTable(final DecoderSettings settings, final DecodeCounters counters)
    {
        this.settings = settings;
        this.counters = counters;
    }

    /**
     * Finds or creates the stream of a datagram.
     *
     * @param port source UDP port; ignored unless templates are keyed by port.
     * @return the stream, or null when it is new and the exporter cap is reached (the caller counts
     *         {@link DecodeError#EXPORTER_LIMIT}).
     */
    public ExporterState lookup(
        final FlowType type,
        final long addrHi,
        final long addrLo,
        final int port,
        final long domain,
        final long nowNs)
    {
        final int keyPort = settings.templateKeyIncludesPort() ? port : -1;
        final int mask = slots.length - 1;
        int i = hash(type, addrHi, addrLo, keyPort, domain) & mask;
        ExporterState s;
        while ((s = slots[i]) != null)
        {
            if (s.addrLo == addrLo && s.addrHi == addrHi && s.domain == domain && s.port == keyPort && s.type == type)
            {
                s.lastSeenNs = nowNs;
                return s;
            }
            i = (i + 1) & mask;
        }
        if (size >= settings.maxExporters())
        {
            return null;
        }
        s = new ExporterState(
            type, addrHi, addrLo, keyPort, domain, overrideRate(addrHi, addrLo), settings.pendingBytesPerExporter(), nowNs);
        slots[i] = s;
        size++;
        if (size * 2 > slots.length)
        {
            rehash(slots.length * 2);
        }
        return s;
    }

    /** @return exporter streams tracked. Decoding thread. */
    public int size()
    {
        return size;
    }

    /** @return held sets replayed since start, over every stream. Decoding thread. */
    public long replayedSetsTotal()
    {
        return replayedSetsTotal;
    }

    void addReplayed(final ExporterState s, final int sets)
    {
        s.replayedSets += sets;
        replayedSetsTotal += sets;
    }

    /**
     * Expires templates not refreshed for {@link DecoderSettings#templateTimeoutNs()} and held sets
     * older than {@link DecoderSettings#pendingTimeoutNs()} (each counted as
     * {@link DecodeError#NO_TEMPLATE_EXPIRED}), forgets idle empty streams, and publishes the
     * statistics snapshot. Decoding thread. Allocates the snapshot.
     */
    public void onTimer(final long nowNs)
    {
        final long templateDeadline = nowNs - settings.templateTimeoutNs();
        final long pendingDeadline = nowNs - settings.pendingTimeoutNs();
        int idle = 0;
        for (final ExporterState s : slots)
        {
            if (s == null)
            {
                continue;
            }
            s.expireTemplates(templateDeadline);
            final int expired = s.held.expire(pendingDeadline);
            if (expired > 0)
            {
                s.expiredSets += expired;
                counters.error(s.type, DecodeError.NO_TEMPLATE_EXPIRED, expired);
            }
            if (isIdle(s, templateDeadline))
            {
                idle++;
            }
        }
        if (idle > 0)
        {
            removeIdle(templateDeadline);
        }
        final ExporterStats[] stats = new ExporterStats[size];
        int n = 0;
        for (final ExporterState s : slots)
        {
            if (s != null)
            {
                stats[n++] = ExporterStats.of(s);
            }
        }
        snapshot = stats;
    }

    /** Visits the snapshot published by the last {@link #onTimer}. Safe from any thread. */
    public void forEachExporter(final ExporterStatsVisitor visitor)
    {
        for (final ExporterStats stats : snapshot)
        {
            visitor.onExporter(stats);
        }
    }

    private static boolean isIdle(final ExporterState s, final long deadlineNs)
    {
        return s.templateCount() == 0 && s.held.count() == 0 && s.lastSeenNs - deadlineNs < 0;
    }

    private void removeIdle(final long deadlineNs)
    {
        final ExporterState[] old = slots;
        slots = new ExporterState[old.length];
        size = 0;
        for (final ExporterState s : old)
        {
            if (s != null && !isIdle(s, deadlineNs))
            {
                insert(s);
            }
        }
    }

    private void rehash(final int capacity)
    {
        final ExporterState[] old = slots;
        slots = new ExporterState[capacity];
        size = 0;
        for (final ExporterState s : old)
        {
            if (s != null)
            {
                insert(s);
            }
        }
    }

    private void insert(final ExporterState s)
    {
        final int mask = slots.length - 1;
        int i = hash(s.type, s.addrHi, s.addrLo, s.port, s.domain) & mask;
        while (slots[i] != null)
        {
            i = (i + 1) & mask;
        }
        slots[i] = s;
        size++;
    }

    private long overrideRate(final long addrHi, final long addrLo)
    {
        final Map<String, Long> overrides = settings.samplingOverrides();
        if (overrides == null || overrides.isEmpty())
        {
            return 0;
        }
        final Long rate = overrides.get(AddressText.toString(addrHi, addrLo));
        return rate == null || rate < 0 ? 0 : rate;
    }

    private static int hash(
        final FlowType type, final long addrHi, final long addrLo, final int port, final long domain)
    {
        long h = addrHi * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ addrLo) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ domain ^ ((long)port << 32) ^ ((long)type.ordinal() << 48)) * 0x9E37_79B9_7F4A_7C15L;
        return (int)(h ^ (h >>> 32));
    }
}
