package io.goflow.exporter.decoders.testsupport;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds hand-written big-endian byte fixtures field by field, so each field can carry its own
 * comment in the test. Lengths of nested structures are patched in with {@link #mark()} /
 * {@link #patchLength(int)}.
 */
public final class ByteFixture
{
    private byte[] bytes = new byte[256];
    private int length;

    public ByteFixture u8(final int v)
    {
        ensure(1);
        bytes[length++] = (byte)v;
        return this;
    }

    public ByteFixture u16(final int v)
    {
        return u8(v >>> 8).u8(v);
    }

    public ByteFixture u32(final long v)
    {
        return u16((int)(v >>> 16) & 0xFFFF).u16((int)v & 0xFFFF);
    }

    public ByteFixture u64(final long v)
    {
        return u32(v >>> 32).u32(v & 0xFFFF_FFFFL);
    }

    public ByteFixture u16le(final int v)
    {
        return u8(v).u8(v >>> 8);
    }

    public ByteFixture u32le(final long v)
    {
        return u16le((int)v & 0xFFFF).u16le((int)(v >>> 16) & 0xFFFF);
    }

    /** Appends bytes given as hex text; spaces, colons and dots are ignored. */
    public ByteFixture hex(final String text)
    {
        final String clean = text.replaceAll("[\\s:.]", "");
        for (int i = 0; i < clean.length(); i += 2)
        {
            u8(Integer.parseInt(clean.substring(i, i + 2), 16));
        }
        return this;
    }

    /** Appends an IPv4 address in dotted-quad text. */
    public ByteFixture ipv4(final String dotted)
    {
        for (final String part : dotted.split("\\."))
        {
            u8(Integer.parseInt(part));
        }
        return this;
    }

    /** Appends {@code n} zero bytes. */
    public ByteFixture zeros(final int n)
    {
        for (int i = 0; i < n; i++)
        {
            u8(0);
        }
        return this;
    }

    /** Reserves a 4-byte length to be patched and returns its position. */
    public int mark()
    {
        final int at = length;
        u32(0);
        return at;
    }

    /** Patches the 4-byte length at {@code markAt} with the bytes written since. */
    public ByteFixture patchLength(final int markAt)
    {
        final int value = length - markAt - 4;
        bytes[markAt] = (byte)(value >>> 24);
        bytes[markAt + 1] = (byte)(value >>> 16);
        bytes[markAt + 2] = (byte)(value >>> 8);
        bytes[markAt + 3] = (byte)value;
        return this;
    }

    public int length()
    {
        return length;
    }

    public byte[] toArray()
    {
        return Arrays.copyOf(bytes, length);
    }

    public UnsafeBuffer toBuffer()
    {
        return new UnsafeBuffer(toArray());
    }

    private void ensure(final int n)
    {
        if (length + n > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }
}
