package io.goflow.exporter.decoders;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Error and output counters of one decoder, indexed by ({@link FlowType}, {@link DecodeError}).
 *
 * <p>Single writer: only the thread that owns the decoder increments (plain read + ordered write,
 * no read-modify-write atomics). Any thread may read at any time and sees a recent value.
 */
public final class DecodeCounters
{
    private static final int TYPES = FlowType.values().length;
    private static final int ERRORS = DecodeError.count();

    private final AtomicLongArray errors = new AtomicLongArray(TYPES * ERRORS);
    private final AtomicLongArray records = new AtomicLongArray(TYPES);
    private final AtomicLongArray datagrams = new AtomicLongArray(TYPES);

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

    /** Counts one datagram whose header was recognised as {@code type}. Owner thread only. */
    public void datagram(final FlowType type)
    {
        add(datagrams, type.ordinal(), 1);
    }

    public long errors(final FlowType type, final DecodeError error)
    {
        return errors.get(type.ordinal() * ERRORS + error.ordinal());
    }

    /** @return the sum of {@code error} over every protocol. */
    public long errors(final DecodeError error)
    {
        long sum = 0;
        for (int t = 0; t < TYPES; t++)
        {
            sum += errors.get(t * ERRORS + error.ordinal());
        }
        return sum;
    }

    public long records(final FlowType type)
    {
        return records.get(type.ordinal());
    }

    public long datagrams(final FlowType type)
    {
        return datagrams.get(type.ordinal());
    }

    private static void add(final AtomicLongArray array, final int index, final long n)
    {
        array.lazySet(index, array.get(index) + n);
    }
}
