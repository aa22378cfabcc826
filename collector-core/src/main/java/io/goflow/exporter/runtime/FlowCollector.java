package io.goflow.exporter.runtime;

import io.goflow.exporter.config.Settings;
import io.prometheus.client.Collector;

import java.io.IOException;
import java.util.List;

/**
 * The running collector: listeners, ring, decode/enrich shards and aggregation, built from one
 * {@link Settings}. The application starts it, registers {@link #collectors()} with the HTTP
 * endpoint's registry, and closes it on SIGTERM/SIGINT.
 *
 * <p>Placeholder contract: implemented with the pipeline issue.
 */
public final class FlowCollector implements AutoCloseable
{
    private final Settings settings;

    private FlowCollector(final Settings settings)
    {
        this.settings = settings;
    }

    /**
     * Builds and starts everything, binding every listener before returning.
     *
     * @throws IOException when a listener cannot be bound (message names address and port).
     */
    public static FlowCollector start(final Settings settings) throws IOException
    {
        return new FlowCollector(settings);
    }

    /** @return the Prometheus collectors serving every metric of this collector. */
    public List<Collector> collectors()
    {
        return List.of();
    }

    /** @return true once every listener is bound and the pipeline runs. */
    public boolean isReady()
    {
        return true;
    }

    public Settings settings()
    {
        return settings;
    }

    /** Stops receiving, drains the ring into the aggregates, closes sockets. */
    @Override
    public void close()
    {
    }
}
