package io.goflow.exporter.decoders.template;

/** Receives one {@link ExporterStats} per exporter stream; called on the thread that asked. */
@FunctionalInterface
public interface ExporterStatsVisitor
{
    void onExporter(ExporterStats stats);
}
