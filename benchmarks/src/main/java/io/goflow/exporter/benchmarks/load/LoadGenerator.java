package io.goflow.exporter.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays real export captures as UDP to a running collector from many simulated exporters, each
 * on its own loopback source address, at a target rate or at maximum, for a bounded time.
 *
 * <pre>
 *   captures ──split──▶ ReplayScript (templates | data)
 *                           │ one per capture, shared read-only
 *   sender thread(s) ──round robin──▶ SimulatedExporter 0..N-1 (127.0.0.10+i:ephemeral)
 *                                         │ patch sequence / addresses, write()
 *                                         ▼
 *                                   collector 127.0.0.1:port
 * </pre>
 *
 * <p>Exporter {@code i} replays capture {@code i % captures}. Pacing is by tokens: before each
 * datagram the sender compares units sent (records or datagrams) with {@code rate × elapsed} and,
 * when ahead, parks for the difference (no spinning: on a 2-core machine the collector needs the
 * other core). Parking granularity (~60 us) makes small bursts; the collector's receive buffer
 * absorbs them.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.goflow.exporter.benchmarks.load.LoadGenerator --help}.
 */
public final class LoadGenerator
{
    /** Default captures: the unsampled softflowd v9 and IPFIX exports. */
    static final List<String> DEFAULT_CAPTURES = List.of("softflowd_v9.pcap", "softflowd_ipfix.pcap");
    private static final long PARK_THRESHOLD_NS = 50_000;

    /**
     * What to send.
     *
     * @param captures               capture files, one replay script each.
     * @param destination            collector address; port 0 keeps each capture's original port.
     * @param exporters              simulated exporters.
     * @param firstSource            source address of exporter 0; exporter i uses first + i.
     * @param ratePerSecond          target rate; 0 = as fast as possible.
     * @param rateInRecords          rate counts flow records (true) or datagrams (false).
     * @param durationNs             how long to send.
     * @param maxDatagrams           stop after this many datagrams; 0 = no limit.
     * @param templateEveryDatagrams resend templates after this many data datagrams; 0 = never.
     * @param templateIntervalNs     resend templates at least this often; 0 = never.
     * @param targetSeries           vary source addresses to reach about this many distinct
     *                               5-tuples; 0 = replay addresses as captured.
     * @param markerIpv4             replace every IPv4 source address with this one (null = off).
     * @param threads                sender threads; exporters are split between them.
     * @param sendBufferBytes        SO_SNDBUF per socket; 0 = system default.
     */
    public record Options(
        List<Path> captures,
        InetSocketAddress destination,
        int exporters,
        InetAddress firstSource,
        double ratePerSecond,
        boolean rateInRecords,
        long durationNs,
        long maxDatagrams,
        int templateEveryDatagrams,
        long templateIntervalNs,
        long targetSeries,
        Integer markerIpv4,
        int threads,
        int sendBufferBytes)
    {
        /** Defaults: 16 exporters from 127.0.0.10, unpaced, 10 s, templates every 16 datagrams or 10 s. */
        public static Options defaults(final Path exportsDir)
        {
            final List<Path> captures = new ArrayList<>();
            for (final String name : DEFAULT_CAPTURES)
            {
                captures.add(exportsDir.resolve(name));
            }
            return new Options(
                captures, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, ipv4(127, 0, 0, 10),
                0, true, 10_000_000_000L, 0, 16, 10_000_000_000L, 0, null, 1, 4 * 1024 * 1024);
        }

        public Options withRate(final double rate, final boolean inRecords)
        {
            return new Options(captures, destination, exporters, firstSource, rate, inRecords, durationNs, maxDatagrams,
                templateEveryDatagrams, templateIntervalNs, targetSeries, markerIpv4, threads, sendBufferBytes);
        }

        public Options withDuration(final long ns)
        {
            return new Options(captures, destination, exporters, firstSource, ratePerSecond, rateInRecords, ns, maxDatagrams,
                templateEveryDatagrams, templateIntervalNs, targetSeries, markerIpv4, threads, sendBufferBytes);
        }
    }

    /**
     * What was offered.
     *
     * @param seconds      measured send time.
     * @param variants     address variants used (1 = as captured).
     * @param baseKeys     distinct 5-tuples in the captures.
     */
    public record Result(
        long datagrams,
        long flowRecords,
        long packets,
        long bytes,
        long sendErrors,
        double seconds,
        int exporters,
        int variants,
        int baseKeys)
    {
        public double datagramsPerSecond()
        {
            return datagrams / seconds;
        }

        public double recordsPerSecond()
        {
            return flowRecords / seconds;
        }

        /** @return one {@code key=value} line, the format {@code LoadRun} and scripts parse. */
        public String line()
        {
            return String.format(Locale.ROOT,
                "offered datagrams=%d records=%d packets=%d bytes=%d send_errors=%d seconds=%.3f " +
                "datagrams_per_s=%.0f records_per_s=%.0f exporters=%d variants=%d base_keys=%d",
                datagrams, flowRecords, packets, bytes, sendErrors, seconds, datagramsPerSecond(), recordsPerSecond(),
                exporters, variants, baseKeys);
        }
    }

    private LoadGenerator()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Options options;
        try
        {
            options = parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null)
        {
            System.out.println(usage());
            return;
        }
        System.out.println(run(options).line());
    }

    /** Loads the captures, opens the sockets, sends, closes, and reports. */
    public static Result run(final Options options) throws IOException, InterruptedException
    {
        final List<ReplayScript> scripts = new ArrayList<>();
        for (final Path capture : options.captures())
        {
            scripts.add(ReplayScriptBuilder.fromCapture(capture));
        }
        final Set<String> keys = new HashSet<>();
        for (final ReplayScript s : scripts)
        {
            keys.addAll(s.flowKeys());
        }
        final int variants = options.targetSeries() > 0 && !keys.isEmpty() ?
            (int)Math.min(65_536, Math.max(1, (options.targetSeries() + keys.size() - 1) / keys.size())) : 1;
        final List<SimulatedExporter> exporters = openExporters(options, scripts, variants);
        try
        {
            final int threads = Math.max(1, Math.min(options.threads(), exporters.size()));
            final Thread[] senders = new Thread[threads];
            final long startNs = System.nanoTime();
            for (int t = 0; t < threads; t++)
            {
                final List<SimulatedExporter> mine = new ArrayList<>();
                for (int i = t; i < exporters.size(); i += threads)
                {
                    mine.add(exporters.get(i));
                }
                final double rate = options.ratePerSecond() / threads;
                final long maxDatagrams = options.maxDatagrams() > 0 ? Math.max(1, options.maxDatagrams() / threads) : 0;
                senders[t] = new Thread(
                    () -> sendLoop(mine, rate, options.rateInRecords(), startNs, options.durationNs(), maxDatagrams),
                    "load-sender-" + t);
                senders[t].start();
            }
            for (final Thread sender : senders)
            {
                sender.join();
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            long datagrams = 0;
            long records = 0;
            long packets = 0;
            long bytes = 0;
            long errors = 0;
            for (final SimulatedExporter e : exporters)
            {
                datagrams += e.datagramsSent();
                records += e.flowRecordsSent();
                packets += e.packetsSent();
                bytes += e.bytesSent();
                errors += e.sendErrors();
            }
            return new Result(datagrams, records, packets, bytes, errors, seconds, exporters.size(), variants, keys.size());
        }
        finally
        {
            for (final SimulatedExporter e : exporters)
            {
                e.close();
            }
        }
    }

    private static List<SimulatedExporter> openExporters(
        final Options options, final List<ReplayScript> scripts, final int variants) throws IOException
    {
        final List<SimulatedExporter> exporters = new ArrayList<>();
        final int first = ByteBuffer.wrap(options.firstSource().getAddress()).getInt();
        try
        {
            for (int i = 0; i < options.exporters(); i++)
            {
                final ReplayScript script = scripts.get(i % scripts.size());
                final InetSocketAddress dest = options.destination().getPort() != 0 ? options.destination() :
                    new InetSocketAddress(options.destination().getAddress(), script.dstPort());
                final InetAddress source = InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(first + i).array());
                if (!source.isLoopbackAddress())
                {
                    throw new IllegalArgumentException("source " + source + " is not a loopback address");
                }
                exporters.add(new SimulatedExporter(
                    i, options.exporters(), script, source, dest, options.templateEveryDatagrams(),
                    options.templateIntervalNs(), variants, options.markerIpv4(), options.sendBufferBytes()));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final SimulatedExporter e : exporters)
            {
                e.close();
            }
            throw ex;
        }
        return exporters;
    }

    private static void sendLoop(
        final List<SimulatedExporter> exporters,
        final double ratePerSecond,
        final boolean rateInRecords,
        final long startNs,
        final long durationNs,
        final long maxDatagrams)
    {
        final int count = exporters.size();
        final double nsPerUnit = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        long units = 0;
        long datagrams = 0;
        int next = 0;
        while (true)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - startNs >= durationNs || (maxDatagrams > 0 && datagrams >= maxDatagrams))
            {
                return;
            }
            if (nsPerUnit > 0)
            {
                final long dueNs = startNs + (long)(units * nsPerUnit);
                final long aheadNs = dueNs - nowNs;
                if (aheadNs > PARK_THRESHOLD_NS)
                {
                    LockSupport.parkNanos(aheadNs);
                    continue;
                }
            }
            final int records = exporters.get(next).sendNext(nowNs);
            datagrams++;
            units += rateInRecords ? records : 1;
            if (++next == count)
            {
                next = 0;
            }
        }
    }

    /** @return parsed options, or null when help was asked for. */
    static Options parse(final String[] args) throws IOException
    {
        Path exportsDir = defaultExportsDir();
        final List<Path> captures = new ArrayList<>();
        Options o = null;
        String dest = "127.0.0.1";
        int exporters = 16;
        String firstSource = "127.0.0.10";
        double rate = 0;
        boolean inRecords = true;
        double durationS = 10;
        long maxDatagrams = 0;
        int templateEvery = 16;
        double templateIntervalS = 10;
        long series = 0;
        String marker = null;
        int threads = 1;
        int sndbuf = 4 * 1024 * 1024;
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            if (a.equals("-h") || a.equals("--help"))
            {
                return null;
            }
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("missing value for " + a);
            }
            final String v = args[++i];
            switch (a)
            {
                case "--capture" -> captures.add(Path.of(v));
                case "--exports-dir" -> exportsDir = Path.of(v);
                case "--dest" -> dest = v;
                case "--exporters" -> exporters = Integer.parseInt(v);
                case "--first-source" -> firstSource = v;
                case "--rate" -> rate = Double.parseDouble(v);
                case "--rate-unit" ->
                {
                    if (!v.equals("records") && !v.equals("datagrams"))
                    {
                        throw new IllegalArgumentException("--rate-unit is records or datagrams");
                    }
                    inRecords = v.equals("records");
                }
                case "--duration" -> durationS = Double.parseDouble(v);
                case "--max-datagrams" -> maxDatagrams = Long.parseLong(v);
                case "--template-every" -> templateEvery = Integer.parseInt(v);
                case "--template-interval" -> templateIntervalS = Double.parseDouble(v);
                case "--series" -> series = Long.parseLong(v);
                case "--mark-src" -> marker = v;
                case "--threads" -> threads = Integer.parseInt(v);
                case "--sndbuf" -> sndbuf = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (captures.isEmpty())
        {
            for (final String name : DEFAULT_CAPTURES)
            {
                captures.add(exportsDir.resolve(name));
            }
        }
        for (final Path c : captures)
        {
            if (!Files.isReadable(c))
            {
                throw new IllegalArgumentException("capture not readable: " + c);
            }
        }
        if (exporters < 1 || exporters > 240 * 200)
        {
            throw new IllegalArgumentException("--exporters must be 1..48000");
        }
        if (durationS <= 0 || durationS > 24 * 3600)
        {
            throw new IllegalArgumentException("--duration must be in (0, 86400] seconds");
        }
        final InetSocketAddress destination = parseDestination(dest);
        if (!destination.getAddress().isLoopbackAddress())
        {
            throw new IllegalArgumentException("--dest must be a loopback address");
        }
        return new Options(
            captures, destination, exporters, InetAddress.getByName(firstSource), rate, inRecords,
            (long)(durationS * 1e9), maxDatagrams, templateEvery, (long)(templateIntervalS * 1e9), series,
            marker == null ? null : ByteBuffer.wrap(InetAddress.getByName(marker).getAddress()).getInt(), threads, sndbuf);
    }

    private static InetSocketAddress parseDestination(final String dest) throws IOException
    {
        final int colon = dest.lastIndexOf(':');
        if (dest.startsWith("[") || colon < 0 || dest.indexOf(':') != colon)
        {
            final int close = dest.indexOf(']');
            if (dest.startsWith("[") && close > 0)
            {
                final int port = close + 1 < dest.length() ? Integer.parseInt(dest.substring(close + 2)) : 0;
                return new InetSocketAddress(InetAddress.getByName(dest.substring(1, close)), port);
            }
            return new InetSocketAddress(InetAddress.getByName(dest), 0);
        }
        return new InetSocketAddress(InetAddress.getByName(dest.substring(0, colon)), Integer.parseInt(dest.substring(colon + 1)));
    }

    /** @return {@code shared/testdata/exports} from {@code shared.dir} or the usual relative places. */
    static Path defaultExportsDir()
    {
        final String shared = System.getProperty("shared.dir");
        final List<Path> candidates = new ArrayList<>();
        if (shared != null)
        {
            candidates.add(Path.of(shared));
        }
        candidates.add(Path.of("../shared"));
        candidates.add(Path.of("../../shared"));
        candidates.add(Path.of("/work/shared"));
        for (final Path c : candidates)
        {
            final Path exports = c.resolve("testdata/exports");
            if (Files.isDirectory(exports))
            {
                return exports;
            }
        }
        return Path.of("../shared/testdata/exports");
    }

    static InetAddress ipv4(final int a, final int b, final int c, final int d)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {(byte)a, (byte)b, (byte)c, (byte)d});
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String usage()
    {
        return String.join(System.lineSeparator(),
            "java -cp benchmarks/target/benchmarks.jar io.goflow.exporter.benchmarks.load.LoadGenerator [options]",
            "  --capture FILE         export capture to replay (repeatable; default softflowd_v9 + softflowd_ipfix)",
            "  --exports-dir DIR      where the default captures are (default ../shared/testdata/exports)",
            "  --dest HOST[:PORT]     loopback collector address; without port each capture's original port",
            "  --exporters N          simulated exporters (default 16); exporter i replays capture i % captures",
            "  --first-source A       source address of exporter 0, then +1 each (default 127.0.0.10)",
            "  --rate R               target rate per second, 0 = maximum (default 0)",
            "  --rate-unit U          records | datagrams (default records)",
            "  --duration S           seconds to send (default 10)",
            "  --max-datagrams N      stop after N datagrams (default no limit)",
            "  --template-every N     resend templates every N data datagrams, 0 = never (default 16)",
            "  --template-interval S  resend templates at least every S seconds, 0 = never (default 10)",
            "  --series N             vary source addresses to reach about N distinct 5-tuples (default off)",
            "  --mark-src A           replace every IPv4 source address with A (flush traffic)",
            "  --threads T            sender threads (default 1)",
            "  --sndbuf BYTES         SO_SNDBUF per socket (default 4 MiB)",
            "Prints one line: offered datagrams=.. records=.. datagrams_per_s=.. records_per_s=..");
    }
}
