package io.goflow.exporter.receive;

import com.lmax.disruptor.RingBuffer;
import io.goflow.exporter.decoders.dispatch.ProtocolDetector;
import io.goflow.exporter.log.RateLimitedLogger;
import io.goflow.exporter.ring.DatagramEvent;
import io.goflow.exporter.ring.DatagramPublisher;
import io.goflow.exporter.ring.ProtocolSlot;
import io.goflow.exporter.ring.RingOverflow;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * One listener's receive loop: blocking {@link DatagramChannel#receive} into a direct buffer owned
 * by this thread, then a copy into a ring slot claimed with {@link RingBuffer#tryNext()}.
 *
 * <p>Never blocks on the ring ({@link DatagramPublisher}): when it is full the datagram is counted
 * as {@link ReceiveCounters#QUEUE_FULL} and dropped, without allocating; a datagram larger than a
 * ring slot when the ring's {@link RingOverflow} has no room left is counted as
 * {@link ReceiveCounters#OVERFLOW_FULL}.
 *
 * <p>Truncation: the receive buffer holds {@code maxPayloadBytes + 1} bytes, so a datagram larger
 * than the largest accepted payload fills it and is counted as {@link ReceiveCounters#TRUNCATED}.
 *
 * <p>Allocation: none per datagram while the sender stays the same. The JDK caches only the last
 * sender's {@link InetSocketAddress}, so each change of sender costs one (about 120 bytes, measured
 * in {@code SteadyStateAllocationTest}); the (hi, lo) form and allow-list verdict are recomputed
 * only then.
 *
 * <p>Faults: an {@link IOException} from the socket is counted, logged (rate-limited) and the
 * socket reopened on the same address and port, with a bounded back-off; the thread never dies
 * before {@link #close(long)}.
 */
public final class DatagramReader implements Runnable, ListenerStats
{
    /** Largest UDP payload over IPv4: 65,535 - 20 (IP header) - 8 (UDP header). */
    public static final int MAX_UDP_PAYLOAD = 65_507;
    static final long REOPEN_BACKOFF_MIN_MS = 50;
    static final long REOPEN_BACKOFF_MAX_MS = 1_000;

    private static final Logger LOG = LogManager.getLogger(DatagramReader.class);

    private final ListenerSpec spec;
    private final DatagramPublisher publisher;
    private final EpochNanoClock clock;
    private final int requestedReceiveBufferBytes;
    private final int maxPayloadBytes;
    private final ByteBuffer receiveBuffer;
    /** {@link #receiveBuffer} for the decoders' protocol detection (its reads are big-endian). */
    private final UnsafeBuffer receiveView;
    private final ReceiveCounters counters = new ReceiveCounters();
    private final RateLimitedLogger errorLog = new RateLimitedLogger(LOG, Level.WARN);

    private volatile boolean running = true;
    private volatile DatagramChannel channel;
    private volatile Thread thread;
    private int boundPort;
    private volatile int effectiveReceiveBufferBytes;

    private InetSocketAddress lastSender;
    private long senderHi;
    private long senderLo;
    private int senderPort;
    private boolean senderAllowed;

    /** @param overflow the ring's area for datagrams larger than a slot, shared by every reader. */
    public DatagramReader(
        final ListenerSpec spec,
        final RingBuffer<DatagramEvent> ring,
        final RingOverflow overflow,
        final int shardCount,
        final EpochNanoClock clock,
        final int requestedReceiveBufferBytes)
    {
        this(spec, ring, overflow, shardCount, clock, requestedReceiveBufferBytes, MAX_UDP_PAYLOAD);
    }

    /** @param maxPayloadBytes largest datagram accepted; tests lower it to provoke truncation. */
    DatagramReader(
        final ListenerSpec spec,
        final RingBuffer<DatagramEvent> ring,
        final RingOverflow overflow,
        final int shardCount,
        final EpochNanoClock clock,
        final int requestedReceiveBufferBytes,
        final int maxPayloadBytes)
    {
        this.spec = spec;
        this.publisher = new DatagramPublisher(ring, overflow, shardCount);
        this.clock = clock;
        this.requestedReceiveBufferBytes = requestedReceiveBufferBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.receiveBuffer = ByteBuffer.allocateDirect(maxPayloadBytes + 1);
        this.receiveView = new UnsafeBuffer(receiveBuffer);
    }

    /**
     * Opens and binds the socket. Call once before {@link #start}.
     *
     * @throws IOException naming protocol, address and port when binding fails.
     */
    public void bind() throws IOException
    {
        try
        {
            channel = open(spec.bindAddress(), spec.port());
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot bind " + spec.describe() + ": " + ex.getMessage(), ex);
        }
        boundPort = ((InetSocketAddress)channel.getLocalAddress()).getPort();
        effectiveReceiveBufferBytes = channel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** Starts the receive thread; {@code name} names it. */
    public void start(final String name)
    {
        final Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run()
    {
        long backoffMs = REOPEN_BACKOFF_MIN_MS;
        while (running)
        {
            final DatagramChannel ch = channel;
            try
            {
                if (ch == null || !ch.isOpen())
                {
                    reopen();
                    continue;
                }
                receiveBuffer.clear();
                final SocketAddress from = ch.receive(receiveBuffer);
                if (from != null)
                {
                    onDatagram((InetSocketAddress)from, receiveBuffer.position(), clock.nanoTime());
                    backoffMs = REOPEN_BACKOFF_MIN_MS;
                }
            }
            catch (final IOException ex)
            {
                if (!running)
                {
                    break;
                }
                counters.onSocketError();
                errorLog.log(clock.nanoTime(), "Listener {} failed, reopening: {}", spec.describe(), ex.toString());
                closeQuietly(ch);
                if (ch == channel)
                {
                    channel = null;
                }
                backoffMs = pause(backoffMs);
            }
            catch (final RuntimeException ex)
            {
                counters.onSocketError();
                errorLog.log(clock.nanoTime(), "Listener {} unexpected error: {}", spec.describe(), ex.toString());
                backoffMs = pause(backoffMs);
            }
        }
        closeQuietly(channel);
    }

    /** Replaces a channel found closed (by a failure or from outside) while still running. */
    private void reopen() throws IOException
    {
        if (channel != null)
        {
            counters.onSocketError();
            channel = null;
        }
        final DatagramChannel reopened = open(spec.bindAddress(), boundPort);
        if (!running)
        {
            closeQuietly(reopened);
            return;
        }
        channel = reopened;
        effectiveReceiveBufferBytes = reopened.getOption(StandardSocketOptions.SO_RCVBUF);
        LOG.info("Reopened listener {}", bound());
    }

    /**
     * Accounts and publishes one datagram of {@code length} bytes at index 0 of the receive buffer.
     * Reader thread only.
     */
    void onDatagram(final InetSocketAddress from, final int length, final long nowNs)
    {
        final ByteBuffer data = receiveBuffer;
        final int slot = ProtocolSlot.of(ProtocolDetector.detect(receiveView, 0, length));
        counters.onReceived(slot, length);
        if (length > maxPayloadBytes)
        {
            counters.onDropped(ReceiveCounters.TRUNCATED);
            return;
        }
        if (from != lastSender)
        {
            final InetAddress address = from.getAddress();
            senderHi = ExporterAddress.hi(address);
            senderLo = ExporterAddress.lo(address);
            senderPort = from.getPort();
            senderAllowed = spec.allowList().allows(senderHi, senderLo);
            lastSender = from;
        }
        if (!senderAllowed)
        {
            counters.onDropped(ReceiveCounters.ALLOW_LIST);
            return;
        }
        final int outcome = publisher.publish(data, length, slot, senderHi, senderLo, senderPort, spec.protocol(), nowNs);
        if (outcome == DatagramPublisher.RING_FULL)
        {
            counters.onDropped(ReceiveCounters.QUEUE_FULL);
        }
        else if (outcome == DatagramPublisher.OVERFLOW_FULL)
        {
            counters.onDropped(ReceiveCounters.OVERFLOW_FULL);
        }
    }

    /** Stops the thread and closes the socket; waits up to {@code timeoutMs} for the thread to end. */
    public void close(final long timeoutMs)
    {
        running = false;
        closeQuietly(channel);
        final Thread t = thread;
        if (t != null)
        {
            try
            {
                t.join(timeoutMs);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public ReceiveCounters counters()
    {
        return counters;
    }

    public ListenerSpec spec()
    {
        return spec;
    }

    /** @return the listener as bound (port chosen by the kernel when 0 was asked). */
    @Override
    public BoundListener bound()
    {
        return new BoundListener(
            spec.protocol(), ListenerPlan.addressText(spec.bindAddress()), boundPort, effectiveReceiveBufferBytes,
            !(spec.bindAddress() instanceof Inet4Address) && spec.bindAddress().isAnyLocalAddress());
    }

    public int requestedReceiveBufferBytes()
    {
        return requestedReceiveBufferBytes;
    }

    /** @return true when the kernel granted less receive buffer than was asked for. */
    public boolean receiveBufferCapped()
    {
        return receiveBufferCapped(requestedReceiveBufferBytes, effectiveReceiveBufferBytes);
    }

    /**
     * Whether SO_RCVBUF was capped (on Linux by {@code net.core.rmem_max}). Linux reports twice the
     * value it set ({@code 2 * min(requested, rmem_max)}); other kernels report the value itself.
     * So a report equal to the request or to twice the request means granted, anything else below
     * twice the request means capped.
     */
    public static boolean receiveBufferCapped(final long requestedBytes, final long reportedBytes)
    {
        return reportedBytes != requestedBytes && reportedBytes < 2 * requestedBytes;
    }

    /** Test hook: the live channel, to inject a socket failure by closing it. */
    DatagramChannel channel()
    {
        return channel;
    }

    /** @return true while the reader runs with an open socket (false once {@link #close} began). */
    public boolean isReceiving()
    {
        final DatagramChannel ch = channel;
        return running && ch != null && ch.isOpen();
    }

    private DatagramChannel open(final InetAddress address, final int port) throws IOException
    {
        final DatagramChannel ch = DatagramChannel.open(
            address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try
        {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, requestedReceiveBufferBytes);
            ch.bind(new InetSocketAddress(address, port));
            ch.configureBlocking(true);
            return ch;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(ch);
            throw ex;
        }
    }

    private long pause(final long backoffMs)
    {
        try
        {
            Thread.sleep(backoffMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            running = false;
        }
        return Math.min(REOPEN_BACKOFF_MAX_MS, backoffMs * 2);
    }

    private static void closeQuietly(final DatagramChannel ch)
    {
        if (ch != null)
        {
            try
            {
                ch.close();
            }
            catch (final IOException ignore)
            {
                // closing after a failure: nothing more to report
            }
        }
    }
}
