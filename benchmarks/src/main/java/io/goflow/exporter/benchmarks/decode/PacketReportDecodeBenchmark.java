package io.goflow.exporter.benchmarks.decode;

import io.goflow.exporter.benchmarks.Captures;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Decode throughput, packet reports per second, of IPFIX PSAMP (softflowd 1.1.0 {@code -v psamp},
 * one report per datagram, each a 1390-byte IE 315 dataLinkFrameSection of which IE 410 says 128
 * bytes are the packet): {@code captures/psamp/softflowd_psamp_s100.pcap} in the decoders' test
 * resources, whose truth file counts 657 reports. Each report goes through the sampled-header
 * parser (Ethernet, 802.1Q, IPv4/IPv6, TCP/UDP/ICMP) and the packet-report counter rule.
 */
@OperationsPerInvocation(PacketReportDecodeBenchmark.TRUTH_FLOWS)
public class PacketReportDecodeBenchmark extends DecodeBenchmarkSupport
{
    static final int TRUTH_FLOWS = 657;

    @Override
    protected String capture()
    {
        return "softflowd_psamp_s100.pcap";
    }

    @Override
    protected Captures.Payloads loadPayloads()
    {
        return Captures.payloads(Captures.repositoryCapture("psamp", capture()));
    }

    @Override
    protected int truthFlows()
    {
        return TRUTH_FLOWS;
    }
}
