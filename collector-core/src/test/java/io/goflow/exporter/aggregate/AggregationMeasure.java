package io.goflow.exporter.aggregate;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.expose.AggregationStateCollector;
import io.goflow.exporter.expose.FlowSeriesTextWriter;
import io.goflow.exporter.expose.ScrapeExposition;
import io.goflow.exporter.expose.ScrapedFlowMetrics;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A quick {@code System.nanoTime} measurement (not JMH, not run by surefire) of the aggregation
 * engine with the default settings (eleven dimensions, four windows): update cost with
 * {@code keys} live series touched in random order, and scrape time and bytes allocated by the
 * scraping thread for both exposition paths at {@code series} series:
 * <ul>
 *   <li>{@code simpleclient}: what simpleclient's {@code HTTPMetricHandler} does with
 *   {@link AggregationEngine#collector()}: collect, then {@link TextFormat#write004} through an
 *   {@code OutputStreamWriter} into a {@code ByteArrayOutputStream};</li>
 *   <li>{@code stream}: {@link ScrapeExposition#write} (table collector through simpleclient,
 *   flow series streamed from the tables) into a writer that counts characters.</li>
 * </ul>
 *
 * <p>Run: {@code java -Xmx512m --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
 * -cp <test classpath> io.goflow.exporter.aggregate.AggregationMeasure update|stream|simpleclient N}.
 */
final class AggregationMeasure
{
    private static final long T0_NS = TestFlows.T0_NS;

    private AggregationMeasure()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int n = Integer.parseInt(args[1]);
        switch (args[0])
        {
            case "update":
                update(n);
                break;
            default:
                scrape(n, "stream".equals(args[0]));
                break;
        }
    }

    private static AggregationEngine engine(final int maxSeries)
    {
        final AggregationSettings d = AggregationSettings.defaults();
        return new AggregationEngine(new AggregationSettings(d.timeWindowsNs(), d.dimensions(), d.bandwidthWindowNs(),
            maxSeries, d.seriesTtlNs(), false, 0, List.of()), MetricsSettings.defaults(), () -> T0_NS + 1_000_000_000L);
    }

    /** @return {@code count} distinct records: a quarter IPv6, every spec dimension filled, seeded. */
    private static FlowRecord[] records(final int count)
    {
        final Random random = new Random(7);
        final FlowRecord[] records = new FlowRecord[count];
        for (int i = 0; i < count; i++)
        {
            final FlowRecord r = new FlowRecord();
            if ((i & 3) == 0)
            {
                r.srcIpv6(0x2001_0DB8_0000_0000L, random.nextLong());
                r.dstIpv6(0x2001_0DB8_0001_0000L, i);
            }
            else
            {
                r.srcIpv4(0x0A00_0000 | i);
                r.dstIpv4(random.nextInt());
            }
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
            records[i] = r;
        }
        return records;
    }

    private static void update(final int keys)
    {
        final AggregationEngine engine = engine(keys + keys / 4);
        final FlowRecord[] records = records(keys);
        final int[] order = new int[keys];
        final Random random = new Random(11);
        for (int i = 0; i < keys; i++)
        {
            order[i] = i;
        }
        for (int i = keys - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        long nowNs = T0_NS;
        final int perRound = 2_000_000 / keys * keys;
        for (int round = 0; round < 8; round++)
        {
            final long start = System.nanoTime();
            for (int n = 0; n < perRound; n++)
            {
                nowNs += 1_000;
                engine.onFlowRecord(records[order[n % keys]], nowNs);
                if ((n & 255) == 255)
                {
                    engine.onEndOfBatch(nowNs);
                }
            }
            final long ns = System.nanoTime() - start;
            System.out.printf("update %d keys: %.0f ns/update, %.2f M updates/s%n",
                keys, ns / (double)perRound, perRound * 1e3 / ns);
        }
    }

    private static void scrape(final int series, final boolean stream) throws IOException
    {
        final AggregationEngine engine = engine(series);
        long nowNs = T0_NS;
        for (final FlowRecord r : records(series))
        {
            engine.onFlowRecord(r, nowNs++);
        }
        engine.onEndOfBatch(nowNs);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        for (int i = 0; i < 6; i++)
        {
            final long allocatedBefore = threads.getThreadAllocatedBytes(thread);
            final long start = System.nanoTime();
            final long size;
            final CollectorRegistry registry = new CollectorRegistry();
            if (stream)
            {
                registry.register(AggregationStateCollector.of(engine));
                final CountingWriter writer = new CountingWriter();
                new ScrapeExposition(registry, FlowSeriesTextWriter.of(engine)).write(writer);
                size = writer.chars;
            }
            else
            {
                registry.register(ScrapedFlowMetrics.of(engine));
                final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                final OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                TextFormat.write004(writer, registry.metricFamilySamples());
                writer.flush();
                size = out.size();
            }
            System.out.printf("%s %d series: %d ms, %.1f MB allocated, %.1f MB of text%n",
                stream ? "stream" : "simpleclient", series, (System.nanoTime() - start) / 1_000_000,
                (threads.getThreadAllocatedBytes(thread) - allocatedBefore) / 1e6, size / 1e6);
        }
    }

    /** Counts characters and keeps nothing. */
    private static final class CountingWriter extends Writer
    {
        long chars;

        @Override
        public void write(final char[] buffer, final int offset, final int length)
        {
            chars += length;
        }

        @Override
        public void write(final String text, final int offset, final int length)
        {
            chars += length;
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    }
}
