package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The end-to-end load run: starts a collector (ours from the release tarball, or the nfacctd
 * peer), drives {@link LoadGenerator} at it in steps, and reports per step offered and achieved
 * rates, loss split by cause, latency quantiles, CPU, heap, RSS and GC, from the collector's own
 * metrics, {@code /proc/net/udp} and {@code /proc/PID}.
 *
 * <pre>
 *   LoadRun JVM ── LoadGenerator (N exporters, 127.0.0.10+i) ──UDP──▶ collector 127.0.0.1:12055
 *        │                                                             │
 *        └──── snapshot before/after each step: /metrics, /proc ───────┘
 * </pre>
 *
 * <p>Modes, run in the order given for each target (targets one after the other, never together):
 * <ul>
 *   <li>{@code fixed}: a warm-up, then {@code --repeat} steps of {@code --duration} s at
 *       {@code --rate} records/s; prints median/min/max.</li>
 *   <li>{@code search}: steps of {@code --step-duration} s; doubles the rate while a step is
 *       lossless, then bisects between the best lossless and the worst lossy rate until they are
 *       within 5% or {@code --search-steps} steps have run. Reports the highest lossless rate.</li>
 *   <li>{@code half}: {@code --repeat} steps of {@code --half-duration} s at half the zero-loss
 *       rate the preceding {@code search} found, for latency at a sustainable load.</li>
 *   <li>{@code soak}: consecutive {@code --step-duration} s steps for {@code --duration} s at
 *       {@code --rate}, one line each, to watch RSS and GC over time.</li>
 * </ul>
 * Results go to stdout and to {@code results.tsv} in the run directory, with the collector's
 * config, log and GC log.
 */
public final class LoadRun
{
    private static final double SEARCH_PRECISION = 0.05;

    private final Map<String, String> args;
    private final Path runDir;
    private final Path results;
    private final List<StepResult> all = new ArrayList<>();

    private LoadRun(final Map<String, String> args) throws IOException
    {
        this.args = args;
        this.runDir = Path.of(args.getOrDefault("out", "benchmarks/target/load-run-" +
            Instant.now().toString().replace(":", "").replace(".", "-"))).toAbsolutePath();
        Files.createDirectories(runDir);
        this.results = runDir.resolve("results.tsv");
        Files.writeString(results, "mode\t" + StepResult.header() + "\n");
    }

    public static void main(final String[] argv) throws Exception
    {
        final Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++)
        {
            if (argv[i].equals("-h") || argv[i].equals("--help"))
            {
                System.out.println(usage());
                return;
            }
            if (!argv[i].startsWith("--") || i + 1 >= argv.length)
            {
                System.err.println("bad argument " + argv[i]);
                System.err.println(usage());
                System.exit(2);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        new LoadRun(args).runAll();
    }

    private void runAll() throws Exception
    {
        final int rcvbuf = integer("rcvbuf", 64 * 1024 * 1024);
        System.out.println("run directory: " + runDir);
        final Map<String, Double> maxLossless = new LinkedHashMap<>();
        for (final String targetName : args.getOrDefault("targets", "goflow,nfacctd").split(","))
        {
            raiseRmemMax(rcvbuf);
            try (CollectorTarget target = target(targetName.trim(), rcvbuf))
            {
                target.start();
                System.out.println("# " + target.name() + " started, pids " + target.pids());
                System.out.println("mode\t" + StepResult.header());
                for (final String mode : args.getOrDefault("modes", "fixed,search").split(","))
                {
                    switch (mode.trim())
                    {
                        case "fixed" -> fixed(target);
                        case "search" -> maxLossless.put(target.name(), search(target));
                        case "soak" -> soak(target);
                        case "half" -> half(target, maxLossless.get(target.name()));
                        default -> throw new IllegalArgumentException("unknown mode " + mode);
                    }
                    System.out.println("# " + target.name() + " live series after " + mode.trim() + ": " + target.liveSeries());
                }
            }
        }
        summary(maxLossless);
    }

    private CollectorTarget target(final String name, final int rcvbuf) throws IOException
    {
        final Path shared = LoadGenerator.defaultExportsDir().getParent().getParent();
        final int port = integer("port", 12055);
        final long series = (long)number("series", 96_000);
        return switch (name)
        {
            case "goflow" -> new GoflowTarget(new GoflowTarget.Options(
                tarball(), runDir.resolve("goflow"), args.containsKey("goflow-config") ? Path.of(args.get("goflow-config")) : null,
                port, integer("http-port", 18080), Path.of(args.getOrDefault("geoip-dir", shared.resolve("testdata/geoip").toString())),
                (long)number("max-series", 100_000), integer("workers", 2), integer("queue-size", 10000), rcvbuf,
                args.getOrDefault("java-opts", "")));
            case "nfacctd" -> new NfacctdTarget(runDir.resolve("nfacctd"), port, rcvbuf, series,
                LoadGenerator.defaultExportsDir().resolve("softflowd_v5.pcap"));
            default -> throw new IllegalArgumentException("unknown target " + name + " (goflow | nfacctd)");
        };
    }

    private Path tarball() throws IOException
    {
        if (args.containsKey("tarball"))
        {
            return Path.of(args.get("tarball"));
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(Path.of("collector-app/target"), "goflow-exporter-*.tar.gz"))
        {
            for (final Path p : found)
            {
                return p;
            }
        }
        catch (final IOException ex)
        {
            // reported below
        }
        throw new IOException("no collector-app/target/goflow-exporter-*.tar.gz; build with mvn -B package or pass --tarball");
    }

    private LoadGenerator.Options generator(final double rate, final double seconds, final int port) throws IOException
    {
        final LoadGenerator.Options d = LoadGenerator.Options.defaults(LoadGenerator.defaultExportsDir());
        final List<Path> captures = new ArrayList<>();
        if (args.containsKey("captures"))
        {
            for (final String c : args.get("captures").split(","))
            {
                captures.add(Path.of(c));
            }
        }
        else
        {
            captures.addAll(d.captures());
        }
        return new LoadGenerator.Options(
            captures, new InetSocketAddress("127.0.0.1", port), integer("exporters", 64), d.firstSource(), rate, true,
            (long)(seconds * 1e9), 0, integer("template-every", d.templateEveryDatagrams()), d.templateIntervalNs(),
            (long)number("series", 96_000), null, integer("threads", 1), d.sendBufferBytes());
    }

    private StepResult step(final String mode, final CollectorTarget target, final double rate, final double seconds)
        throws IOException, InterruptedException
    {
        target.beforeStep();
        final CollectorTarget.Snapshot before = target.snapshot();
        final LoadGenerator.Result offered = LoadGenerator.run(generator(rate, seconds, target.port()));
        target.settle();
        final CollectorTarget.Snapshot after = target.snapshot();
        final StepResult result = target.evaluate(rate, offered, before, after);
        all.add(result);
        final String line = mode + "\t" + result.tsv();
        System.out.println(line);
        Files.writeString(results, line + "\n", StandardOpenOption.APPEND);
        return result;
    }

    private void warmUp(final CollectorTarget target, final double rate) throws IOException, InterruptedException
    {
        final double seconds = number("warmup", 10);
        if (seconds > 0)
        {
            step("warmup", target, rate, seconds);
        }
    }

    private void fixed(final CollectorTarget target) throws IOException, InterruptedException
    {
        final double rate = number("rate", 3_000_000);
        warmUp(target, rate);
        final List<StepResult> runs = new ArrayList<>();
        final int repeat = target instanceof NfacctdTarget && args.containsKey("peer-repeat") ?
            integer("peer-repeat", 1) : integer("repeat", 3);
        for (int i = 0; i < repeat; i++)
        {
            runs.add(step("fixed", target, rate, number("duration", 60)));
        }
        printSpread(target.name() + " fixed " + fmt(rate) + " records/s x " + runs.size(), runs);
    }

    /** Latency at half of the zero-loss rate the search just found for this target. */
    private void half(final CollectorTarget target, final Double maxRate) throws IOException, InterruptedException
    {
        if (target instanceof NfacctdTarget)
        {
            System.out.println("# half: the peer reports no latency; skipped");
            return;
        }
        if (maxRate == null || maxRate <= 0)
        {
            System.out.println("# half: no zero-loss rate found by a search before it; skipped");
            return;
        }
        final double rate = maxRate / 2;
        final List<StepResult> runs = new ArrayList<>();
        for (int i = 0; i < integer("repeat", 3); i++)
        {
            runs.add(step("half", target, rate, number("half-duration", 20)));
        }
        printSpread(target.name() + " half of max zero-loss, " + fmt(rate) + " records/s x " + runs.size(), runs);
    }

    private double search(final CollectorTarget target) throws IOException, InterruptedException
    {
        double rate = number("search-start", 500_000);
        warmUp(target, rate);
        final double seconds = number("step-duration", 10);
        double lossless = 0;
        double lossy = Double.NaN;
        for (int i = 0; i < integer("search-steps", 8); i++)
        {
            final StepResult r = step("search", target, rate, seconds);
            if (r.zeroLoss())
            {
                lossless = Math.max(lossless, r.offered().recordsPerSecond());
                if (r.offered().recordsPerSecond() < 0.95 * rate)
                {
                    System.out.println("# generator could not offer " + fmt(rate) + " records/s; search stops at its limit");
                    break;
                }
                rate = Double.isNaN(lossy) ? rate * 2 : (lossless + lossy) / 2;
            }
            else
            {
                lossy = Double.isNaN(lossy) ? rate : Math.min(lossy, rate);
                rate = (lossless + lossy) / 2;
            }
            if (!Double.isNaN(lossy) && (lossy - lossless) / lossy < SEARCH_PRECISION)
            {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "# %s max zero-loss rate: %s records/s (lowest lossy: %s)%n",
            target.name(), fmt(lossless), Double.isNaN(lossy) ? "none" : fmt(lossy));
        return lossless;
    }

    private void soak(final CollectorTarget target) throws IOException, InterruptedException
    {
        final double rate = number("rate", 1_500_000);
        final double stepSeconds = number("step-duration", 30);
        final int steps = (int)Math.max(1, Math.round(number("duration", 600) / stepSeconds));
        final List<StepResult> runs = new ArrayList<>();
        for (int i = 0; i < steps; i++)
        {
            runs.add(step("soak", target, rate, stepSeconds));
        }
        final long minRss = runs.stream().mapToLong(r -> r.resources().rssMb()).min().orElse(0);
        final long maxRss = runs.stream().mapToLong(r -> r.resources().rssMb()).max().orElse(0);
        System.out.printf(Locale.ROOT, "# %s soak: RSS first %d MB, last %d MB, min %d, max %d over %d steps%n",
            target.name(), runs.get(0).resources().rssMb(), runs.get(runs.size() - 1).resources().rssMb(), minRss, maxRss, steps);
    }

    private static void printSpread(final String title, final List<StepResult> runs)
    {
        System.out.println("# " + title + ": median [min, max]");
        spread("achieved records/s", runs, StepResult::achievedRecordsPerSecond);
        spread("achieved datagrams/s", runs, StepResult::achievedDatagramsPerSecond);
        spread("offered records/s", runs, r -> r.offered().recordsPerSecond());
        spread("lost records", runs, r -> r.lostRecords());
        spread("kernel drops", runs, r -> r.kernelDrops());
        spread("ring drops", runs, r -> r.ringDrops());
        spread("p50 ms", runs, StepResult::p50Ms);
        spread("p99 ms", runs, StepResult::p99Ms);
        spread("p999 ms", runs, StepResult::p999Ms);
        spread("cpu cores", runs, r -> r.resources().cpuCores());
        spread("rss MB", runs, r -> r.resources().rssMb());
        spread("generator cpu cores", runs, r -> r.resources().generatorCores());
        spread("young GCs", runs, r -> r.youngGcs());
        spread("live series", runs, r -> r.liveSeries());
    }

    private static void spread(final String what, final List<StepResult> runs, final ToDoubleFunction<StepResult> f)
    {
        final double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        final double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "#   %-22s %s [%s, %s]%n", what, fmt(median), fmt(v[0]), fmt(v[v.length - 1]));
    }

    private void summary(final Map<String, Double> maxLossless)
    {
        if (maxLossless.containsKey("goflow-exporter") && maxLossless.containsKey("nfacctd") && maxLossless.get("nfacctd") > 0)
        {
            System.out.printf(Locale.ROOT, "# peer ratio (max zero-loss records/s, same run): goflow-exporter %s / nfacctd %s = %.2f%n",
                fmt(maxLossless.get("goflow-exporter")), fmt(maxLossless.get("nfacctd")),
                maxLossless.get("goflow-exporter") / maxLossless.get("nfacctd"));
        }
        System.out.println("# results: " + results);
    }

    private static String fmt(final double v)
    {
        if (Double.isNaN(v) || Double.isInfinite(v))
        {
            return String.valueOf(v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static void raiseRmemMax(final int bytes)
    {
        final Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        try
        {
            final long current = Long.parseLong(Files.readAllLines(rmemMax).get(0).trim());
            if (current < bytes)
            {
                Files.writeString(rmemMax, Integer.toString(bytes));
                System.out.println("# net.core.rmem_max raised from " + current + " to " + bytes);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            System.out.println("# could not raise net.core.rmem_max (" + ex.getMessage() + "); SO_RCVBUF is capped by it");
        }
    }

    private double number(final String key, final double fallback)
    {
        return args.containsKey(key) ? Double.parseDouble(args.get(key)) : fallback;
    }

    private int integer(final String key, final int fallback)
    {
        return (int)number(key, fallback);
    }

    private static String usage()
    {
        return String.join(System.lineSeparator(),
            "java -cp benchmarks/target/benchmarks.jar io.goflow.exporter.benchmarks.load.LoadRun [--key value]...",
            "  --targets goflow,nfacctd   collectors, one after the other (default both)",
            "  --modes fixed,search       fixed | search | half | soak, in order (default fixed,search);",
            "                             half: --repeat steps of --half-duration s (20) at half the rate search found",
            "  --rate R                   records/s of fixed and soak (default 3000000 fixed, 1500000 soak)",
            "  --duration S               fixed step length / soak total (default 60 / 600)",
            "  --repeat N                 fixed steps (default 3); --peer-repeat N for nfacctd (default --repeat)",
            "  --step-duration S          search / soak step length (default 10 / 30)",
            "  --search-start R           first search rate (default 500000); --search-steps N (default 8)",
            "  --warmup S                 warm-up step before fixed and search (default 10, 0 = none)",
            "  --exporters N              simulated exporters (default 64); --threads T sender threads (default 1)",
            "  --series N                 distinct 5-tuples to generate (default 96000: 16 variants, under max_series)",
            "  --captures A,B             captures (default softflowd_v9 + softflowd_ipfix)",
            "  --port P                   UDP port (default 12055, clear of the usual 2055); --http-port P (default 18080)",
            "  --tarball F                goflow tarball (default collector-app/target/goflow-exporter-*.tar.gz)",
            "  --goflow-config F          use this config instead of the generated benchmark config",
            "  --max-series N             goflow aggregation.max_series (default 100000)",
            "  --workers N, --queue-size N goflow performance.* (default 2, 10000)",
            "  --rcvbuf BYTES             SO_RCVBUF for both collectors (default 64 MiB; raises net.core.rmem_max)",
            "  --java-opts '...'          extra JVM options for goflow (GC logging is always on)",
            "  --geoip-dir D              MaxMind test databases (default shared/testdata/geoip)",
            "  --out DIR                  run directory (default benchmarks/target/load-run-TIMESTAMP)");
    }
}
