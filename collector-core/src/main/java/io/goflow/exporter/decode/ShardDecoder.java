package io.goflow.exporter.decode;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.sampling.ExporterSamplingTable;
import io.goflow.exporter.decoders.template.ExporterStatsVisitor;
import org.agrona.DirectBuffer;

/**
 * What a decode shard needs from a decoder: the {@link DatagramDecoder} contract as an interface,
 * so tests can put a scripted decoder behind the same shard. Production has one implementation
 * ({@link #of(DatagramDecoder)}), so the call site stays monomorphic.
 *
 * <p>Thread ownership: one instance per shard, called from that shard's thread only.
 */
public interface ShardDecoder
{
    /** @see DatagramDecoder#decode */
    int decode(DatagramSource source, DirectBuffer buffer, int offset, int length, FlowSink sink);

    /** @see DatagramDecoder#onTimer */
    void onTimer(long nowNs);

    /** @return the decoder's counters, read by scrapes. */
    DecodeCounters counters();

    /**
     * Visits per-exporter statistics as of the last {@link #onTimer}; any thread (scrapes).
     * Decoders without exporter state visit nothing.
     */
    default void forEachExporter(final ExporterStatsVisitor visitor)
    {
    }

    /**
     * Visits each exporter's sampling sources as of the last {@link #onTimer}; any thread (scrapes).
     * Decoders without that state visit nothing.
     */
    default void forEachSamplingState(final ExporterSamplingTable.Visitor visitor)
    {
    }

    /**
     * @return the stream whose template update {@code template_updates_per_second} refused last
     *         ({@link io.goflow.exporter.decoders.template.ExporterTable#lastTemplateRateRefusal}), null
     *         when none. Shard thread.
     */
    default String lastTemplateRateRefusal()
    {
        return null;
    }

    /** @return {@code decoder} as a shard decoder. */
    static ShardDecoder of(final DatagramDecoder decoder)
    {
        return new ShardDecoder()
        {
            @Override
            public int decode(
                final DatagramSource source, final DirectBuffer buffer, final int offset, final int length,
                final FlowSink sink)
            {
                return decoder.decode(source, buffer, offset, length, sink);
            }

            @Override
            public void onTimer(final long nowNs)
            {
                decoder.onTimer(nowNs);
            }

            @Override
            public DecodeCounters counters()
            {
                return decoder.counters();
            }

            @Override
            public void forEachExporter(final ExporterStatsVisitor visitor)
            {
                decoder.forEachExporter(visitor);
            }

            @Override
            public void forEachSamplingState(final ExporterSamplingTable.Visitor visitor)
            {
                decoder.forEachSamplingState(visitor);
            }

            @Override
            public String lastTemplateRateRefusal()
            {
                return decoder.exporters().lastTemplateRateRefusal();
            }
        };
    }
}
