package io.goflow.exporter.decoders.testsupport;

import java.util.Map;
import java.util.TreeMap;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;

/** Reads an {@link ExporterSamplingTable} the way the metrics scrape does, after a timer. */
public final class SamplingStates
{
    private SamplingStates()
    {
    }

    /**
     * Runs the table's timer at {@code nowNs} and returns its published states as
     * {@code "protocol exporter source" -> rate}.
     */
    public static Map<String, Long> published(final ExporterSamplingTable table, final long nowNs)
    {
        table.onTimer(nowNs);
        final Map<String, Long> out = new TreeMap<>();
        table.forEachExporter(s -> out.put(
            s.type().metricLabel() + " " + AddressText.toString(s.addrHi(), s.addrLo()) + " " + s.source().label(), s.rate()));
        return out;
    }

    /** @return the published states' {@code source -> rate}, for a table with one exporter. */
    public static Map<String, Long> sources(final ExporterSamplingTable table, final long nowNs)
    {
        final Map<String, Long> out = new TreeMap<>();
        published(table, nowNs).forEach((k, v) -> out.put(k.substring(k.lastIndexOf(' ') + 1), v));
        return out;
    }
}
