package io.goflow.exporter.acceptance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A picture of the dashboard's panel data without Grafana: one SVG tile per panel, laid out in
 * three columns, drawn from the instant results of the panel's queries. Stats show their value,
 * the Geomap its points on a plain longitude/latitude grid, every other panel its largest series
 * as horizontal bars. Written by the acceptance suite to {@code target/dashboard-preview.svg}.
 */
final class DashboardPreview
{
    /** One panel and the samples its queries returned. */
    record Panel(String title, String type, String unit, List<PrometheusServer.Sample> samples)
    {
    }

    private static final int TILE_W = 420;
    private static final int TILE_H = 230;
    private static final int COLUMNS = 3;
    private static final int BARS = 8;
    private static final Set<String> HIDDEN_LABELS = Set.of("__name__", "job", "instance", "collector_id");

    private DashboardPreview()
    {
    }

    static void write(final List<Panel> panels, final Path out) throws IOException
    {
        final int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "font-family=\"sans-serif\" font-size=\"11\">%n", COLUMNS * TILE_W, rows * TILE_H + 30));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#111217\"/>\n");
        svg.append("<text x=\"10\" y=\"20\" fill=\"#ccc\" font-size=\"14\">goflow-exporter dashboard: panel data from the acceptance run</text>\n");
        for (int i = 0; i < panels.size(); i++)
        {
            tile(svg, panels.get(i), (i % COLUMNS) * TILE_W, 30 + (i / COLUMNS) * TILE_H);
        }
        svg.append("</svg>\n");
        Files.createDirectories(out.getParent());
        Files.writeString(out, svg.toString());
    }

    private static void tile(final StringBuilder svg, final Panel p, final int x, final int y)
    {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#181b1f\" stroke=\"#333\"/>%n",
            x + 4, y + 4, TILE_W - 8, TILE_H - 8));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#ddd\" font-size=\"13\">%s (%s)</text>%n",
            x + 14, y + 24, escape(p.title()), p.type()));
        if ("stat".equals(p.type()))
        {
            final String value = p.samples().isEmpty() ? "no data" : format(p.samples().get(0).value(), p.unit());
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#73bf69\" font-size=\"40\">%s</text>%n",
                x + 30, y + 130, escape(value)));
        }
        else if ("geomap".equals(p.type()))
        {
            map(svg, p, x + 14, y + 36, TILE_W - 28, TILE_H - 50);
        }
        else
        {
            bars(svg, p, x + 14, y + 40);
        }
    }

    private static void bars(final StringBuilder svg, final Panel p, final int x, final int y)
    {
        final List<PrometheusServer.Sample> top = new ArrayList<>(p.samples());
        top.removeIf(s -> !Double.isFinite(s.value()));
        top.sort(Comparator.comparingDouble(PrometheusServer.Sample::value).reversed());
        final double max = top.isEmpty() ? 1 : Math.max(top.get(0).value(), 1e-12);
        for (int i = 0; i < Math.min(BARS, top.size()); i++)
        {
            final PrometheusServer.Sample s = top.get(i);
            final int w = (int)Math.max(1, 180 * Math.max(0, s.value()) / max);
            final int by = y + i * 22;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#aaa\">%s</text>%n", x, by + 12, escape(label(s.labels()))));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"#5794f2\"/>%n", x + 170, by + 2, w));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#ddd\">%s</text>%n", x + 175 + w, by + 12,
                escape(format(s.value(), p.unit()))));
        }
    }

    private static void map(final StringBuilder svg, final Panel p, final int x, final int y, final int w, final int h)
    {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#0b2338\"/>%n", x, y, w, h));
        final double max = p.samples().stream().mapToDouble(PrometheusServer.Sample::value).filter(Double::isFinite).max().orElse(1);
        for (final PrometheusServer.Sample s : p.samples())
        {
            final String lat = s.labels().get("latitude");
            final String lon = s.labels().get("longitude");
            if (lat == null || lon == null)
            {
                continue;
            }
            final double px = x + (Double.parseDouble(lon) + 180) / 360 * w;
            final double py = y + (90 - Double.parseDouble(lat)) / 180 * h;
            final double r = 3 + 12 * Math.sqrt(Math.max(0, s.value()) / Math.max(max, 1e-12));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#73bf69\" fill-opacity=\"0.6\"/>%n", px, py, r));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#ccc\" font-size=\"9\">%s</text>%n", px + r + 1, py + 3,
                escape(s.labels().getOrDefault("city", ""))));
        }
    }

    private static String label(final Map<String, String> labels)
    {
        final StringBuilder sb = new StringBuilder();
        labels.forEach((k, v) ->
        {
            if (!HIDDEN_LABELS.contains(k))
            {
                sb.append(sb.length() == 0 ? "" : " ").append(v);
            }
        });
        final String s = sb.length() == 0 ? "(total)" : sb.toString();
        return s.length() > 28 ? s.substring(0, 27) + "…" : s;
    }

    /** Grafana-like SI formatting for the units the dashboard uses. */
    static String format(final double v, final String unit)
    {
        if (!Double.isFinite(v))
        {
            return String.valueOf(v);
        }
        if ("percent".equals(unit))
        {
            return String.format(Locale.ROOT, "%.2f%%", v);
        }
        if ("d".equals(unit))
        {
            return String.format(Locale.ROOT, "%.1f days", v);
        }
        final String u = unit == null || "short".equals(unit) ? "" : "Bps".equals(unit) ? "B/s" : unit;
        final String[] prefixes = {"", "k", "M", "G", "T"};
        double x = v;
        int i = 0;
        while (Math.abs(x) >= 1000 && i < prefixes.length - 1)
        {
            x /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.3g %s%s", x, prefixes[i], u).trim();
    }

    private static String escape(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
