package io.goflow.exporter.app;

import io.goflow.exporter.config.Settings;
import io.goflow.exporter.enrich.EnrichmentService;
import io.goflow.exporter.receive.ListenerPlan;
import io.goflow.exporter.receive.ListenerSpec;

import java.io.IOException;
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
 *       bound to an ephemeral port on it and closed at once.</li>
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
        return new Result(List.copyOf(errors), List.copyOf(warnings));
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
