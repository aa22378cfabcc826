package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;

import java.util.Map;

/**
 * Exporter streams of one decode shard, keyed by (protocol, exporter address, domain) and, when
 * {@link DecoderSettings#templateKeyIncludesPort()}, the source port. Open addressing with linear
 * probing over a power-of-two array; lookups allocate nothing, a new exporter allocates its state.
 *
 * <h2>Bounds</h2>
 * Streams, template memory and held bytes are reserved in a {@link StateBudget} shared by every
 * shard: {@code max_exporters} streams over all shards and {@code max_streams_per_address} per
 * exporter address, {@code template_bytes_total} and {@code template_bytes_per_address} of template
 * memory, {@code pending_bytes_total} of held sets. {@link #onTimer} forgets a stream that has
 * neither templates nor held sets and has been silent for a template timeout. Each stream holds at
 * most {@link DecoderSettings#maxTemplatesPerExporter()} templates with at most
 * {@link ExporterState#MAX_TEMPLATE_FIELDS} fields between them, {@link ExporterState#MAX_SAMPLERS}
 * sampler rates and {@link DecoderSettings#pendingBytesPerExporter()} bytes of held sets, and
 * makes at most {@link DecoderSettings#templateUpdatesPerSecond()} template updates a second after
 * a burst (see {@link ExporterState}, "Template-update limit").
 *
 * <h2>Eviction</h2>
 * A stream that never sent data (no data set decoded with one of its templates) is on probation:
 * on a list ordered by last datagram, least recent first. When a new stream or a template is
 * refused by a cap, the least recently seen probation stream of this shard that the cap covers (of
 * the same address for a per-address cap) is forgotten to make room: its templates and held sets
 * go (held sets counted as {@link DecodeError#NO_TEMPLATE_EXPIRED}) and the eviction is counted by
 * limit. A stream that has sent data is never evicted: a flood of template-only streams, however
 * many addresses it spoofs, cannot push out an exporter that works, and a new real exporter takes
 * the place of the flood's oldest stream.
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
    private final StateBudget budget;
    private ExporterState[] slots = new ExporterState[INITIAL_CAPACITY];
    private int size;
    private long replayedSetsTotal;
    private ExporterState probationHead;
    private ExporterState probationTail;
    private volatile ExporterStats[] snapshot = NO_STATS;
    /** Template-update limit: ns between two updates at the sustained rate, 0 when disabled. */
    final long templateUpdateIntervalNs;
    /** Template-update limit: how far ahead of now a stream's due time may be, ns (the burst less one). */
    final long templateUpdateToleranceNs;
    /** The stream whose template update the limit refused last: type, address, domain; null type when none. */
    private FlowType templateRateType;
    private long templateRateAddrHi;
    private long templateRateAddrLo;
    private long templateRateDomain;

    /** A table with a budget of its own built from {@code settings} (one shard, tools, tests). */
    public ExporterTable(final DecoderSettings settings, final DecodeCounters counters)
    {
        this(settings, counters, StateBudget.of(settings));
    }

    /** @param budget the caps shared with the other shards' tables. */
    public ExporterTable(final DecoderSettings settings, final DecodeCounters counters, final StateBudget budget)
    {
        this.settings = settings;
        this.counters = counters;
        this.budget = budget;
        final int rate = settings.templateUpdatesPerSecond();
        this.templateUpdateIntervalNs = rate <= 0 ? 0 : 1_000_000_000L / rate;
        this.templateUpdateToleranceNs = (settings.templateUpdateBurst() - 1) * templateUpdateIntervalNs;
    }

    public StateBudget budget()
    {
        return budget;
    }

    /**
     * Finds or creates the stream of a datagram.
     *
     * @param port source UDP port; ignored unless templates are keyed by port.
     * @return the stream, or null when it is new and a stream cap refuses it with nothing to evict
     *         (the caller counts {@link DecodeError#EXPORTER_LIMIT}; the budget counts the limit).
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
                if (s.onProbation && s != probationTail)
                {
                    unlinkProbation(s);
                    linkProbation(s);
                }
                return s;
            }
            i = (i + 1) & mask;
        }
        StateBudget.Limit refusal;
        while ((refusal = budget.reserveStream(addrHi, addrLo)) != null)
        {
            if (!evict(refusal, addrHi, addrLo, null))
            {
                budget.refused(refusal);
                return null;
            }
        }
        s = new ExporterState(
            type, addrHi, addrLo, keyPort, domain, overrideRate(addrHi, addrLo), settings.pendingBytesPerExporter(),
            this, budget, nowNs);
        insert(s);
        linkProbation(s);
        if (size * 2 > slots.length)
        {
            rehash(slots.length * 2);
        }
        return s;
    }

    /**
     * Makes room for {@code requester}'s template memory refused by {@code limit}: evicts one
     * probation stream other than the requester. Decoding thread.
     *
     * @return true when a stream was evicted (the caller retries).
     */
    boolean evictFor(final StateBudget.Limit limit, final ExporterState requester)
    {
        return evict(limit, requester.addrHi, requester.addrLo, requester);
    }

    /** The stream decoded its first data set: it leaves probation for good. */
    void onSentData(final ExporterState s)
    {
        if (s.onProbation)
        {
            unlinkProbation(s);
        }
    }

    /** @return streams of this shard on probation (never sent data). Decoding thread. */
    public int probationCount()
    {
        int n = 0;
        for (ExporterState s = probationHead; s != null; s = s.probationNext)
        {
            n++;
        }
        return n;
    }

    /**
     * Evicts the least recently seen probation stream that {@code limit} covers: of address
     * {@code (hi, lo)} for a per-address limit, any otherwise; never {@code keep}.
     */
    private boolean evict(final StateBudget.Limit limit, final long hi, final long lo, final ExporterState keep)
    {
        final boolean sameAddress =
            limit == StateBudget.Limit.MAX_STREAMS_PER_ADDRESS || limit == StateBudget.Limit.TEMPLATE_BYTES_PER_ADDRESS;
        ExporterState victim = probationHead;
        while (victim != null && (victim == keep || (sameAddress && (victim.addrHi != hi || victim.addrLo != lo))))
        {
            victim = victim.probationNext;
        }
        if (victim == null)
        {
            return false;
        }
        remove(victim);
        budget.evicted(limit);
        return true;
    }

    /** Forgets one stream: out of the table and the probation list, its budget given back. */
    private void remove(final ExporterState s)
    {
        final int mask = slots.length - 1;
        int i = hash(s.type, s.addrHi, s.addrLo, s.port, s.domain) & mask;
        while (slots[i] != s)
        {
            i = (i + 1) & mask;
        }
        int hole = i;
        slots[hole] = null;
        size--;
        i = (hole + 1) & mask;
        ExporterState moved;
        while ((moved = slots[i]) != null)
        {
            final int home = hash(moved.type, moved.addrHi, moved.addrLo, moved.port, moved.domain) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                slots[hole] = moved;
                slots[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
        forget(s);
    }

    /** Gives back a stream's budget and unlinks it; held sets it drops count as expired. */
    private void forget(final ExporterState s)
    {
        if (s.onProbation)
        {
            unlinkProbation(s);
        }
        final int dropped = s.releaseAll();
        if (dropped > 0)
        {
            s.expiredSets += dropped;
            counters.error(s.type, DecodeError.NO_TEMPLATE_EXPIRED, dropped);
        }
        budget.releaseStream(s.addrHi, s.addrLo);
    }

    private void linkProbation(final ExporterState s)
    {
        s.onProbation = true;
        s.probationPrev = probationTail;
        s.probationNext = null;
        if (probationTail == null)
        {
            probationHead = s;
        }
        else
        {
            probationTail.probationNext = s;
        }
        probationTail = s;
    }

    private void unlinkProbation(final ExporterState s)
    {
        if (s.probationPrev == null)
        {
            probationHead = s.probationNext;
        }
        else
        {
            s.probationPrev.probationNext = s.probationNext;
        }
        if (s.probationNext == null)
        {
            probationTail = s.probationPrev;
        }
        else
        {
            s.probationNext.probationPrev = s.probationPrev;
        }
        s.probationPrev = null;
        s.probationNext = null;
        s.onProbation = false;
    }

    /** The template-update limit refused an update of {@code s}: remembered for the log. */
    void onTemplateRateRefused(final ExporterState s)
    {
        templateRateType = s.type;
        templateRateAddrHi = s.addrHi;
        templateRateAddrLo = s.addrLo;
        templateRateDomain = s.domain;
    }

    /**
     * @return the stream whose template update {@code template_updates_per_second} refused last, as
     *         "protocol address domain N", or null when none was. Allocates. Decoding thread.
     */
    public String lastTemplateRateRefusal()
    {
        return templateRateType == null ? null : templateRateType.metricLabel() + " " +
            AddressText.toString(templateRateAddrHi, templateRateAddrLo) + " domain " + templateRateDomain;
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
            if (s == null)
            {
                continue;
            }
            if (isIdle(s, deadlineNs))
            {
                forget(s);
            }
            else
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
