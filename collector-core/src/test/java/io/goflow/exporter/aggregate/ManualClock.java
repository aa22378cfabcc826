package io.goflow.exporter.aggregate;

import org.agrona.concurrent.EpochNanoClock;

/** Test clock: time moves only when the test says so. */
final class ManualClock implements EpochNanoClock
{
    long nowNs;

    ManualClock(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    @Override
    public long nanoTime()
    {
        return nowNs;
    }
}
