package io.goflow.exporter.tools.pcap;

import org.agrona.DirectBuffer;

/**
 * One UDP datagram found in a capture, as a view: {@link #buffer} is the reader's buffer over the
 * whole file and is only valid until the reader is closed; the payload is
 * {@code buffer[payloadOffset, payloadOffset + payloadLength)}. Refilled by every
 * {@link PcapReader#next(UdpDatagram)}, so one instance serves a whole capture.
 *
 * <p>Addresses are 128 bits as two longs (high, low 64 bits in network order), IPv4 stored
 * IPv4-mapped ({@code ::ffff:a.b.c.d}), as the decoders' {@code FlowRecord} holds them.
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
