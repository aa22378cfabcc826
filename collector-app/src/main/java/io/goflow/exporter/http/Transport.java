package io.goflow.exporter.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The bytes of one HTTP connection over its non-blocking socket: as they are ({@link #plain}) or
 * inside TLS ({@link TlsTransport}). Owned by one thread at a time, as the connection is.
 */
interface Transport
{
    /**
     * Reads request bytes into {@code dst} without blocking.
     *
     * @return bytes read, 0 when none is available yet, -1 at the end of the stream.
     * @throws IOException also when the TLS handshake fails ({@link javax.net.ssl.SSLException}).
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes as much of {@code src} as the socket takes now, without blocking; with TLS, what is
     * encrypted but not yet sent stays {@link #hasPendingOutput() pending}.
     *
     * @return bytes handed to the socket (0: it took none, wait until it is writable).
     */
    int write(ByteBuffer src) throws IOException;

    /** @return true while bytes produced by this transport wait for the socket (call {@link #write} again). */
    boolean hasPendingOutput();

    /** @return true when request bytes were read from the socket and not yet returned by {@link #read}. */
    boolean hasBufferedInput();

    /** @return true once a TLS handshake completed (always for plain connections). */
    boolean established();

    SocketChannel channel();

    /** Closes the socket; with TLS, sends close_notify first if the socket takes it at once. */
    void close();

    /** @return the transport of a connection without TLS. */
    static Transport plain(final SocketChannel channel)
    {
        return new Transport()
        {
            @Override
            public int read(final ByteBuffer dst) throws IOException
            {
                return channel.read(dst);
            }

            @Override
            public int write(final ByteBuffer src) throws IOException
            {
                return channel.write(src);
            }

            @Override
            public boolean hasPendingOutput()
            {
                return false;
            }

            @Override
            public boolean hasBufferedInput()
            {
                return false;
            }

            @Override
            public boolean established()
            {
                return true;
            }

            @Override
            public SocketChannel channel()
            {
                return channel;
            }

            @Override
            public void close()
            {
                closeQuietly(channel);
            }
        };
    }

    /** Closes {@code channel}, ignoring what closing may throw. */
    static void closeQuietly(final SocketChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // closing: nothing left to do with it
        }
    }
}
