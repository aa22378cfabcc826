package io.goflow.exporter.benchmarks.decode;

import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Decode throughput, flow records per second, of sFlow v5 (pmacctd sfprobe 1:20, 511 datagrams of flow samples with sampled headers): {@code pmacctd_sfprobe_s20.pcap}, whose truth file counts
 * 3258 flows.
 */
@OperationsPerInvocation(SflowDecodeBenchmark.TRUTH_FLOWS)
public class SflowDecodeBenchmark extends DecodeBenchmarkSupport
{
    static final int TRUTH_FLOWS = 3258;

    @Override
    protected String capture()
    {
        return "pmacctd_sfprobe_s20.pcap";
    }

    @Override
    protected int truthFlows()
    {
        return TRUTH_FLOWS;
    }
}
