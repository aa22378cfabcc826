package io.goflow.exporter.decode;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.template.ExporterStatsVisitor;
import io.goflow.exporter.enrich.FlowEnricher;
import io.goflow.exporter.log.RateLimitedLogger;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.RecordPool;
import org.agrona.concurrent.EpochNanoClock;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;

import java.util.concurrent.locks.LockSupport;

/**
 * Decode and enrich shard {@code shardIndex} of {@code shardCount}: runs on its own thread, sees
 * every ring event, and works only on datagrams whose {@link DatagramEvent#shard} is its index.
 * Since readers shard by exporter (and template domain), one exporter's templates and data are
 * decoded in arrival order by this one thread and its own {@link ShardDecoder}.
 *
 * <p>Each record is copied into a record of this shard's {@link RecordPool}, enriched in place and
 * added to the event for the aggregation handler behind all shards, which gives it back to the
 * pool. When the pool is empty the shard waits for aggregation (backpressure: datagrams then
 * queue in the ring, where a full ring drops and counts them). A datagram with more records than
 * {@code max_records_per_datagram} or than the pool holds loses the excess, counted as
 * {@code too_many_records}.
 *
 * <p>An exception from the decoder or enricher discards the datagram's records (none is
 * aggregated, all go back to the pool; counted as {@code exception}) and goes to the ring's
 * exception handler, which counts and logs it; the shard goes on with the next event.
 *
 * <p>Housekeeping: {@link ShardDecoder#onTimer} runs on every {@link DatagramEvent.Kind#TICK}
 * and, when ticks cannot get into a full ring, at an end of batch at least
 * {@link #TIMER_INTERVAL_NS} after the last run. A timer run that finds template updates refused by
 * {@code template_updates_per_second} since the last one logs it, rate-limited, with the last
 * stream refused.
 */
public final class DecodeHandler implements EventHandler<DatagramEvent>, FlowSink, ShardStats
{
    /** Longest time between two {@link ShardDecoder#onTimer} calls while events flow. */
    public static final long TIMER_INTERVAL_NS = 1_000_000_000L;

    /** Waiting for the pool: spin this many times, then yield, then park for 50 µs at a time. */
    private static final int POOL_SPINS = 100;
    private static final int POOL_YIELDS = 100;
    private static final long POOL_PARK_NS = 50_000;

    private static final RateLimitedLogger TEMPLATE_RATE_LOG =
        new RateLimitedLogger(LogManager.getLogger(DecodeHandler.class), Level.WARN);

    private final int shardIndex;
    private final ShardDecoder decoder;
    private final FlowEnricher enricher;
    private final EpochNanoClock clock;
    private final DecodeStageCounters counters = new DecodeStageCounters();
    private final RecordPool pool;
    /** The current datagram's exporter, port, listener and receive time, refilled per datagram. */
    private final DatagramSource source = new DatagramSource();
    private Sequence sequenceCallback;
    private long currentSequence;
    private DatagramEvent current;
    private int countedInEvent;
    private long lastTimerNs;
    /** {@link DecodeError#TEMPLATE_RATE} refusals of this shard seen by the last timer run. */
    private long templateRateRefusals;
    private volatile boolean halted;

    /** A shard with its own pool of {@link RecordPool#DEFAULT_CAPACITY} records. */
    public DecodeHandler(
        final int shardIndex, final ShardDecoder decoder, final FlowEnricher enricher, final EpochNanoClock clock)
    {
        this(shardIndex, decoder, enricher, clock, new RecordPool(RecordPool.DEFAULT_CAPACITY));
    }

    /**
     * @param pool the records this shard may have in flight; a datagram with more records than the
     *             pool holds loses the excess ({@code too_many_records}).
     */
    public DecodeHandler(
        final int shardIndex,
        final ShardDecoder decoder,
        final FlowEnricher enricher,
        final EpochNanoClock clock,
        final RecordPool pool)
    {
        this.shardIndex = shardIndex;
        this.decoder = decoder;
        this.enricher = enricher;
        this.clock = clock;
        this.pool = pool;
        this.lastTimerNs = clock.nanoTime();
    }

    /** Lets the shard release events it has finished before its batch ends (see {@link #takeRecord()}). */
    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.sequenceCallback = sequenceCallback;
    }

    /** Stops waiting for records: called when the ring is halted without draining. */
    public void halt()
    {
        halted = true;
    }

    @Override
    public void onEvent(final DatagramEvent event, final long sequence, final boolean endOfBatch)
    {
        currentSequence = sequence;
        if (event.kind == DatagramEvent.Kind.TICK)
        {
            runTimer(event.receivedNs);
            return;
        }
        if (event.shard == shardIndex)
        {
            decode(event);
        }
        if (endOfBatch)
        {
            final long nowNs = clock.nanoTime();
            if (nowNs - lastTimerNs >= TIMER_INTERVAL_NS)
            {
                runTimer(nowNs);
            }
        }
    }

    /**
     * Decodes one datagram of this shard. The decoder gives it exactly one outcome in its
     * {@link DecodeCounters} (accepted or rejected whole); a rejection is counted here as
     * undecoded by its reason, a datagram with no outcome (the decoder threw first) as
     * {@link DecodeStageCounters#UNDECODED_MALFORMED}.
     */
    private void decode(final DatagramEvent event)
    {
        final DecodeCounters dc = decoder.counters();
        final long outcomesBefore = dc.outcomes();
        counters.onProcessed(event.protocolSlot);
        current = event;
        countedInEvent = 0;
        source.set(event.protocol, event.exporterAddrHi, event.exporterAddrLo, event.exporterPort, event.receivedNs);
        try
        {
            decoder.decode(source, event.buffer, 0, event.length, this);
        }
        catch (final RuntimeException | Error ex)
        {
            event.discardRecords();
            uncount(event);
            throw ex;
        }
        finally
        {
            current = null;
            if (dc.outcomes() == outcomesBefore)
            {
                counters.onUndecodedMalformed();
            }
            else
            {
                final DecodeError rejection = dc.lastRejection();
                if (rejection != null)
                {
                    counters.onUndecoded(rejection);
                }
            }
        }
    }

    /** Sink for the decoder: copies, enriches and keeps a flow record in the current event. */
    @Override
    public void onFlowRecord(final FlowRecord record)
    {
        final FlowRecord slot = slotFor(record);
        if (slot != null)
        {
            slot.kind = FlowRecord.Kind.FLOW;
            enricher.enrich(slot);
            counters.onParsedRecord(slot.type);
            countedInEvent++;
        }
    }

    /**
     * Keeps interface counter samples and options records that name an interface (IE 82/83) for
     * aggregation; other options records are not kept.
     */
    @Override
    public void onOtherRecord(final FlowRecord record)
    {
        final boolean keep = record.kind == FlowRecord.Kind.INTERFACE_COUNTERS ||
            record.kind == FlowRecord.Kind.OPTIONS && record.interfaceNameLength > 0;
        if (keep && slotFor(record) != null)
        {
            counters.onInterfaceCounterRecord();
            countedInEvent++;
        }
    }

    /**
     * Takes back the counts of a datagram whose records are discarded after an exception, so that
     * parsed records stay equal to what aggregation receives; they are counted as
     * {@code exception} instead (the record being enriched when it failed was never counted).
     */
    private void uncount(final DatagramEvent event)
    {
        for (int i = 0; i < countedInEvent; i++)
        {
            final FlowRecord record = event.record(i);
            if (record.kind == FlowRecord.Kind.FLOW)
            {
                counters.onParsedRecordDiscarded(record.type);
            }
            else
            {
                counters.onInterfaceCounterRecordDiscarded();
            }
        }
        counters.onExceptionDropped(event.recordCount());
    }

    /** @return a pool record holding a copy of {@code record}, added to the current event; or null. */
    private FlowRecord slotFor(final FlowRecord record)
    {
        if (current.atRecordCap())
        {
            counters.onTooManyRecords();
            return null;
        }
        final FlowRecord slot = takeRecord();
        if (slot == null)
        {
            if (halted)
            {
                counters.onShutdownDrop();
            }
            else
            {
                counters.onTooManyRecords();
            }
            return null;
        }
        slot.copyFrom(record);
        current.addRecord(slot, pool);
        return slot;
    }

    /**
     * Takes a record from the pool, waiting while aggregation gives records back. Before waiting
     * the shard publishes the sequence before the current event as done (the Disruptor's
     * sequence callback), so that aggregation can consume, and release the records of, every
     * earlier event. The only records that cannot come back are the current datagram's own, so
     * when they fill the whole pool the record is refused instead; otherwise the wait ends.
     *
     * @return a record; {@code null} when the current datagram holds the whole pool or once
     * {@link #halt()} was called.
     */
    private FlowRecord takeRecord()
    {
        FlowRecord record = pool.take();
        if (record != null)
        {
            return record;
        }
        if (current.recordCount() >= pool.capacity())
        {
            return null;
        }
        counters.onPoolWait();
        if (sequenceCallback != null)
        {
            sequenceCallback.set(currentSequence - 1);
        }
        int idle = 0;
        while ((record = pool.take()) == null)
        {
            if (halted)
            {
                return null;
            }
            if (idle < POOL_SPINS)
            {
                Thread.onSpinWait();
            }
            else if (idle < POOL_SPINS + POOL_YIELDS)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(POOL_PARK_NS);
            }
            idle++;
        }
        return record;
    }

    public int shardIndex()
    {
        return shardIndex;
    }

    @Override
    public DecodeStageCounters counters()
    {
        return counters;
    }

    @Override
    public DecodeCounters decodeCounters()
    {
        return decoder.counters();
    }

    @Override
    public void forEachExporter(final ExporterStatsVisitor visitor)
    {
        decoder.forEachExporter(visitor);
    }

    @Override
    public void forEachSamplingState(final ExporterSamplingTable.Visitor visitor)
    {
        decoder.forEachSamplingState(visitor);
    }

    private void runTimer(final long nowNs)
    {
        lastTimerNs = nowNs;
        decoder.onTimer(nowNs);
        final long refusals = decoder.counters().errors(DecodeError.TEMPLATE_RATE);
        if (refusals != templateRateRefusals)
        {
            templateRateRefusals = refusals;
            TEMPLATE_RATE_LOG.log(nowNs, "Template updates refused by decoder.template_updates_per_second: {} so far " +
                "on this shard, last from {}; the stored templates stay in force", refusals,
                decoder.lastTemplateRateRefusal());
        }
    }
}
