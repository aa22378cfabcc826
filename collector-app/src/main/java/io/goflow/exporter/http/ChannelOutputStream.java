package io.goflow.exporter.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * Writes to a non-blocking socket (through its {@link Transport}) from a scrape thread with two deadlines: the client must accept
 * some bytes every {@code stallTimeoutMs} and the whole response within {@code responseTimeoutMs}
 * of this stream's creation, else {@link TimeoutException}. Waits on its own selector, so the
 * channel stays registered (with no interest) on the server's selector. Unbuffered: wrap it.
 *
 * <p>Owned by one scrape thread; {@link #close()} closes the private selector, not the channel.
 */
final class ChannelOutputStream extends OutputStream
{
    /** The client did not read the response in time. */
    static final class TimeoutException extends IOException
    {
        private static final long serialVersionUID = 1L;

        TimeoutException(final String message)
        {
            super(message);
        }
    }

    private final Transport transport;
    private final long stallTimeoutNs;
    private final long responseDeadlineNs;
    private Selector selector;

    ChannelOutputStream(final Transport transport, final long stallTimeoutMs, final long responseTimeoutMs)
    {
        this.transport = transport;
        this.stallTimeoutNs = stallTimeoutMs * 1_000_000L;
        this.responseDeadlineNs = System.nanoTime() + responseTimeoutMs * 1_000_000L;
    }

    @Override
    public void write(final int b) throws IOException
    {
        write(new byte[]{(byte)b}, 0, 1);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        long stallDeadlineNs = System.nanoTime() + stallTimeoutNs;
        while (buffer.hasRemaining() || transport.hasPendingOutput())
        {
            if (transport.write(buffer) > 0)
            {
                stallDeadlineNs = System.nanoTime() + stallTimeoutNs;
                continue;
            }
            final long nowNs = System.nanoTime();
            final long deadlineNs = responseDeadlineNs - stallDeadlineNs < 0 ? responseDeadlineNs : stallDeadlineNs;
            if (deadlineNs - nowNs <= 0)
            {
                throw new TimeoutException(deadlineNs == responseDeadlineNs ?
                    "response not written within its deadline" : "client accepted no byte within the stall timeout");
            }
            awaitWritable(Math.max(1, (deadlineNs - nowNs) / 1_000_000L));
        }
    }

    private void awaitWritable(final long timeoutMs) throws IOException
    {
        if (selector == null)
        {
            selector = Selector.open();
            transport.channel().register(selector, SelectionKey.OP_WRITE);
        }
        selector.select(timeoutMs);
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted())
        {
            throw new IOException("interrupted (server closing)");
        }
    }

    @Override
    public void close() throws IOException
    {
        if (selector != null)
        {
            selector.close();
            selector = null;
        }
    }
}
