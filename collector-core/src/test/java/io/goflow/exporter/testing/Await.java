package io.goflow.exporter.testing;

import java.util.function.BooleanSupplier;

/** Bounded polling for tests that wait on other threads (no timing assertion). */
public final class Await
{
    /** Upper bound on any wait; reaching it fails the test. */
    public static final long WAIT_LIMIT_MS = 20_000;

    private Await()
    {
    }

    /** Polls {@code condition} every 2 ms until true; fails after {@link #WAIT_LIMIT_MS}. */
    public static void awaitTrue(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + WAIT_LIMIT_MS;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("condition not reached within " + WAIT_LIMIT_MS + " ms");
            }
            Thread.sleep(2);
        }
    }
}
