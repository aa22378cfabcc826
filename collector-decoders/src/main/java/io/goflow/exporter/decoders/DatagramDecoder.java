package io.goflow.exporter.decoders;

import org.agrona.DirectBuffer;

/**
 * Decodes whole datagrams of any supported protocol: picks the protocol from the version field
 * (narrowed by the {@link ListenerProtocol}), keeps template and sampling state per exporter and
 * emits {@link FlowRecord}s to a {@link FlowSink}.
 *
 * <p>Thread ownership: one instance per decode shard; every method is called from that shard's
 * thread only. Exporters are sharded by address (and domain), so an exporter's templates and data
 * are always seen, in order, by the same instance.
 *
 * <p>Placeholder contract: the implementation lands with the decoders issue.
 */
public final class DatagramDecoder
{
    private final DecoderSettings settings;
    private final DecodeCounters counters;

    public DatagramDecoder(final DecoderSettings settings, final DecodeCounters counters)
    {
        this.settings = settings;
        this.counters = counters;
    }

    /**
     * Decodes one datagram. Never throws on malformed input: every problem is counted in
     * {@link #counters()} by reason, and whatever can still be decoded is.
     *
     * @param listener       what the receiving listener accepts.
     * @param buffer         the datagram bytes.
     * @param offset         offset of the first payload byte in {@code buffer}.
     * @param length         payload length, bytes.
     * @param exporterAddrHi source address of the datagram, high 64 bits (IPv4-mapped for IPv4).
     * @param exporterAddrLo source address of the datagram, low 64 bits.
     * @param exporterPort   source UDP port of the datagram.
     * @param receivedNs     epoch ns at which the datagram was received.
     * @param sink           receives each record.
     * @return the number of flow records emitted.
     */
    public int decode(
        final ListenerProtocol listener,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long exporterAddrHi,
        final long exporterAddrLo,
        final int exporterPort,
        final long receivedNs,
        final FlowSink sink)
    {
        return 0;
    }

    /** Housekeeping due at {@code nowNs}: template expiry and held-set expiry. */
    public void onTimer(final long nowNs)
    {
    }

    public DecoderSettings settings()
    {
        return settings;
    }

    public DecodeCounters counters()
    {
        return counters;
    }
}
