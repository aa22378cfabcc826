package io.goflow.exporter.decoders.netflow5;

import io.goflow.exporter.decoders.DecodeCounters;
import io.goflow.exporter.decoders.FlowSink;
import org.agrona.DirectBuffer;

/**
 * NetFlow v5 datagram decoder. Placeholder contract: implemented with the decoders issue.
 * Thread ownership: one instance per decode shard.
 */
public final class Netflow5Decoder
{
    private final DecodeCounters counters;

    public Netflow5Decoder(final DecodeCounters counters)
    {
        this.counters = counters;
    }

    /**
     * Decodes one v5 datagram whose version field has been checked by the caller.
     *
     * @return the number of flow records emitted.
     */
    public int decode(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long exporterAddrHi,
        final long exporterAddrLo,
        final long receivedNs,
        final FlowSink sink)
    {
        return 0;
    }

    public DecodeCounters counters()
    {
        return counters;
    }
}
