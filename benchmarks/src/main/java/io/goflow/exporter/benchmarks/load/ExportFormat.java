package io.goflow.exporter.benchmarks.load;

import java.nio.ByteBuffer;

/**
 * Export protocols the load generator replays, told apart by the version field, with the header
 * field each one uses as a sequence number.
 *
 * <pre>
 * NetFlow v5 header (24 bytes): version(2) count(2) sysUptime(4) unixSecs(4) unixNsecs(4)
 *                               flowSequence(4) engineType(1) engineId(1) samplingInterval(2)
 * NetFlow v9 header (RFC 3954 section 5.1, 20 bytes): version(2) count(2) sysUptime(4)
 *                               unixSecs(4) sequence(4) sourceId(4)
 * IPFIX header (RFC 7011 section 3.1, 16 bytes): version(2) length(2) exportTime(4) sequence(4)
 *                               observationDomainId(4)
 * sFlow v5 header: version(4) agentAddressType(4) agentAddress(4|16) subAgentId(4)
 *                  sequence(4) uptime(4) samples(4)
 * </pre>
 */
enum ExportFormat
{
    /** Sequence = flows exported before this datagram. */
    NETFLOW_V5(24, 16),
    /** Sequence = export packets sent before this one (RFC 3954 section 5.1). */
    NETFLOW_V9(20, 12),
    /** Sequence = data records sent before this message (RFC 7011 section 3.1). */
    IPFIX(16, 8),
    /** Sequence = datagrams sent by the agent, starting at 1 (sFlow v5 datagram header). */
    SFLOW_V5(28, 16);

    private final int headerLength;
    private final int sequenceOffset;

    ExportFormat(final int headerLength, final int sequenceOffset)
    {
        this.headerLength = headerLength;
        this.sequenceOffset = sequenceOffset;
    }

    /** @return header length, bytes; for sFlow the IPv4-agent length (IPv6 agents add 12). */
    int headerLength()
    {
        return headerLength;
    }

    /** @return offset of the 32-bit sequence field (IPv4 agent for sFlow). */
    int sequenceOffset()
    {
        return sequenceOffset;
    }

    /** @return the format of {@code payload}, or null when it is none of the four. */
    static ExportFormat of(final byte[] payload)
    {
        if (payload.length < 4)
        {
            return null;
        }
        final ByteBuffer b = ByteBuffer.wrap(payload);
        final int version16 = b.getShort(0) & 0xFFFF;
        if (version16 == 5 && payload.length >= NETFLOW_V5.headerLength)
        {
            return NETFLOW_V5;
        }
        if (version16 == 9 && payload.length >= NETFLOW_V9.headerLength)
        {
            return NETFLOW_V9;
        }
        if (version16 == 10 && payload.length >= IPFIX.headerLength)
        {
            return IPFIX;
        }
        if (b.getInt(0) == 5 && payload.length >= SFLOW_V5.headerLength)
        {
            return SFLOW_V5;
        }
        return null;
    }
}
