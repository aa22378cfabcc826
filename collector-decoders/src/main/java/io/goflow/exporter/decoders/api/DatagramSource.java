package io.goflow.exporter.decoders.api;

/**
 * Where and when a datagram came from, given to the decoders with its bytes: the listener it
 * arrived on, the exporter's address and UDP port, and the receive time. A mutable flyweight,
 * reused for every datagram, so decoding allocates nothing for it.
 *
 * <ul>
 *   <li>{@link #exporterAddrHi()} / {@link #exporterAddrLo()}: the source address, 128 bits as two
 *       longs, network order, IPv4-mapped for IPv4 (as {@link FlowRecord} addresses).</li>
 *   <li>{@link #exporterPort()}: the source UDP port, 0-65535.</li>
 *   <li>{@link #receivedNs()}: epoch ns at which the datagram was received (the clock of the
 *       decoders' timers).</li>
 *   <li>{@link #listener()}: what the receiving listener accepts.</li>
 * </ul>
 *
 * <p>Thread ownership: owned by the decoding thread, which {@link #set}s every field before each
 * datagram; decoders read it during {@code decode} only and keep no reference to it.
 */
public final class DatagramSource
{
    private ListenerProtocol listener = ListenerProtocol.AUTO;
    private long exporterAddrHi;
    private long exporterAddrLo;
    private int exporterPort;
    private long receivedNs;

    /**
     * Sets every field for the next datagram.
     *
     * @return this, to pass straight to a decoder.
     */
    public DatagramSource set(
        final ListenerProtocol listener,
        final long exporterAddrHi,
        final long exporterAddrLo,
        final int exporterPort,
        final long receivedNs)
    {
        this.listener = listener;
        this.exporterAddrHi = exporterAddrHi;
        this.exporterAddrLo = exporterAddrLo;
        this.exporterPort = exporterPort;
        this.receivedNs = receivedNs;
        return this;
    }

    /** @return what the receiving listener accepts. */
    public ListenerProtocol listener()
    {
        return listener;
    }

    /** @return source address, high 64 bits (IPv4-mapped for IPv4). */
    public long exporterAddrHi()
    {
        return exporterAddrHi;
    }

    /** @return source address, low 64 bits. */
    public long exporterAddrLo()
    {
        return exporterAddrLo;
    }

    /** @return source UDP port. */
    public int exporterPort()
    {
        return exporterPort;
    }

    /** @return epoch ns at which the datagram was received. */
    public long receivedNs()
    {
        return receivedNs;
    }

}
