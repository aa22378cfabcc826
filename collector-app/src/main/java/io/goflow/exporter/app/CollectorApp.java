package io.goflow.exporter.app;

import io.goflow.exporter.config.Settings;
import io.goflow.exporter.http.ExtraLabelsCollector;
import io.goflow.exporter.http.MetricsHttpServer;
import io.goflow.exporter.http.WebSecurity;
import io.goflow.exporter.runtime.FlowCollector;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The running product: the {@link FlowCollector} pipeline plus the HTTP endpoint serving a private
 * {@link CollectorRegistry} (never the default one, so nothing else in the JVM leaks metrics in).
 * Start order is pipeline then HTTP; {@link #close()} stops HTTP first, then drains and closes
 * the pipeline.
 */
public final class CollectorApp implements AutoCloseable
{
    private final FlowCollector collector;
    private final MetricsHttpServer http;
    private final WebSecurity security;

    private CollectorApp(final FlowCollector collector, final MetricsHttpServer http, final WebSecurity security)
    {
        this.collector = collector;
        this.http = http;
        this.security = security;
    }

    /**
     * @param settings validated settings, databases already resolved.
     * @throws IOException when a listener or the HTTP port cannot be bound (message names it).
     */
    public static CollectorApp start(final Settings settings) throws IOException
    {
        final FlowCollector collector = FlowCollector.start(settings);
        try
        {
            final CollectorRegistry registry = new CollectorRegistry(true);
            for (final Collector c : collector.collectors())
            {
                registry.register(c);
            }
            if (settings.metrics().jvmMetrics())
            {
                final CollectorRegistry jvm = new CollectorRegistry(true);
                DefaultExports.register(jvm);
                registry.register(new ExtraLabelsCollector(jvm, settings.metrics().customLabels()));
            }
            final InetSocketAddress bind = new InetSocketAddress(
                InetAddress.getByName(settings.server().metricsAddr()), settings.server().metricsPort());
            final WebSecurity security = WebSecurity.load(settings.server().webConfigFile(), collector.httpCounters());
            final MetricsHttpServer http = MetricsHttpServer.start(
                bind, settings.server().metricsPath(), registry, collector.flowSeries(), collector::isReady, Version.get(),
                collector.httpCounters(), security);
            return new CollectorApp(collector, http, security);
        }
        catch (final IOException | RuntimeException ex)
        {
            collector.close();
            throw ex;
        }
    }

    /** @return TLS and authentication of the HTTP endpoint. */
    public WebSecurity security()
    {
        return security;
    }

    /** @return the bound HTTP port. */
    public int httpPort()
    {
        return http.port();
    }

    public FlowCollector collector()
    {
        return collector;
    }

    @Override
    public void close()
    {
        try
        {
            http.close();
        }
        finally
        {
            collector.close();
        }
    }
}
