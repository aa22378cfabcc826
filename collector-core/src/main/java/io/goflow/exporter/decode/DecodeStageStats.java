package io.goflow.exporter.decode;

import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowType;

/**
 * Read side of one shard's {@link DecodeStageCounters}. Any thread; each value is published by an
 * ordered write of the shard thread (see the identities on {@link DecodeStageCounters}).
 */
public interface DecodeStageStats
{
    /**
     * Undecoded index of a datagram the decoder neither accepted nor rejected (it threw first).
     * Indexes below it are {@link DecodeError#ordinal()}s.
     */
    int UNDECODED_MALFORMED = DecodeError.count();
    int UNDECODED_REASONS = UNDECODED_MALFORMED + 1;

    /** @return the {@code reason} label of an undecoded index: a {@link DecodeError#reason()} or "malformed". */
    static String undecodedLabel(final int reason)
    {
        return reason == UNDECODED_MALFORMED ? "malformed" : DecodeError.fromOrdinal(reason).reason();
    }

    /** @return datagrams of protocol slot {@code slot} ({@code ring.ProtocolSlot}) this shard took from the ring. */
    long processed(int slot);

    long totalProcessed();

    /** @return undecoded datagrams of index {@code reason} (see {@link #UNDECODED_MALFORMED}). */
    long undecoded(int reason);

    /** @return datagrams the decoder rejected whole for {@code reason}. */
    long undecoded(DecodeError reason);

    long totalUndecoded();

    /** @return flow records handed on to aggregation. */
    long parsedRecords(FlowType type);

    long totalParsedRecords();

    /** @return interface counter records handed on to aggregation. */
    long interfaceCounterRecords();

    /** @return records dropped because the datagram reached {@code max_records_per_datagram}. */
    long tooManyRecords();

    /** @return times the shard found its record pool empty and waited for aggregation. */
    long poolWaits();

    /** @return records of datagrams discarded because decoding or enriching them threw. */
    long exceptionDropped();

    /** @return records dropped because the ring was halted while the shard waited for records. */
    long shutdownDropped();
}
