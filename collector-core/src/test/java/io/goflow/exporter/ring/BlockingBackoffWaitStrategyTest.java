package io.goflow.exporter.ring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.FixedSequenceGroup;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlockingBackoffWaitStrategyTest
{
    private final BlockingBackoffWaitStrategy strategy = new BlockingBackoffWaitStrategy();
    private final RingBuffer<long[]> ring = RingBuffer.createMultiProducer(() -> new long[1], 8, strategy);
    private final Sequence shard = new Sequence();

    @Test
    void shouldWaitForDependentConsumerAfterCursorMoved() throws Exception
    {
        final SequenceBarrier aggregation = ring.newBarrier(shard);
        ring.publish(ring.next());
        final CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> waitFor(aggregation, 0));
        Thread.sleep(50);
        assertFalse(waited.isDone(), "returned before the shard had processed sequence 0");
        shard.set(0);
        assertEquals(0L, waited.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldWakeOnPublishWhenCursorIsBehind() throws Exception
    {
        final SequenceBarrier shards = ring.newBarrier();
        final CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> waitFor(shards, 1));
        ring.publish(ring.next());
        Thread.sleep(50);
        assertFalse(waited.isDone(), "returned before sequence 1 was published");
        ring.publish(ring.next());
        assertEquals(1L, waited.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldStopWaitingOnDependentWhenAlerted() throws Exception
    {
        final SequenceBarrier aggregation = ring.newBarrier(new FixedSequenceGroup(new Sequence[] {shard}));
        ring.publish(ring.next());
        final CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> waitFor(aggregation, 0));
        Thread.sleep(50);
        aggregation.alert();
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> waited.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AlertException.class, ex.getCause().getCause());
    }

    private static long waitFor(final SequenceBarrier barrier, final long sequence)
    {
        try
        {
            return barrier.waitFor(sequence);
        }
        catch (final AlertException | InterruptedException | com.lmax.disruptor.TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
