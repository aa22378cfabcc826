package io.goflow.exporter.decoders.ipfix;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.goflow.exporter.decoders.ipfix.IpfixDescriptor.*;

/**
 * View over an IPFIX message header (RFC 7011 section 3.1; layout in {@link IpfixDescriptor}). The
 * caller checks that {@link IpfixDescriptor#HEADER_LENGTH} bytes are present before reading.
 */
public final class IpfixHeaderFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    public IpfixHeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int version()
    {
        return buffer.getShort(offset + VERSION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** @return message length in bytes, header included. */
    public int length()
    {
        return buffer.getShort(offset + LENGTH_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** @return export time, seconds since the UNIX epoch. */
    public long exportTimeSec()
    {
        return buffer.getInt(offset + EXPORT_TIME_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long sequence()
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long observationDomainId()
    {
        return buffer.getInt(offset + OBSERVATION_DOMAIN_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }
}
