package io.goflow.exporter.http;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * TLS over a non-blocking socket with an {@link SSLEngine} in server mode. Buffers, each at most
 * one TLS record (about 16.7 KiB, {@code SSLSession.getPacketBufferSize()}): ciphertext read and
 * not yet decrypted, plaintext decrypted and not yet returned, ciphertext produced and not yet
 * sent. So a connection holds about 50 KiB while open.
 *
 * <p>The handshake runs inside {@link #read} and {@link #write}: delegated tasks run on the calling
 * thread (the selector's, a few milliseconds for an RSA or ECDSA signature), and the connection's
 * head timeout bounds how long a client may take. A failed handshake, a peer certificate that
 * {@link ServerTls#checkPeer} refuses or a record that is not TLS throws {@link SSLException}.
 *
 * <p>Owned by one thread at a time, as its connection is.
 */
final class TlsTransport implements Transport
{
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Engine steps per call before giving up for now; a guard, far above any real handshake flight. */
    private static final int STEPS_MAX = 64;

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ServerTls tls;
    /** Ciphertext read from the socket, not yet unwrapped; write mode. */
    private ByteBuffer netIn;
    /** Plaintext unwrapped, not yet returned; read mode. */
    private ByteBuffer appIn;
    /** Ciphertext wrapped, not yet sent; read mode. */
    private ByteBuffer netOut;
    private boolean established;
    private boolean inboundDone;
    /** Bytes handed to the socket since creation (wraps harmlessly; only differences are used). */
    private int sentTotal;

    TlsTransport(final SocketChannel channel, final ServerTls tls)
    {
        this.channel = channel;
        this.tls = tls;
        this.engine = tls.newEngine();
        final int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(packet).flip();
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        for (int step = 0; step < STEPS_MAX; step++)
        {
            if (appIn.hasRemaining())
            {
                if (!established)
                {
                    tls.checkPeer(engine.getSession());
                    established = true;
                }
                final int n = Math.min(appIn.remaining(), dst.remaining());
                dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
                appIn.position(appIn.position() + n);
                return n;
            }
            if (inboundDone)
            {
                return -1;
            }
            if (netOut.hasRemaining() && !send())
            {
                return 0;
            }
            final SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK)
            {
                runTasks();
                continue;
            }
            if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP)
            {
                wrap(EMPTY);
                continue;
            }
            netIn.flip();
            appIn.compact();
            final SSLEngineResult r;
            try
            {
                r = engine.unwrap(netIn, appIn);
            }
            finally
            {
                appIn.flip();
                netIn.compact();
            }
            handshakeStep(r);
            switch (r.getStatus())
            {
                case CLOSED -> inboundDone = true;
                case BUFFER_OVERFLOW -> appIn = larger(appIn, engine.getSession().getApplicationBufferSize(), true);
                case BUFFER_UNDERFLOW ->
                {
                    if (!netIn.hasRemaining())
                    {
                        netIn = larger(netIn, engine.getSession().getPacketBufferSize(), false);
                    }
                    final int n = channel.read(netIn);
                    if (n <= 0)
                    {
                        return n;
                    }
                }
                default ->
                {
                    // OK: a handshake message or a record consumed; go on
                }
            }
        }
        return 0;
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        final int before = sentTotal;
        for (int step = 0; step < STEPS_MAX; step++)
        {
            if (netOut.hasRemaining() && !send())
            {
                break;
            }
            final SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK)
            {
                runTasks();
                continue;
            }
            if (hs == SSLEngineResult.HandshakeStatus.NEED_UNWRAP && src.hasRemaining())
            {
                throw new SSLException("the client started a handshake while a response was being written");
            }
            if (!src.hasRemaining() && hs != SSLEngineResult.HandshakeStatus.NEED_WRAP)
            {
                break;
            }
            wrap(src);
        }
        return sentTotal - before;
    }

    @Override
    public boolean hasPendingOutput()
    {
        return netOut.hasRemaining();
    }

    @Override
    public boolean hasBufferedInput()
    {
        return appIn.hasRemaining() || netIn.position() > 0;
    }

    @Override
    public boolean established()
    {
        return established;
    }

    @Override
    public SocketChannel channel()
    {
        return channel;
    }

    @Override
    public void close()
    {
        try
        {
            if (established && !netOut.hasRemaining())
            {
                engine.closeOutbound();
                wrap(EMPTY);
                send();
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // best effort: the socket closes either way
        }
        Transport.closeQuietly(channel);
    }

    /** @return true when nothing is left to send. */
    private boolean send() throws IOException
    {
        sentTotal += channel.write(netOut);
        return !netOut.hasRemaining();
    }

    private void wrap(final ByteBuffer src) throws IOException
    {
        netOut.compact();
        final SSLEngineResult r;
        try
        {
            r = engine.wrap(src, netOut);
        }
        finally
        {
            netOut.flip();
        }
        handshakeStep(r);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW)
        {
            netOut = larger(netOut, engine.getSession().getPacketBufferSize(), true);
        }
        else if (r.getStatus() == SSLEngineResult.Status.CLOSED && src.hasRemaining())
        {
            throw new SSLException("TLS connection closed by the client");
        }
        send();
    }

    private void handshakeStep(final SSLEngineResult r) throws SSLException
    {
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED && !established)
        {
            tls.checkPeer(engine.getSession());
            established = true;
        }
    }

    private void runTasks()
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
    }

    /**
     * @param readMode whether {@code b} is in read mode (flipped) rather than write mode.
     * @return {@code b}'s contents in a buffer of at least {@code size} bytes, same mode.
     * @throws SSLException when {@code b} is that large already: the peer sent a record beyond
     *                      the protocol's limit.
     */
    private static ByteBuffer larger(final ByteBuffer b, final int size, final boolean readMode) throws SSLException
    {
        if (b.capacity() >= size)
        {
            throw new SSLException("TLS record larger than " + size + " bytes");
        }
        final ByteBuffer grown = ByteBuffer.allocate(size);
        if (readMode)
        {
            grown.put(b).flip();
        }
        else
        {
            grown.put(b.flip());
        }
        return grown;
    }
}
