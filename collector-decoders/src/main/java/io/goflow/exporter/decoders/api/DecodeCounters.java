package io.goflow.exporter.decoders.api;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Error and output counters of one decoder, indexed by ({@link FlowType}, {@link DecodeError}).
 *
 * <h2>Contract: one outcome per datagram</h2>
 * For every datagram it is given, a decoder counts exactly one of:
 * <ul>
 *   <li>{@link #datagram(FlowType)}: the header was accepted (long enough, version and the
 *       header's own length/count fields consistent, exporter admitted); problems found after
 *       that, inside the datagram (a set, template or record), are {@link #error} counts and the
 *       datagram stays counted as decoded;</li>
 *   <li>{@link #rejected(FlowType, DecodeError)}: the datagram was dropped whole before its header
 *       was accepted ({@code truncated}, {@code bad_length}, {@code bad_version},
 *       {@code exporter_limit}). A rejection is not also an {@link #error}.</li>
 * </ul>
 * So datagrams given = sum of {@link #datagrams} + sum of {@link #rejections}, which is what the
 * decode stage relies on to count undecoded datagrams by reason ({@link #lastRejection()}).
 *
 * <p>Single writer: only the thread that owns the decoder increments (plain read + ordered write,
 * no read-modify-write atomics). Any thread may read the per-type counters at any time and sees a
 * recent value; {@link #outcomes()} and {@link #lastRejection()} are plain fields for the owner
 * thread only.
 */
public final class DecodeCounters
{
    private static final int TYPES = FlowType.values().length;
    private static final int ERRORS = DecodeError.count();

    private final AtomicLongArray errors = new AtomicLongArray(TYPES * ERRORS);
    private final AtomicLongArray records = new AtomicLongArray(TYPES);
    private final AtomicLongArray datagrams = new AtomicLongArray(TYPES);
    private final AtomicLongArray rejections = new AtomicLongArray(TYPES * ERRORS);
    private final AtomicLongArray unrecognised = new AtomicLongArray(ERRORS);
    private long outcomes;
    private DecodeError lastRejection;

    /** Counts one occurrence of {@code error} while decoding {@code type}. Owner thread only. */
    public void error(final FlowType type, final DecodeError error)
    {
        add(errors, type.ordinal() * ERRORS + error.ordinal(), 1);
    }

    /** Counts {@code n} occurrences of {@code error}. Owner thread only. */
    public void error(final FlowType type, final DecodeError error, final long n)
    {
        add(errors, type.ordinal() * ERRORS + error.ordinal(), n);
    }

    /** Counts one flow record emitted. Owner thread only. */
    public void record(final FlowType type)
    {
        add(records, type.ordinal(), 1);
    }

    /** Counts {@code n} flow records emitted (a decoder batching per set). Owner thread only. */
    public void record(final FlowType type, final long n)
    {
        add(records, type.ordinal(), n);
    }

    /**
     * Counts one datagram whose header was recognised and accepted as {@code type}; call it once
     * the datagram can no longer be rejected whole. Owner thread only.
     */
    public void datagram(final FlowType type)
    {
        add(datagrams, type.ordinal(), 1);
        lastRejection = null;
        outcomes++;
    }

    /**
     * Counts one datagram dropped whole, for {@code reason}, before its header was accepted as
     * {@code type} (the detected protocol). Not an {@link #error}.
     * Owner thread only.
     */
    public void rejected(final FlowType type, final DecodeError reason)
    {
        add(rejections, type.ordinal() * ERRORS + reason.ordinal(), 1);
        lastRejection = reason;
        outcomes++;
    }

    /**
     * Counts one datagram dropped whole, for {@code reason}, whose version field matched no protocol
     * (the receive counters' {@code protocol="unknown"}). Not an {@link #error}. Owner thread only.
     */
    public void rejectedUnrecognised(final DecodeError reason)
    {
        add(unrecognised, reason.ordinal(), 1);
        lastRejection = reason;
        outcomes++;
    }

    /** @return datagrams of no recognised protocol dropped whole for {@code reason}. */
    public long unrecognised(final DecodeError reason)
    {
        return unrecognised.get(reason.ordinal());
    }

    /**
     * @return datagrams accepted plus datagrams rejected so far, a plain count: owner thread only.
     * A datagram whose decoding moved it by other than 1 broke the one-outcome contract.
     */
    public long outcomes()
    {
        return outcomes;
    }

    /**
     * @return the reason of the last outcome when it was a rejection, null when it was an
     * accepted datagram (or none yet). Plain field: owner thread only.
     */
    public DecodeError lastRejection()
    {
        return lastRejection;
    }

    /** @return datagrams of {@code type} dropped whole for {@code reason}. */
    public long rejections(final FlowType type, final DecodeError reason)
    {
        return rejections.get(type.ordinal() * ERRORS + reason.ordinal());
    }

    /** @return the sum of rejections for {@code reason} over every protocol, unrecognised ones included. */
    public long rejections(final DecodeError reason)
    {
        return sumOverTypes(rejections, reason) + unrecognised(reason);
    }

    /** @return occurrences of {@code error} inside accepted datagrams of {@code type}. */
    public long errors(final FlowType type, final DecodeError error)
    {
        return errors.get(type.ordinal() * ERRORS + error.ordinal());
    }

    /** @return the sum of {@code error} over every protocol. */
    public long errors(final DecodeError error)
    {
        return sumOverTypes(errors, error);
    }

    public long records(final FlowType type)
    {
        return records.get(type.ordinal());
    }

    public long datagrams(final FlowType type)
    {
        return datagrams.get(type.ordinal());
    }

    private static long sumOverTypes(final AtomicLongArray byTypeAndError, final DecodeError error)
    {
        long sum = 0;
        for (int t = 0; t < TYPES; t++)
        {
            sum += byTypeAndError.get(t * ERRORS + error.ordinal());
        }
        return sum;
    }

    private static void add(final AtomicLongArray array, final int index, final long n)
    {
        array.lazySet(index, array.get(index) + n);
    }
}
