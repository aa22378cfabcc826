package io.goflow.exporter.benchmarks;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark inputs taken from the real captures in {@code shared/testdata/exports}: the UDP
 * payloads of a capture packed into one direct buffer, and the flow records they decode to.
 * Setup-time only; allocates freely.
 */
public final class Captures
{
    /** Exporter address used when decoding: 127.0.0.1 IPv4-mapped. */
    public static final long EXPORTER_HI = 0;
    public static final long EXPORTER_LO = FlowRecord.ipv4MappedLo(0x7F00_0001);
    /** A fixed receive time (2026-01-01T00:00:00Z) so template state never expires mid-run. */
    public static final long RECEIVED_NS = 1_767_225_600_000_000_000L;

    /** The payloads of one capture, back to back in {@link #buffer}. */
    public static final class Payloads
    {
        public final UnsafeBuffer buffer;
        public final int[] offsets;
        public final int[] lengths;

        Payloads(final UnsafeBuffer buffer, final int[] offsets, final int[] lengths)
        {
            this.buffer = buffer;
            this.offsets = offsets;
            this.lengths = lengths;
        }

        public int count()
        {
            return offsets.length;
        }
    }

    private Captures()
    {
    }

    /** @return {@code shared/testdata/exports/name}, from {@code -Dshared.dir} or the usual places. */
    public static Path export(final String name)
    {
        final String shared = System.getProperty("shared.dir");
        final List<Path> bases = new ArrayList<>();
        if (shared != null)
        {
            bases.add(Path.of(shared));
        }
        bases.add(Path.of("../shared"));
        bases.add(Path.of("../../shared"));
        bases.add(Path.of("/work/shared"));
        for (final Path base : bases)
        {
            final Path p = base.resolve("testdata/exports").resolve(name);
            if (Files.isReadable(p))
            {
                return p;
            }
        }
        throw new IllegalStateException(name + " not found under shared/testdata/exports; pass -Dshared.dir=...");
    }

    /** @return {@code shared/testdata/geoip}. */
    public static Path geoipDir()
    {
        return export("softflowd_v9.pcap").getParent().getParent().resolve("geoip");
    }

    /**
     * @return a capture kept in the repository next to its truth file,
     *         {@code collector-decoders/src/test/resources/captures/SUB/NAME}, found from the
     *         repository root or a module directory.
     */
    public static Path repositoryCapture(final String sub, final String name)
    {
        for (final String root : new String[] {".", ".."})
        {
            final Path p = Path.of(root, "collector-decoders/src/test/resources/captures", sub, name);
            if (Files.isReadable(p))
            {
                return p;
            }
        }
        throw new IllegalStateException(name + " not found under collector-decoders/src/test/resources/captures/" + sub
            + "; run from the repository root");
    }

    /** @return every UDP payload of the capture, in capture order, in one aligned direct buffer. */
    public static Payloads payloads(final String capture)
    {
        return payloads(export(capture));
    }

    /** @return every UDP payload of the capture at {@code pcap}, in one aligned direct buffer. */
    public static Payloads payloads(final Path pcap)
    {
        final List<byte[]> all = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(pcap))
        {
            final UdpDatagram d = new UdpDatagram();
            while (reader.next(d))
            {
                final byte[] bytes = new byte[d.payloadLength];
                d.buffer.getBytes(d.payloadOffset, bytes);
                all.add(bytes);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        int total = 0;
        for (final byte[] b : all)
        {
            total += (b.length + 7) & ~7;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(Math.max(8, total), 64));
        final int[] offsets = new int[all.size()];
        final int[] lengths = new int[all.size()];
        int position = 0;
        for (int i = 0; i < all.size(); i++)
        {
            offsets[i] = position;
            lengths[i] = all.get(i).length;
            buffer.putBytes(position, all.get(i));
            position += (lengths[i] + 7) & ~7;
        }
        return new Payloads(buffer, offsets, lengths);
    }

    /** @return a decoder that has seen one pass of {@code payloads} (templates learnt). */
    public static DatagramDecoder primedDecoder(final Payloads payloads)
    {
        final DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), new DecodeCounters());
        decodePass(decoder, payloads, record -> { });
        return decoder;
    }

    /**
     * Decodes every payload once, as sent by one exporter, refilling one {@link DatagramSource} per
     * datagram as the decode stage does. @return flow records emitted.
     */
    public static int decodePass(final DatagramDecoder decoder, final Payloads payloads, final FlowSink sink)
    {
        final DatagramSource source = new DatagramSource();
        int records = 0;
        for (int i = 0; i < payloads.count(); i++)
        {
            source.set(ListenerProtocol.AUTO, EXPORTER_HI, EXPORTER_LO, 2055, RECEIVED_NS);
            records += decoder.decode(source, payloads.buffer, payloads.offsets[i], payloads.lengths[i], sink);
        }
        return records;
    }

    /** @return copies of every flow record the capture decodes to (second pass: templates known). */
    public static List<FlowRecord> flowRecords(final String capture)
    {
        final Payloads payloads = payloads(capture);
        final DatagramDecoder decoder = primedDecoder(payloads);
        final List<FlowRecord> records = new ArrayList<>();
        decodePass(decoder, payloads, record ->
        {
            final FlowRecord copy = new FlowRecord();
            copy.copyFrom(record);
            records.add(copy);
        });
        return records;
    }

    /** Fails setup when a decoder does not produce the record count the truth file states. */
    public static void requireRecords(final String capture, final int expected, final int actual)
    {
        if (expected != actual)
        {
            throw new IllegalStateException(capture + ": decoded " + actual + " flow records per pass, truth says " + expected);
        }
    }
}
