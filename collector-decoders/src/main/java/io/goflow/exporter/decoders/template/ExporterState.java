package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;

import java.util.Iterator;

/**
 * Everything remembered about one exporter stream, i.e. one (protocol, exporter address,
 * observation domain / source ID) and, when configured, source port: its templates and options
 * templates, its sampling state, its sequence tracking and its held data sets.
 *
 * <h2>Sampling state</h2>
 * Options data records that carry a rate (IE 34, 50, 305/306, 309/310, 311) are remembered by
 * sampler ID (IE 48 or 302) when the options record has one, otherwise as this exporter's default
 * rate. A record without sampler ID uses the default rate, else the rate of the only sampler ID
 * known (Wireshark's truth uses no rate there; no shared capture has that case). Rates are only known once their options record has been seen: a data record decoded before
 * that gets no rate from options, as a live collector would (the truth files' {@code *_scaled_online}).
 *
 * <h2>Sequence numbers</h2>
 * v9 (RFC 3954 section 5.1) counts export datagrams, IPFIX (RFC 7011 section 3.1) counts data
 * records, both modulo 2^32. A forward jump smaller than the protocol's {@code maxGap} is a gap
 * (lost = jump); a backward jump of at most {@code reorderWindow} is a late datagram (counted, the
 * expectation is kept); anything else is taken as an exporter restart: the tracker resyncs and
 * counts a reset instead of a huge loss. v9 uses {@link #checkSequence} and {@link #expectSequence};
 * IPFIX uses {@link #recordSequence}, which first learns how the exporter counts.
 *
 * <h2>IPFIX sequence conventions</h2>
 * RFC 7011 section 3.1 makes the sequence number of message n the count of all data records
 * (options data records included) sent before it: {@code seq(n) = seq(n-1) + all(n-1)}. Real
 * exporters deviate on two independent points, so four conventions are tracked:
 * <ul>
 *   <li>{@link #PRE_ALL} (the RFC): {@code seq(n) = seq(n-1) + all(n-1)};</li>
 *   <li>{@link #PRE_FLOW}: {@code seq(n) = seq(n-1) + flow(n-1)}, options data records not counted;</li>
 *   <li>{@link #POST_ALL}: {@code seq(n) = seq(n-1) + all(n)}, counted after the message's own records;</li>
 *   <li>{@link #POST_FLOW}: {@code seq(n) = seq(n-1) + flow(n)}. softflowd 1.1.0 does this: message 1
 *       carries seq 20 with 20 flow records and 1 options record, message 2 seq 24 with 4 flow
 *       records, message 3 seq 48 with 24. Read as the RFC it would lose 17 records at message 2.</li>
 * </ul>
 * where {@code all} counts every data record of a message and {@code flow} those not described by
 * an options template. Each step between two countable messages (every set decoded) is evaluated
 * after decoding the second, against the stream's candidate set (initially all four):
 * <ol>
 *   <li>the conventions that explain the step with zero loss are worked out;</li>
 *   <li>if some candidates explain it, the candidates narrow to those: no loss;</li>
 *   <li>otherwise, if other conventions explain it, the stream switches to them <em>provisionally</em>:
 *       no loss is counted now, but the loss the old candidates saw is kept pending. The next step
 *       explained only by the new candidates confirms the switch and discards it; the next step
 *       explained only by the old ones reverts the switch and counts the pending gap. So a real
 *       loss that a wrong convention explains by coincidence (drop 10 records between messages of
 *       24 and 14 records: post-flow reads 10 lost, pre-flow reads none) is still counted, one
 *       message late;</li>
 *   <li>otherwise the step is judged under the first candidate in the order above: a forward jump
 *       below {@code maxGap} is a gap whose loss is the jump, a short backward jump a late
 *       message (the previous message stays the reference), anything else a reset (resync).</li>
 * </ol>
 * Candidates survive resets: a restarted exporter runs the same code. A message with a held set
 * (data before its template), a malformed set or a cut at the record cap has an unknown record
 * count, so its step is not judged and the next message starts a new chain (loss across it is not
 * seen); counting held records on replay would need the post conventions to wait for a template
 * that may never come.
 *
 * <h2>Template-update limit</h2>
 * A new or changed template or options template, or a withdrawal that removes one, is an update;
 * an identical re-send (RFC 7011 section 8.1, RFC 3954 section 5: exporters repeat their templates
 * every so many packets or seconds) is not, and is never limited. Updates pass a GCRA (ITU-T I.371
 * virtual scheduling, i.e. a token bucket in one long): {@code template_updates_per_second} sustained
 * with a burst of {@link DecoderSettings#templateUpdateBurst()}, on the receive time of the
 * datagram. Beyond it the update is refused ({@link DecodeError#TEMPLATE_RATE}) and the stored
 * definitions stay in force, so data keeps decoding with them; data is never limited.
 *
 * <p>Owned by the decoding thread; statistics reach other threads only through
 * {@link ExporterTable#forEachExporter}.
 */
public final class ExporterState
{
    /** v9: a forward jump of at least this many datagrams is a restart, not a loss. */
    public static final long V9_MAX_GAP = 1L << 16;
    /** IPFIX: a forward jump of at least this many records is a restart, not a loss. */
    public static final long IPFIX_MAX_GAP = 1L << 24;
    /** A backward jump up to this far is a reordered (late) datagram. */
    public static final long V9_REORDER_WINDOW = 64;
    public static final long IPFIX_REORDER_WINDOW = 64 * 64;

    /**
     * Most template fields kept per stream, over all its templates: bounds the memory a stream can
     * claim (about 16 bytes per field) whatever its template count. More is {@code TEMPLATE_LIMIT}.
     */
    public static final int MAX_TEMPLATE_FIELDS = 65_536;
    /** Most sampler IDs remembered per stream; rates for further IDs are ignored (memory bound). */
    public static final int MAX_SAMPLERS = 1024;
    /**
     * Heap bytes accounted per stream ({@link StateBudget}): the state, its two maps at their
     * initial size, its hold buffer object, its share of the shard's table and of the per-address
     * table, and its statistics snapshot. Measured at 977 bytes ({@code ExporterTableTest}); rounded up.
     */
    public static final int STREAM_BYTES = 1152;
    /** Heap bytes accounted per remembered sampler ID (a {@code Long2LongHashMap} entry at load 0.5). */
    public static final int SAMPLER_BYTES = 32;
    /** Heap bytes accounted per template besides its fields: the object, two array headers, a map entry. */
    public static final int TEMPLATE_BASE_BYTES = 192;
    /** Heap bytes accounted per template field: the definition triple and the program word. */
    public static final int TEMPLATE_FIELD_BYTES = 16;

    /** IPFIX convention bit: RFC 7011, {@code seq(n) = seq(n-1) + all(n-1)}. */
    public static final int PRE_ALL = 1;
    /** IPFIX convention bit: {@code seq(n) = seq(n-1) + flow(n-1)}. */
    public static final int PRE_FLOW = 1 << 1;
    /** IPFIX convention bit: {@code seq(n) = seq(n-1) + all(n)}. */
    public static final int POST_ALL = 1 << 2;
    /** IPFIX convention bit: {@code seq(n) = seq(n-1) + flow(n)} (softflowd). */
    public static final int POST_FLOW = 1 << 3;
    /** Every IPFIX convention: nothing learnt yet. */
    public static final int ANY_CONVENTION = PRE_ALL | PRE_FLOW | POST_ALL | POST_FLOW;

    private static final long SEQUENCE_MASK = 0xFFFF_FFFFL;

    final FlowType type;
    final long addrHi;
    final long addrLo;
    final int port;
    final long domain;
    final long overrideRate;
    final Int2ObjectHashMap<Template> templates = new Int2ObjectHashMap<>();
    final Long2LongHashMap samplerRates = new Long2LongHashMap(0);
    final HeldSetBuffer held;
    final StateBudget budget;
    final ExporterTable table;

    int templateFields;
    /** Template memory reserved in {@link #budget} for this stream (templates and samplers). */
    long templateBytes;
    /** True once a data set was decoded with one of its templates: protected from eviction. */
    boolean sentData;
    /** Links of the table's list of streams that never sent data, least recently seen first. */
    ExporterState probationPrev;
    ExporterState probationNext;
    boolean onProbation;
    long optionsDefaultRate;
    long onlySamplerRate;
    long systemInitMs;
    long lastSeenNs;
    /**
     * Template-update limit: the time, epoch ns, at which the stream's bucket is full again (GCRA's
     * theoretical arrival time); an update is allowed while it is at most the tolerance ahead of now.
     */
    long templateUpdateDueNs;

    boolean sequenceKnown;
    long expectedSequence;
    long sequenceGaps;
    long sequenceLost;
    long sequenceLate;
    long sequenceResets;

    /** IPFIX: sequence number and record counts of the last countable message. */
    long previousSequence;
    int previousAllRecords;
    int previousFlowRecords;
    /** IPFIX: conventions consistent with the steps seen so far ({@link #PRE_ALL}...). */
    int conventions = ANY_CONVENTION;
    /** IPFIX: candidates before a provisional switch, 0 when none is pending. */
    int pendingConventions;
    /** IPFIX: records the pending candidates counted lost at the switch. */
    long pendingLost;

    long heldSets;
    long replayedSets;
    long expiredSets;
    long refusedSets;

    ExporterState(
        final FlowType type,
        final long addrHi,
        final long addrLo,
        final int port,
        final long domain,
        final long overrideRate,
        final int pendingBytes,
        final ExporterTable table,
        final StateBudget budget,
        final long nowNs)
    {
        this.type = type;
        this.addrHi = addrHi;
        this.addrLo = addrLo;
        this.port = port;
        this.domain = domain;
        this.overrideRate = overrideRate;
        this.held = new HeldSetBuffer(pendingBytes, budget);
        this.table = table;
        this.budget = budget;
        this.lastSeenNs = nowNs;
        this.templateUpdateDueNs = nowNs;
    }

    public FlowType type()
    {
        return type;
    }

    public long addrHi()
    {
        return addrHi;
    }

    public long addrLo()
    {
        return addrLo;
    }

    /** @return the source port when templates are keyed by port, otherwise -1. */
    public int port()
    {
        return port;
    }

    public long domain()
    {
        return domain;
    }

    /**
     * Looks up the template of a data set. A hit means the stream sends data its templates describe:
     * the first one takes the stream off the table's eviction list for good. Allocation-free.
     *
     * @return the template with this id, or null.
     */
    public Template template(final int templateId)
    {
        final Template t = templates.get(templateId);
        if (t != null && !sentData)
        {
            sentData = true;
            table.onSentData(this);
        }
        return t;
    }

    /** @return true once the stream has sent data its templates describe (never evicted). */
    public boolean sentData()
    {
        return sentData;
    }

    /** @return template memory accounted for this stream, bytes (templates and samplers). */
    public long templateBytes()
    {
        return templateBytes;
    }

    /** @return heap bytes accounted for a template of {@code fieldCount} fields. */
    public static long templateBytes(final int fieldCount)
    {
        return TEMPLATE_BASE_BYTES + (long)TEMPLATE_FIELD_BYTES * fieldCount;
    }

    public int templateCount()
    {
        return templates.size();
    }

    /**
     * Stores a validated template definition, or refreshes the stored one when identical. A new or
     * changed definition passes the template-update limit, then is reserved in the shared
     * {@link StateBudget}; when template memory is full the table evicts streams that never sent
     * data (least recently seen first) to make room, never this one.
     *
     * @param nowNs receive time of the datagram, epoch ns.
     * @return null when stored, {@link DecodeError#TEMPLATE_LIMIT} when refused by
     *         {@code max_templates_per_exporter} or {@link #MAX_TEMPLATE_FIELDS},
     *         {@link DecodeError#TEMPLATE_RATE} when refused by {@code template_updates_per_second},
     *         or {@link DecodeError#TEMPLATE_MEMORY} when refused by template memory.
     */
    public DecodeError putTemplate(
        final int templateId,
        final int kind,
        final int scopeFieldCount,
        final int[] definition,
        final int fieldCount,
        final int maxTemplates,
        final long nowNs)
    {
        final Template existing = templates.get(templateId);
        if (existing != null && existing.sameDefinition(kind, scopeFieldCount, definition, fieldCount))
        {
            existing.lastSeenNs(nowNs);
            return null;
        }
        final int fieldsAfter = templateFields - (existing == null ? 0 : existing.fieldCount()) + fieldCount;
        if ((existing == null && templates.size() >= maxTemplates) || fieldsAfter > MAX_TEMPLATE_FIELDS)
        {
            budget.refused(StateBudget.Limit.MAX_TEMPLATES_PER_EXPORTER);
            return DecodeError.TEMPLATE_LIMIT;
        }
        if (!templateUpdateAllowed(nowNs))
        {
            return DecodeError.TEMPLATE_RATE;
        }
        final long bytes = templateBytes(fieldCount);
        if (!reserveTemplateMemory(bytes, 1))
        {
            return DecodeError.TEMPLATE_MEMORY;
        }
        spendTemplateUpdate(nowNs);
        templates.put(templateId, Template.compile(templateId, kind, scopeFieldCount, definition, fieldCount, nowNs));
        templateFields = fieldsAfter;
        if (existing != null)
        {
            releaseTemplate(existing);
        }
        return null;
    }

    /**
     * RFC 7011 section 8.1: withdraws one template, an update for the template-update limit when it
     * exists (withdrawing an unknown template changes nothing and costs nothing).
     *
     * @param nowNs receive time of the datagram, epoch ns.
     * @return null when withdrawn or unknown, {@link DecodeError#TEMPLATE_RATE} when refused (the
     *         template stays).
     */
    public DecodeError withdrawTemplate(final int templateId, final long nowNs)
    {
        if (!templates.containsKey(templateId))
        {
            return null;
        }
        if (!templateUpdateAllowed(nowNs))
        {
            return DecodeError.TEMPLATE_RATE;
        }
        spendTemplateUpdate(nowNs);
        final Template removed = templates.remove(templateId);
        templateFields -= removed.fieldCount();
        releaseTemplate(removed);
        return null;
    }

    /**
     * RFC 7011 section 8.1: withdraws every template of {@code kind}, one update for the
     * template-update limit when there is any.
     *
     * @param nowNs receive time of the datagram, epoch ns.
     * @return null when withdrawn or none, {@link DecodeError#TEMPLATE_RATE} when refused (the
     *         templates stay).
     */
    public DecodeError withdrawAll(final int kind, final long nowNs)
    {
        if (!hasTemplateOf(kind))
        {
            return null;
        }
        if (!templateUpdateAllowed(nowNs))
        {
            return DecodeError.TEMPLATE_RATE;
        }
        spendTemplateUpdate(nowNs);
        final Iterator<Template> it = templates.values().iterator();
        while (it.hasNext())
        {
            final Template t = it.next();
            if (t.kind() == kind)
            {
                it.remove();
                templateFields -= t.fieldCount();
                releaseTemplate(t);
            }
        }
        return null;
    }

    private boolean hasTemplateOf(final int kind)
    {
        for (final Template t : templates.values())
        {
            if (t.kind() == kind)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true when the template-update limit allows one more update at {@code nowNs}; when
     *         it refuses, counted by {@link StateBudget.Limit#TEMPLATE_UPDATES_PER_SECOND}. A due
     *         time further ahead than one full bucket (the epoch clock stepped back) is pulled in
     *         to it, so a clock step costs at most one burst's refill time.
     */
    private boolean templateUpdateAllowed(final long nowNs)
    {
        final long intervalNs = table.templateUpdateIntervalNs;
        if (intervalNs == 0)
        {
            return true;
        }
        final long toleranceNs = table.templateUpdateToleranceNs;
        if (templateUpdateDueNs - nowNs > toleranceNs + intervalNs)
        {
            templateUpdateDueNs = nowNs + toleranceNs + intervalNs;
        }
        if (templateUpdateDueNs - nowNs > toleranceNs)
        {
            budget.refused(StateBudget.Limit.TEMPLATE_UPDATES_PER_SECOND);
            table.onTemplateRateRefused(this);
            return false;
        }
        return true;
    }

    /** Spends one update of the template-update limit at {@code nowNs} (after it was allowed). */
    private void spendTemplateUpdate(final long nowNs)
    {
        final long dueNs = templateUpdateDueNs - nowNs < 0 ? nowNs : templateUpdateDueNs;
        templateUpdateDueNs = dueNs + table.templateUpdateIntervalNs;
    }

    /** Drops templates not refreshed since {@code olderThanNs}. @return how many. */
    int expireTemplates(final long olderThanNs)
    {
        int removed = 0;
        final Iterator<Template> it = templates.values().iterator();
        while (it.hasNext())
        {
            final Template t = it.next();
            if (t.lastSeenNs() - olderThanNs < 0)
            {
                it.remove();
                templateFields -= t.fieldCount();
                releaseTemplate(t);
                removed++;
            }
        }
        return removed;
    }

    /**
     * Gives back everything this stream holds in the budget: templates, samplers, held sets.
     *
     * @return held sets dropped.
     */
    int releaseAll()
    {
        budget.releaseTemplate(addrHi, addrLo, templateBytes, templates.size());
        templateBytes = 0;
        templates.clear();
        samplerRates.clear();
        templateFields = 0;
        return held.clear();
    }

    /**
     * Reserves template memory, evicting other streams that never sent data while it is refused.
     *
     * @return false when refused (counted by the limit that refused it).
     */
    private boolean reserveTemplateMemory(final long bytes, final int count)
    {
        StateBudget.Limit refusal;
        while ((refusal = budget.reserveTemplate(addrHi, addrLo, bytes, count)) != null)
        {
            if (!table.evictFor(refusal, this))
            {
                budget.refused(refusal);
                return false;
            }
        }
        templateBytes += bytes;
        return true;
    }

    private void releaseTemplate(final Template t)
    {
        final long bytes = templateBytes(t.fieldCount());
        budget.releaseTemplate(addrHi, addrLo, bytes, 1);
        templateBytes -= bytes;
    }

    /** @return the configured override rate for this exporter, 0 when none. */
    public long overrideRate()
    {
        return overrideRate;
    }

    /** @return the rate announced in options for {@code samplerId}, 0 when unknown. */
    public long samplerRate(final long samplerId)
    {
        return samplerRates.get(samplerId);
    }

    /**
     * @return the rate of the only sampler ID announced in options, 0 when none or several: used for
     *         records that carry no sampler ID (Cisco exports the sampler in options but not always
     *         in the records).
     */
    public long onlySamplerRate()
    {
        return onlySamplerRate;
    }

    /** @return the rate announced in options without a sampler ID, 0 when unknown. */
    public long optionsDefaultRate()
    {
        return optionsDefaultRate;
    }

    /** @return systemInitTimeMilliseconds (IE 160) last announced in options, 0 when unknown. */
    public long systemInitMs()
    {
        return systemInitMs;
    }

    void samplingFromOptions(final boolean hasSamplerId, final long samplerId, final long rate)
    {
        if (hasSamplerId)
        {
            final boolean known = samplerRates.containsKey(samplerId);
            if (known || (samplerRates.size() < MAX_SAMPLERS && reserveTemplateMemory(SAMPLER_BYTES, 0)))
            {
                samplerRates.put(samplerId, rate);
                onlySamplerRate = samplerRates.size() == 1 ? rate : 0;
            }
        }
        else
        {
            optionsDefaultRate = rate;
        }
    }

    /**
     * Checks a header sequence number against the expectation.
     *
     * @return true when the expectation should move on from this datagram; false for a late one.
     */
    public boolean checkSequence(final long sequence, final long maxGap, final long reorderWindow)
    {
        if (!sequenceKnown)
        {
            return true;
        }
        final long delta = (sequence - expectedSequence) & SEQUENCE_MASK;
        if (delta == 0)
        {
            return true;
        }
        if (delta < maxGap)
        {
            sequenceGaps++;
            sequenceLost += delta;
            return true;
        }
        if (SEQUENCE_MASK + 1 - delta <= reorderWindow)
        {
            sequenceLate++;
            return false;
        }
        sequenceResets++;
        return true;
    }

    /** Sets the sequence number the next datagram should carry. */
    public void expectSequence(final long next)
    {
        expectedSequence = next & SEQUENCE_MASK;
        sequenceKnown = true;
    }

    /** Forgets the expectation (records of this datagram could not be counted). */
    public void forgetSequence()
    {
        sequenceKnown = false;
    }

    /**
     * Judges one decoded IPFIX message against the previous countable one, learning the exporter's
     * convention (see the class Javadoc, "IPFIX sequence conventions").
     *
     * @param sequence    header sequence number.
     * @param allRecords  data records of the message, options data records included.
     * @param flowRecords data records of the message described by (non-options) templates.
     * @param countable   false when some set could not be counted: the chain restarts after it.
     */
    public void recordSequence(
        final long sequence,
        final int allRecords,
        final int flowRecords,
        final boolean countable,
        final long maxGap,
        final long reorderWindow)
    {
        if (!countable)
        {
            sequenceKnown = false;
            return;
        }
        if (!sequenceKnown)
        {
            rememberMessage(sequence, allRecords, flowRecords);
            return;
        }
        final int explaining = explainingConventions(sequence, allRecords, flowRecords);
        if ((explaining & conventions) != 0)
        {
            conventions &= explaining;
            pendingConventions &= explaining;
        }
        else if ((explaining & pendingConventions) != 0)
        {
            conventions = explaining & pendingConventions;
            pendingConventions = 0;
            countGap(pendingLost);
        }
        else if (explaining != 0)
        {
            final long lost = deltaUnder(firstOf(conventions), sequence, allRecords, flowRecords);
            pendingConventions = conventions;
            pendingLost = lost < maxGap ? lost : 0;
            conventions = explaining;
        }
        else
        {
            final long delta = deltaUnder(firstOf(conventions), sequence, allRecords, flowRecords);
            if (delta < maxGap)
            {
                countGap(delta);
            }
            else if (SEQUENCE_MASK + 1 - delta <= reorderWindow)
            {
                sequenceLate++;
                return;
            }
            else
            {
                sequenceResets++;
            }
        }
        rememberMessage(sequence, allRecords, flowRecords);
    }

    /** @return the IPFIX conventions still consistent with this stream ({@link #PRE_ALL}...). */
    public int sequenceConventions()
    {
        return conventions;
    }

    private void rememberMessage(final long sequence, final int allRecords, final int flowRecords)
    {
        previousSequence = sequence;
        previousAllRecords = allRecords;
        previousFlowRecords = flowRecords;
        sequenceKnown = true;
    }

    private void countGap(final long lost)
    {
        if (lost > 0)
        {
            sequenceGaps++;
            sequenceLost += lost;
        }
    }

    private int explainingConventions(final long sequence, final int allRecords, final int flowRecords)
    {
        int explaining = 0;
        for (int convention = PRE_ALL; convention <= POST_FLOW; convention <<= 1)
        {
            if (deltaUnder(convention, sequence, allRecords, flowRecords) == 0)
            {
                explaining |= convention;
            }
        }
        return explaining;
    }

    /** @return (sequence - expected) modulo 2^32 when the stream follows {@code convention}. */
    private long deltaUnder(final int convention, final long sequence, final int allRecords, final int flowRecords)
    {
        final long step = switch (convention)
        {
            case PRE_ALL -> previousAllRecords;
            case PRE_FLOW -> previousFlowRecords;
            case POST_ALL -> allRecords;
            default -> flowRecords;
        };
        return (sequence - previousSequence - step) & SEQUENCE_MASK;
    }

    private static int firstOf(final int conventionSet)
    {
        return Integer.lowestOneBit(conventionSet);
    }

    public long sequenceGaps()
    {
        return sequenceGaps;
    }

    /** @return datagrams (v9) or records (IPFIX) missing according to sequence numbers. */
    public long sequenceLost()
    {
        return sequenceLost;
    }

    public long sequenceLate()
    {
        return sequenceLate;
    }

    public long sequenceResets()
    {
        return sequenceResets;
    }

    public HeldSetBuffer held()
    {
        return held;
    }

    /** @return sets held since creation (not counted as errors until they expire). */
    public long heldSets()
    {
        return heldSets;
    }

    /** @return held sets decoded once their template arrived. */
    public long replayedSets()
    {
        return replayedSets;
    }

    /** @return held sets dropped because their template did not arrive in time. */
    public long expiredSets()
    {
        return expiredSets;
    }

    /** @return sets refused because the hold buffer was full or disabled. */
    public long refusedSets()
    {
        return refusedSets;
    }

    public long lastSeenNs()
    {
        return lastSeenNs;
    }
}
