package io.goflow.exporter.benchmarks.decode;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Decode throughput, flow records per second, of NetFlow v9 (softflowd 1.1.0, 243 datagrams with templates every 16): {@code softflowd_v9.pcap}, whose truth file counts
 * 6297 flows.
 */
@OperationsPerInvocation(Netflow9DecodeBenchmark.TRUTH_FLOWS)
public class Netflow9DecodeBenchmark extends DecodeBenchmarkSupport
{
    static final int TRUTH_FLOWS = 6297;

    @Override
    protected String capture()
    {
        return "softflowd_v9.pcap";
    }

    @Override
    protected int truthFlows()
    {
        return TRUTH_FLOWS;
    }
}
