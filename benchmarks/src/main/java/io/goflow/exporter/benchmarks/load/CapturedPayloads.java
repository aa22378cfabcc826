package io.goflow.exporter.benchmarks.load;

import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP payloads of a capture, copied out of the product's {@link PcapReader} (whose views are
 * valid only while it is open), with their original destination port and source address. Load
 * time only.
 */
final class CapturedPayloads
{
    /** One UDP payload of a capture. {@code sourceKey} tells the original exporters apart. */
    record Payload(byte[] bytes, int dstPort, String sourceKey)
    {
    }

    private CapturedPayloads()
    {
    }

    /** @return every UDP payload of the capture, in capture order. */
    static List<Payload> read(final Path capture) throws IOException
    {
        final List<Payload> payloads = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(capture))
        {
            final UdpDatagram datagram = new UdpDatagram();
            while (reader.next(datagram))
            {
                final byte[] bytes = new byte[datagram.payloadLength];
                datagram.buffer.getBytes(datagram.payloadOffset, bytes);
                payloads.add(new Payload(bytes, datagram.dstPort,
                    Long.toHexString(datagram.srcAddrHi) + ':' + Long.toHexString(datagram.srcAddrLo)));
            }
        }
        return payloads;
    }
}
