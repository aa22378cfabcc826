package io.goflow.exporter.benchmarks;

import io.goflow.exporter.aggregate.AggregationEngine;
import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.Dimension;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.FlowRecord;

import java.util.List;
import java.util.Random;

/** Engines and records for the aggregation benchmarks: 5-tuple keys, the spec's four windows. */
final class AggregationFixtures
{
    /** 2026-01-01T00:00:00Z, aligned on every window's buckets. */
    static final long T0_NS = 1_767_225_600_000_000_000L;

    private AggregationFixtures()
    {
    }

    static AggregationEngine engine(final int maxSeries)
    {
        final AggregationSettings defaults = AggregationSettings.defaults();
        final AggregationSettings settings = new AggregationSettings(
            defaults.timeWindowsNs(),
            List.of(Dimension.SRC_ADDR, Dimension.DST_ADDR, Dimension.PROTOCOL, Dimension.SRC_PORT, Dimension.DST_PORT),
            defaults.bandwidthWindowNs(), maxSeries, defaults.seriesTtlNs(), false, 0, List.of());
        return new AggregationEngine(settings, MetricsSettings.defaults(), () -> T0_NS);
    }

    /** @return {@code count} records with distinct 5-tuples, a mix of IPv4 and IPv6, seeded. */
    static FlowRecord[] records(final int count, final long seed)
    {
        final Random random = new Random(seed);
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
            r.bytes = 40 + random.nextInt(1460);
            r.packets = 1 + random.nextInt(10);
            records[i] = r;
        }
        return records;
    }
}
