package io.goflow.exporter.http;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.expose.AggregationStateCollector;
import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.goflow.exporter.expose.HttpCounters;
import io.goflow.exporter.expose.ScrapeExposition;
import io.prometheus.client.CollectorRegistry;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.List;
import java.util.Random;

/**
 * A quick measurement (not JMH, not run by surefire) of a whole scrape through
 * {@link MetricsHttpServer} at {@code N} series with the default eleven dimensions and four windows:
 * time to the last byte, bytes on the wire, and bytes the scrape threads allocated, identity and
 * gzip, on port 19110.
 *
 * <p>Run: {@code java -Xmx64m -XX:MaxDirectMemorySize=1g -Dagrona.disable.bounds.checks=true
 * --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp <test classpath>
 * io.goflow.exporter.http.ScrapeHttpMeasure 100000}.
 */
final class ScrapeHttpMeasure
{
    private static final long T0_NS = 1_767_225_600_000_000_000L;

    private ScrapeHttpMeasure()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int series = Integer.parseInt(args[0]);
        final AggregationSettings d = AggregationSettings.defaults();
        final AggregationEngine engine = new AggregationEngine(new AggregationSettings(d.timeWindowsNs(), d.dimensions(),
            d.bandwidthWindowNs(), series, d.seriesTtlNs(), false, 0, List.of()), MetricsSettings.defaults(),
            () -> T0_NS + 1_000_000_000L);
        final Random random = new Random(7);
        final FlowRecord r = new FlowRecord();
        for (int i = 0; i < series; i++)
        {
            r.reset();
            r.srcIpv4(0x0A00_0000 | i);
            r.dstIpv4(random.nextInt());
            r.proto = (i & 1) == 0 ? 6 : 17;
            r.srcPort = 1024 + random.nextInt(60_000);
            r.dstPort = 1 + random.nextInt(1024);
            r.inIf = 1 + random.nextInt(48);
            r.outIf = 1 + random.nextInt(48);
            r.srcCountry = ('U' << 8) | 'S';
            r.dstCountry = ('D' << 8) | 'E';
            r.srcAsn = 15169;
            r.dstAsn = 1 + random.nextInt(70_000);
            r.bytes = 40 + random.nextInt(1460);
            r.packets = 1 + random.nextInt(10);
            engine.onFlowRecord(r, T0_NS + i);
        }
        engine.onEndOfBatch(T0_NS + series);
        final CollectorRegistry registry = new CollectorRegistry(true);
        registry.register(AggregationStateCollector.of(engine));
        final MetricsHttpServer server = MetricsHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 19110),
            "/metrics", new ScrapeExposition(registry, FlowSeriesTextWriter.of(engine)), () -> true, "measure",
            HttpLimits.DEFAULT, new HttpCounters(), WebSecurity.none(new HttpCounters()));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] buffer = new byte[1 << 16];
        for (int i = 0; i < 8; i++)
        {
            final boolean gzip = (i & 1) == 1;
            final long allocatedBefore = scrapeThreadsAllocated(threads);
            final long startNs = System.nanoTime();
            final HttpURLConnection c = (HttpURLConnection)new URL("http://127.0.0.1:19110/metrics").openConnection();
            if (gzip)
            {
                c.setRequestProperty("Accept-Encoding", "gzip");
            }
            long wire = 0;
            try (InputStream in = c.getInputStream())
            {
                int n;
                while ((n = in.read(buffer)) >= 0)
                {
                    wire += n;
                }
            }
            final long ms = (System.nanoTime() - startNs) / 1_000_000;
            System.out.printf("%s %d series: %d ms, %.1f MB on the wire, %.2f MB allocated by scrape threads, heap used %.0f MB%n",
                gzip ? "gzip    " : "identity", series, ms, wire / 1e6,
                (scrapeThreadsAllocated(threads) - allocatedBefore) / 1e6,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6);
        }
        server.close();
        engine.close();
    }

    private static long scrapeThreadsAllocated(final com.sun.management.ThreadMXBean threads)
    {
        long sum = 0;
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().startsWith("http-"))
            {
                sum += threads.getThreadAllocatedBytes(t.getId());
            }
        }
        return sum;
    }
}
