package io.goflow.exporter.tools.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PcapReaderCaptureTest
{
    static List<Path> captures()
    {
        return TruthFile.captures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void shouldFindAsManyUdpDatagramsAsWiresharkWhenReadingSharedCapture(final Path pcap) throws Exception
    {
        final TruthFile truth = TruthFile.forCapture(pcap);
        long count = 0;
        final UdpDatagram d = new UdpDatagram();
        try (PcapReader reader = PcapReader.open(pcap))
        {
            while (reader.next(d))
            {
                count++;
            }
        }
        assertEquals(truth.udpDatagrams(), count);
    }
}
