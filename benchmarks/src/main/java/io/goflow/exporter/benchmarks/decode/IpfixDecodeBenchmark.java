package io.goflow.exporter.benchmarks.decode;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Decode throughput, flow records per second, of IPFIX (softflowd 1.1.0, 243 messages with templates every 16): {@code softflowd_ipfix.pcap}, whose truth file counts
 * 6297 flows.
 */
@OperationsPerInvocation(IpfixDecodeBenchmark.TRUTH_FLOWS)
public class IpfixDecodeBenchmark extends DecodeBenchmarkSupport
{
    static final int TRUTH_FLOWS = 6297;

    @Override
    protected String capture()
    {
        return "softflowd_ipfix.pcap";
    }

    @Override
    protected int truthFlows()
    {
        return TRUTH_FLOWS;
    }
}
