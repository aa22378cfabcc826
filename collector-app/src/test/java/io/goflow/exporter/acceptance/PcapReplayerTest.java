package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The suite's pcap reader against the truth files' datagram and exporter counts. */
class PcapReplayerTest
{
    @Test
    void shouldReadEveryDatagramWhenCaptureIsAnExport() throws Exception
    {
        final Path pcap = SharedData.testdata("exports/pmacctd_nfprobe_v9.pcap");
        assertEquals(Truth.of(pcap).datagrams(), PcapReplayer.read(pcap).size());
    }

    @Test
    void shouldSeeEveryExporterWhenCaptureHasSeveral() throws Exception
    {
        final Path pcap = SharedData.testdata("vendor/graylog-plugin-netflow_nprobe-netflow9.pcap");
        final List<PcapReplayer.Datagram> d = PcapReplayer.read(pcap);
        final long addresses = Truth.of(pcap).map("exporters").keySet().stream().map(k -> k.split(" ")[0]).distinct().count();
        assertEquals(addresses, PcapReplayer.exporters(d));
    }
}
