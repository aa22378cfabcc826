package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.ipfix.IpfixDescriptor;
import io.goflow.exporter.decoders.netflow5.Netflow5Descriptor;
import io.goflow.exporter.decoders.netflow9.Netflow9Descriptor;
import io.goflow.exporter.decoders.sflow.SflowDescriptor;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The one protocol detection: which protocol a datagram claims to be, from its version field, and
 * the template scope in its header. {@link DatagramDecoder} dispatches on it; the collector's
 * receive readers label datagrams and pick their decode shard with it.
 *
 * <pre>
 *  NetFlow v5, v9, IPFIX: version, u16 at VERSION_OFFSET (0) = 5, 9, 10 (RFC 3954 s5.1, RFC 7011 s3.1)
 *  sFlow v5:              version, u32 at VERSION_OFFSET (0) = 5, i.e. 00 00 00 05 (sFlow v5 datagram)
 *  v9 source ID:          u32 at Netflow9Descriptor.SOURCE_ID_OFFSET (16)
 *  IPFIX domain ID:       u32 at IpfixDescriptor.OBSERVATION_DOMAIN_OFFSET (12)
 * </pre>
 * The u16 versions never read as sFlow (its first two bytes are 0), so the two cannot be confused.
 * Every read is big-endian whatever the byte order of the memory under the buffer, and only after
 * {@code length} was checked to hold it.
 *
 * <p>Stateless; any thread.
 */
public final class ProtocolDetector
{
    /** NetFlow v5, v9 and IPFIX share the u16 version field at offset 0 (their descriptors agree). */
    private static final int VERSION16_OFFSET = Netflow9Descriptor.VERSION_OFFSET;
    private static final int VERSION16_END = VERSION16_OFFSET + Short.BYTES;
    private static final int SFLOW_VERSION_END = SflowDescriptor.VERSION_OFFSET + Integer.BYTES;
    private static final int NETFLOW9_SOURCE_ID_END = Netflow9Descriptor.SOURCE_ID_OFFSET + Integer.BYTES;
    private static final int IPFIX_DOMAIN_ID_END = IpfixDescriptor.OBSERVATION_DOMAIN_OFFSET + Integer.BYTES;

    private ProtocolDetector()
    {
    }

    /**
     * @return the protocol of the datagram in {@code buffer[offset, offset + length)} by its version
     * field, or {@code null} when it matches none (or is too short to hold it).
     */
    public static FlowType detect(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < VERSION16_END)
        {
            return null;
        }
        switch (version16(buffer, offset))
        {
            case Netflow9Descriptor.VERSION:
                return FlowType.NETFLOW_V9;
            case IpfixDescriptor.VERSION:
                return FlowType.IPFIX;
            case Netflow5Descriptor.VERSION:
                return FlowType.NETFLOW_V5;
            default:
                return length >= SFLOW_VERSION_END && sflowVersion(buffer, offset) == SflowDescriptor.VERSION ?
                    FlowType.SFLOW_5 : null;
        }
    }

    /**
     * Why a datagram that {@link #detect} found no protocol in is not recognised: too short for a
     * version field (under 2 bytes, or under the 4 of sFlow's when the first two are 0) is
     * {@link DecodeError#TRUNCATED}, anything else {@link DecodeError#BAD_VERSION}.
     */
    public static DecodeError unrecognisedReason(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < VERSION16_END || length < SFLOW_VERSION_END && version16(buffer, offset) == 0)
        {
            return DecodeError.TRUNCATED;
        }
        return DecodeError.BAD_VERSION;
    }

    /**
     * @return the template scope inside the exporter: the v9 source ID or the IPFIX observation
     * domain ID when the header is long enough to hold it, else (every other datagram) 0.
     */
    public static long domainId(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < VERSION16_END)
        {
            return 0;
        }
        final int version = version16(buffer, offset);
        if (version == Netflow9Descriptor.VERSION && length >= NETFLOW9_SOURCE_ID_END)
        {
            return u32(buffer, offset + Netflow9Descriptor.SOURCE_ID_OFFSET);
        }
        if (version == IpfixDescriptor.VERSION && length >= IPFIX_DOMAIN_ID_END)
        {
            return u32(buffer, offset + IpfixDescriptor.OBSERVATION_DOMAIN_OFFSET);
        }
        return 0;
    }

    private static int version16(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + VERSION16_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private static int sflowVersion(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SflowDescriptor.VERSION_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    private static long u32(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }
}
