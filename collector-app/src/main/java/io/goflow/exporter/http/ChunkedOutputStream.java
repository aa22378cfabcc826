package io.goflow.exporter.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1) over {@code out}, one chunk per full
 * buffer:
 * <pre>
 *   chunk      = chunk-size CRLF chunk-data CRLF      (chunk-size in hex)
 *   last-chunk = "0" CRLF CRLF                        (no trailers)
 * </pre>
 * {@link #close()} writes the last chunk and does not close {@code out}. Not thread-safe.
 */
final class ChunkedOutputStream extends OutputStream
{
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final OutputStream out;
    private final byte[] buffer;
    private int length;
    private boolean closed;

    /** @param chunkBytes largest chunk-data, and the buffer held. */
    ChunkedOutputStream(final OutputStream out, final int chunkBytes)
    {
        this.out = out;
        this.buffer = new byte[chunkBytes];
    }

    @Override
    public void write(final int b) throws IOException
    {
        if (length == buffer.length)
        {
            flushChunk();
        }
        buffer[length++] = (byte)b;
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException
    {
        int from = off;
        int remaining = len;
        while (remaining > 0)
        {
            if (length == buffer.length)
            {
                flushChunk();
            }
            final int n = Math.min(remaining, buffer.length - length);
            System.arraycopy(b, from, buffer, length, n);
            length += n;
            from += n;
            remaining -= n;
        }
    }

    /** Sends what is buffered as a chunk (none when empty: a zero-size chunk would end the body). */
    @Override
    public void flush() throws IOException
    {
        flushChunk();
        out.flush();
    }

    @Override
    public void close() throws IOException
    {
        if (!closed)
        {
            closed = true;
            flushChunk();
            out.write(LAST_CHUNK);
            out.flush();
        }
    }

    private void flushChunk() throws IOException
    {
        if (length > 0)
        {
            out.write(Integer.toHexString(length).getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.write(buffer, 0, length);
            out.write(CRLF);
            length = 0;
        }
    }
}
