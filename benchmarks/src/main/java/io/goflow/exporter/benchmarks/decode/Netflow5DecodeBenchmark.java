package io.goflow.exporter.benchmarks.decode;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Decode throughput, flow records per second, of NetFlow v5 (softflowd 1.1.0, 151 datagrams of up to 30 records): {@code softflowd_v5.pcap}, whose truth file counts
 * 4320 flows.
 */
@OperationsPerInvocation(Netflow5DecodeBenchmark.TRUTH_FLOWS)
public class Netflow5DecodeBenchmark extends DecodeBenchmarkSupport
{
    static final int TRUTH_FLOWS = 4320;

    @Override
    protected String capture()
    {
        return "softflowd_v5.pcap";
    }

    @Override
    protected int truthFlows()
    {
        return TRUTH_FLOWS;
    }
}
