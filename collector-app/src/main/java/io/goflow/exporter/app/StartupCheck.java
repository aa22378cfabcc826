package io.goflow.exporter.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.Settings;
import io.goflow.exporter.enrich.EnrichmentService;
import io.goflow.exporter.http.WebSecurity;
import io.goflow.exporter.receive.ListenerPlan;
import io.goflow.exporter.receive.ListenerSpec;
import io.goflow.exporter.runtime.HeapBudget;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What can be known about a valid configuration before anything is bound. {@code --check-config}
 * and start-up both run it, so a file that passes one passes the other; a failure here is a
 * configuration failure (exit status {@value Main#EXIT_CONFIG}, which the systemd unit does not
 * retry).
 *
 * <ul>
 *   <li>each enabled GeoIP/ASN database is opened and closed: an error when
 *       {@code enrichment.required} is true, a warning (that lookup runs switched off until the file
 *       appears) otherwise;</li>
 *   <li>{@code server.interface} and every {@code server.listeners[].interface} exist and have an
 *       address;</li>
 *   <li>every listener address and {@code metrics_addr} is one this host can bind: a UDP socket is
 *       bound to an ephemeral port on it and closed at once;</li>
 *   <li>the aggregation tables, allocated off-heap at start, fit what is left of the JVM's direct
 *       memory limit ({@code -XX:MaxDirectMemorySize});</li>
 *   <li>the bounded on-heap state fits its share of the maximum heap ({@link HeapBudget});</li>
 *   <li>{@code server.web_config_file}, and the certificate, key and CA files it names, read and
 *       agree (the key belongs to the certificate).</li>
 * </ul>
 * Not checked, because an instance that is running holds them: whether the configured ports are
 * free. Start-up reports a port in use with exit status {@value Main#EXIT_RUNTIME}, which systemd
 * retries.
 */
final class StartupCheck
{
    /** The one thing this check leaves to start-up. */
    static final String NOT_CHECKED = "whether the configured ports are free (binding them is left to start-up)";

    /**
     * @param errors   what would stop start-up, one line each naming the key.
     * @param warnings what start-up works around, one line each.
     */
    record Result(List<String> errors, List<String> warnings)
    {
        boolean ok()
        {
            return errors.isEmpty();
        }
    }

    private StartupCheck()
    {
    }

    static Result run(final Settings settings)
    {
        final List<String> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> databases = EnrichmentService.databaseProblems(settings.enrichment());
        if (settings.enrichment().required())
        {
            for (final String problem : databases)
            {
                errors.add(problem + " (enrichment.required is true)");
            }
        }
        else
        {
            for (final String problem : databases)
            {
                warnings.add(problem + "; that lookup stays off until the file appears " +
                    "(set enrichment.required: true to make this fatal)");
            }
        }
        checkListeners(settings, errors);
        checkMetricsAddress(settings.server().metricsAddr(), errors);
        try
        {
            WebSecurity.check(settings.server().webConfigFile());
        }
        catch (final IOException ex)
        {
            errors.add("server.web_config_file: " + ex.getMessage());
        }
        checkOffHeap(settings, maxDirectMemoryBytes(), directMemoryUsedBytes(), errors);
        final String heap = HeapBudget.of(settings, Runtime.getRuntime().maxMemory()).problem();
        if (heap != null)
        {
            errors.add(heap);
        }
        return new Result(List.copyOf(errors), List.copyOf(warnings));
    }

    /**
     * The aggregation tables are allocated off-heap at start, all at once: they must fit the JVM's
     * direct memory limit, or start-up would end in OutOfMemoryError.
     */
    static void checkOffHeap(final Settings settings, final long limitBytes, final long usedBytes, final List<String> errors)
    {
        final long tables = AggregationEngine.offHeapBytes(settings.aggregation(), settings.metrics());
        if (tables + usedBytes > limitBytes)
        {
            errors.add("aggregation: the series tables need " + mib(tables) + " MiB off-heap (max_series " +
                settings.aggregation().maxSeries() + " in " + (1 + viewCount(settings)) + " view(s)), more than the " +
                mib(limitBytes - usedBytes) + " MiB left of the JVM's direct memory limit of " + mib(limitBytes) +
                " MiB; raise -XX:MaxDirectMemorySize in JAVA_OPTS or lower aggregation.max_series");
        }
    }

    private static int viewCount(final Settings settings)
    {
        return settings.aggregation().views() == null ? 0 : settings.aggregation().views().size();
    }

    private static long mib(final long bytes)
    {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** @return {@code -XX:MaxDirectMemorySize}, or the JVM's default for it (the maximum heap). */
    static long maxDirectMemoryBytes()
    {
        final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        final long configured = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory();
    }

    private static long directMemoryUsedBytes()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    private static void checkListeners(final Settings settings, final List<String> errors)
    {
        final List<ListenerSpec> specs;
        try
        {
            specs = ListenerPlan.resolve(settings.server());
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            errors.add(ex.getMessage());
            return;
        }
        final Set<InetAddress> addresses = new LinkedHashSet<>();
        for (final ListenerSpec spec : specs)
        {
            addresses.add(spec.bindAddress());
        }
        for (final InetAddress address : addresses)
        {
            final String problem = ListenerPlan.bindProblem(address);
            if (problem != null)
            {
                errors.add("server: cannot listen on " + ListenerPlan.addressText(address) + ": " + problem +
                    " (not an address of this host?)");
            }
        }
    }

    private static void checkMetricsAddress(final String metricsAddr, final List<String> errors)
    {
        final InetAddress address;
        try
        {
            address = InetAddress.getByName(metricsAddr);
        }
        catch (final IOException ex)
        {
            errors.add("server.metrics_addr: cannot resolve '" + metricsAddr + "'");
            return;
        }
        final String problem = ListenerPlan.bindProblem(address);
        if (problem != null)
        {
            errors.add("server.metrics_addr: cannot listen on " + metricsAddr + ": " + problem +
                " (not an address of this host?)");
        }
    }
}
