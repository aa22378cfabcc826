package io.goflow.exporter.decoders.sampling;

import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The configured sampling rate policy for decoders without per-exporter state (NetFlow v5, sFlow):
 * {@link DecoderSettings#samplingOverrides()} (exporter address → rate that replaces what the
 * exporter reports) and {@link DecoderSettings#defaultSamplingRate()} (used when the exporter
 * reports none). Lookups allocate nothing: the overrides are parsed once into an open-addressing
 * table keyed by the 128-bit address (IPv4-mapped for IPv4). Keys that are not IP literals are
 * ignored (the config loader rejects them earlier). Immutable after construction.
 */
public final class SamplingOverrides
{
    private final long defaultRate;
    private final long[] hi;
    private final long[] lo;
    private final long[] rate;
    private final int mask;

    public SamplingOverrides(final DecoderSettings settings)
    {
        defaultRate = Math.max(0, settings.defaultSamplingRate());
        final Map<String, Long> overrides = settings.samplingOverrides() == null ? Map.of() : settings.samplingOverrides();
        int capacity = 1;
        while (capacity < overrides.size() * 2)
        {
            capacity <<= 1;
        }
        hi = new long[capacity];
        lo = new long[capacity];
        rate = new long[capacity];
        mask = capacity - 1;
        overrides.forEach((address, r) ->
        {
            final long[] parsed = parse(address);
            if (parsed != null && r != null && r > 0)
            {
                int i = index(parsed[0], parsed[1]);
                while (rate[i] != 0 && !(hi[i] == parsed[0] && lo[i] == parsed[1]))
                {
                    i = (i + 1) & mask;
                }
                hi[i] = parsed[0];
                lo[i] = parsed[1];
                rate[i] = r;
            }
        });
    }

    /** @return the override for the address, or 0 when there is none. */
    public long override(final long addrHi, final long addrLo)
    {
        int i = index(addrHi, addrLo);
        for (int probes = 0; probes <= mask && rate[i] != 0; probes++)
        {
            if (hi[i] == addrHi && lo[i] == addrLo)
            {
                return rate[i];
            }
            i = (i + 1) & mask;
        }
        return 0;
    }

    /**
     * The rate in force: the override of {@code addr} (or of {@code altAddr}) when configured,
     * else {@code reported} when positive, else the configured default; 0 when none is known.
     */
    public long rate(final long addrHi, final long addrLo, final long altAddrHi, final long altAddrLo, final long reported)
    {
        long r = override(addrHi, addrLo);
        if (r == 0 && (altAddrHi != addrHi || altAddrLo != addrLo))
        {
            r = override(altAddrHi, altAddrLo);
        }
        if (r == 0)
        {
            r = reported > 0 ? reported : defaultRate;
        }
        return r;
    }

    /** @return where {@link #rate} with the same arguments takes its rate from. */
    public SamplingSource source(
        final long addrHi, final long addrLo, final long altAddrHi, final long altAddrLo, final long reported)
    {
        if (override(addrHi, addrLo) != 0 || ((altAddrHi != addrHi || altAddrLo != addrLo) && override(altAddrHi, altAddrLo) != 0))
        {
            return SamplingSource.CONFIG;
        }
        if (reported > 0)
        {
            return SamplingSource.HEADER;
        }
        return defaultRate > 0 ? SamplingSource.DEFAULT : SamplingSource.NONE;
    }

    private int index(final long addrHi, final long addrLo)
    {
        long h = (addrHi * 0x9E37_79B9_7F4A_7C15L ^ addrLo) * 0x9E37_79B9_7F4A_7C15L;
        return (int)(h ^ (h >>> 32)) & mask;
    }

    private static long[] parse(final String text)
    {
        if (text == null || text.isEmpty() || !text.matches("[0-9A-Fa-f:.]+"))
        {
            return null;
        }
        try
        {
            final byte[] b = InetAddress.getByName(text).getAddress();
            if (b.length == 4)
            {
                return new long[] {0, FlowRecord.ipv4MappedLo(ByteBuffer.wrap(b).getInt())};
            }
            final ByteBuffer bb = ByteBuffer.wrap(b);
            return new long[] {bb.getLong(), bb.getLong()};
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }
}
