package io.goflow.exporter.decoders.api;

/**
 * Canonical text for 128-bit addresses held as two longs (see {@link FlowRecord}): dotted quad for
 * IPv4-mapped addresses, RFC 5952 for IPv6 (lower case, leading zeros dropped, the longest run of
 * two or more zero groups, first on a tie, compressed to {@code ::}). Appends into a caller-owned
 * {@link StringBuilder} so that callers that reuse one allocate nothing.
 */
public final class AddressText
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AddressText()
    {
    }

    /** @return the canonical text of the address (allocates; not for the hot path). */
    public static String toString(final long hi, final long lo)
    {
        return append(new StringBuilder(39), hi, lo).toString();
    }

    /** Appends the canonical text of the address to {@code sb} and returns it. */
    public static StringBuilder append(final StringBuilder sb, final long hi, final long lo)
    {
        if (FlowRecord.isIpv4Mapped(hi, lo))
        {
            final int v4 = (int)lo;
            sb.append((v4 >>> 24) & 0xFF).append('.')
                .append((v4 >>> 16) & 0xFF).append('.')
                .append((v4 >>> 8) & 0xFF).append('.')
                .append(v4 & 0xFF);
            return sb;
        }

        int bestStart = -1;
        int bestLength = 0;
        int runStart = -1;
        for (int i = 0; i < 8; i++)
        {
            if (group(hi, lo, i) == 0)
            {
                if (runStart < 0)
                {
                    runStart = i;
                }
                final int runLength = i - runStart + 1;
                if (runLength > bestLength)
                {
                    bestLength = runLength;
                    bestStart = runStart;
                }
            }
            else
            {
                runStart = -1;
            }
        }
        if (bestLength < 2)
        {
            bestStart = -1;
        }

        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength)
            {
                sb.append(':');
            }
            appendHexGroup(sb, group(hi, lo, i));
        }
        return sb;
    }

    private static int group(final long hi, final long lo, final int index)
    {
        final long word = index < 4 ? hi : lo;
        final int shift = (3 - (index & 3)) * 16;
        return (int)((word >>> shift) & 0xFFFF);
    }

    private static void appendHexGroup(final StringBuilder sb, final int group)
    {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            final int nibble = (group >>> shift) & 0xF;
            if (nibble != 0 || started || shift == 0)
            {
                sb.append(HEX[nibble]);
                started = true;
            }
        }
    }
}
