package io.goflow.exporter.decoders.netflow9;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.goflow.exporter.decoders.netflow9.Netflow9Descriptor.*;

/**
 * View over a NetFlow v9 packet header (RFC 3954 section 5.1; layout in {@link Netflow9Descriptor}).
 * The caller checks that {@link Netflow9Descriptor#HEADER_LENGTH} bytes are present before reading.
 */
public final class Netflow9HeaderFlyweight
{
    private DirectBuffer buffer;
    private int offset;

    public Netflow9HeaderFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int version()
    {
        return buffer.getShort(offset + VERSION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** @return records (template and data) the exporter says the packet holds; not trusted. */
    public int count()
    {
        return buffer.getShort(offset + COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** @return ms since the exporter booted, as a 32-bit value (wraps after 49.7 days). */
    public int sysUptimeMs()
    {
        return buffer.getInt(offset + SYS_UPTIME_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** @return export time, seconds since the UNIX epoch. */
    public long unixSecs()
    {
        return buffer.getInt(offset + UNIX_SECS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long sequence()
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public long sourceId()
    {
        return buffer.getInt(offset + SOURCE_ID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }
}
