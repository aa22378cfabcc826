package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.SamplingStates;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PSAMP packet reports from real exporters, compared with tshark's decode of the same capture, in
 * {@link CaptureTruthTest}'s terms (records, packets, L3 bytes, per 5-tuple, per interface). The
 * captures and their truth files are in {@code src/test/resources/captures/psamp}; its README
 * gives the commands that made them: softflowd 1.1.0 {@code -v psamp} fed with the shared source
 * traffic, and {@code gen_packet_reports.py}'s hand-built reports (802.1Q, QinQ, MPLS, Ethernet
 * over MPLS, IPv4 options, IPv6, ICMP, selector options giving 1 in 100, a v9 vendor variant),
 * each made into truth by {@code tools/truth.py}.
 *
 * <p>Wireshark flags some frames of these captures malformed (the sections are 128 bytes of
 * longer packets, so it finds TCP payloads cut), which would make {@link CaptureTruthTest} lenient:
 * here the totals are binding anyway, since those complaints are about bytes after the headers.
 */
class PacketReportCaptureTest
{
    static final Path DIR = Path.of("src/test/resources/captures/psamp");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"softflowd_psamp_s100.pcap", "handbuilt_packet_reports.pcap"})
    void shouldMatchTsharkTruthWhenDecodingPacketReports(final String capture)
    {
        final Path pcap = DIR.resolve(capture);
        final TruthFile truth = TruthFile.forCapture(pcap);
        final CaptureRun run = CaptureRun.run(pcap, truth);

        assertEquals(List.of(), CaptureTruthTest.compare(truth, run), "differences from " + capture);
        assertEquals(truth.totals().flows(), run.totals.packets, "one packet per packet report");
        assertEquals(0, CaptureTruthTest.countedErrors(run.decoder.counters()), "no error counted");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"softflowd_psamp_s100.pcap"})
    void shouldReportRateUnknownOnceForTheExporterWhenNoSelectorIsAnnounced(final String capture)
    {
        final Path pcap = DIR.resolve(capture);
        final long[] lastReceivedNs = new long[1];
        final DatagramDecoder decoder = CaptureRun.newDecoder();
        final CaptureRun run = CaptureRun.run(pcap, CaptureRun.portMapOf(TruthFile.forCapture(pcap)), decoder, new FlowSink()
        {
            @Override
            public void onFlowRecord(final FlowRecord r)
            {
                lastReceivedNs[0] = r.timeReceivedNs;
            }

            @Override
            public void onOtherRecord(final FlowRecord r)
            {
            }
        });

        assertEquals(657, run.totals.flows);
        assertEquals(Map.of("ipfix 127.0.0.1 none", 1L), SamplingStates.published(decoder.samplingStates(), lastReceivedNs[0]));
    }
}
