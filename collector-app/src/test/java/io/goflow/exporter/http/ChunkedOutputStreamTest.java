package io.goflow.exporter.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chunked coding of RFC 9112 section 7.1, byte for byte. */
class ChunkedOutputStreamTest
{
    private static String chunked(final int chunkBytes, final String... writes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChunkedOutputStream chunked = new ChunkedOutputStream(out, chunkBytes))
        {
            for (final String w : writes)
            {
                chunked.write(w.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldWriteOneChunkThenLastChunk() throws IOException
    {
        assertEquals("5\r\nhello\r\n0\r\n\r\n", chunked(16, "hello"));
    }

    @Test
    void shouldSplitAtBufferSizeWithHexSizes() throws IOException
    {
        assertEquals("10\r\n0123456789abcdef\r\n3\r\nxyz\r\n0\r\n\r\n", chunked(16, "0123456789", "abcdefxyz"));
    }

    @Test
    void shouldWriteOnlyLastChunkForEmptyBody() throws IOException
    {
        assertEquals("0\r\n\r\n", chunked(16));
    }

    @Test
    void shouldNotEmitZeroSizeChunkOnFlushOfEmptyBuffer() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChunkedOutputStream chunked = new ChunkedOutputStream(out, 16))
        {
            chunked.flush();
            chunked.write('a');
            chunked.flush();
            chunked.flush();
        }
        assertEquals("1\r\na\r\n0\r\n\r\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldWriteLastChunkOnceWhenClosedTwice() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ChunkedOutputStream chunked = new ChunkedOutputStream(out, 16);
        chunked.close();
        chunked.close();
        assertEquals("0\r\n\r\n", out.toString(StandardCharsets.US_ASCII));
    }
}
