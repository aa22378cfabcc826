package io.goflow.exporter.aggregate;

import io.goflow.exporter.ring.LatencyStats;

/**
 * What the aggregation stage exports about its ring consumer: what it passed to aggregation and
 * how long datagrams took to get there. Implemented by {@link AggregationHandler}, whose thread is
 * the only writer; any thread reads (ordered writes, plain reads).
 */
public interface AggregationStats
{
    /** @return datagram events passed to aggregation. */
    long datagrams();

    /** @return flow records passed to {@link FlowAggregator#onFlowRecord}. */
    long flowRecords();

    /** @return records passed to {@link FlowAggregator#onInterfaceCounters}. */
    long counterRecords();

    /** @return receive-to-aggregated duration of each datagram. */
    LatencyStats latency();
}
