package io.goflow.exporter.decoders.pcap;

import org.agrona.DirectBuffer;

/**
 * One UDP datagram found in a capture, as a view: {@link #buffer} is the reader's buffer over the
 * whole file and is only valid until the reader is closed; the payload is
 * {@code buffer[payloadOffset, payloadOffset + payloadLength)}. Refilled by every
 * {@link PcapReader#next(UdpDatagram)}, so one instance serves a whole capture.
 *
 * <p>Addresses are 128 bits as two longs, IPv4 stored IPv4-mapped, like
 * {@link io.goflow.exporter.decoders.api.FlowRecord}.
 */
public final class UdpDatagram
{
    public DirectBuffer buffer;
    public int payloadOffset;
    public int payloadLength;
    /** 4 or 6. */
    public int ipVersion;
    public long srcAddrHi;
    public long srcAddrLo;
    public long dstAddrHi;
    public long dstAddrLo;
    public int srcPort;
    public int dstPort;
    /** Capture timestamp, epoch ns. */
    public long timestampNs;
    /** 1-based number of the frame in the capture (as Wireshark numbers it). */
    public long frameNumber;
}
