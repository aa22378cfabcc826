package io.goflow.exporter.decoders.api;

/**
 * Receives what a decoder produces. The {@link FlowRecord} passed in is owned by the decoder and
 * is reused for the next record: a sink copies what it keeps before returning. Called on the
 * decoding thread only.
 */
public interface FlowSink
{
    /**
     * A decoded flow record (also each direction of an RFC 5103 biflow).
     *
     * @param record the record, valid only for the duration of the call.
     */
    void onFlowRecord(FlowRecord record);

    /**
     * A non-flow record: an options data record (v9/IPFIX) or a counter sample (sFlow), exposed
     * through the same record with {@link FlowRecord#kind()} set. Ignored by default.
     *
     * @param record the record, valid only for the duration of the call.
     */
    default void onOtherRecord(final FlowRecord record)
    {
    }
}
