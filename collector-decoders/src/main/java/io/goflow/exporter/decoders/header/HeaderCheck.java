package io.goflow.exporter.decoders.header;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowType;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The first checks of a fixed-header datagram decoder (NetFlow v5, sFlow v5), before any other
 * field is read: at least {@code minLength} bytes, else the datagram is rejected whole as
 * {@link DecodeError#TRUNCATED}; the expected big-endian version field (2 or 4 bytes at
 * {@code versionOffset}), else {@link DecodeError#BAD_VERSION} ({@link DecodeCounters#rejected}).
 *
 * <p>Immutable; {@link #accept} and {@link #reject} count on the decoding thread's counters.
 */
public final class HeaderCheck
{
    private final DecodeCounters counters;
    private final FlowType type;
    private final int minLength;
    private final int versionOffset;
    private final int versionLength;
    private final int version;

    /**
     * @param minLength     bytes the datagram must hold, the version field included.
     * @param versionLength 2 (v5 u16) or 4 (sFlow u32) bytes.
     */
    public HeaderCheck(
        final DecodeCounters counters,
        final FlowType type,
        final int minLength,
        final int versionOffset,
        final int versionLength,
        final int version)
    {
        if ((versionLength != 2 && versionLength != 4) || versionOffset < 0 || versionOffset + versionLength > minLength)
        {
            throw new IllegalArgumentException("version field must lie within the minimum length");
        }
        this.counters = counters;
        this.type = type;
        this.minLength = minLength;
        this.versionOffset = versionOffset;
        this.versionLength = versionLength;
        this.version = version;
    }

    /** @return true when the datagram may be decoded; else it has been counted rejected. */
    public boolean accept(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < minLength)
        {
            reject(DecodeError.TRUNCATED);
            return false;
        }
        final int at = offset + versionOffset;
        final int found = versionLength == 2 ?
            buffer.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF : buffer.getInt(at, ByteOrder.BIG_ENDIAN);
        if (found != version)
        {
            reject(DecodeError.BAD_VERSION);
            return false;
        }
        return true;
    }

    /** Counts the datagram rejected whole for {@code reason}. */
    public void reject(final DecodeError reason)
    {
        counters.rejected(type, reason);
    }
}
