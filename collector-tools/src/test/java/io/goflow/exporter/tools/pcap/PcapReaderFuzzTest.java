package io.goflow.exporter.tools.pcap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the capture reader (the {@code decode} command reads files a user
 * hands it): byte mutations, truncations and header-length corruption of the shared captures. The
 * only accepted outcomes are an {@link IOException} from {@code wrap} (not a capture) or an
 * iteration that ends; every returned datagram must lie inside the buffer. Reads past the end trip
 * Agrona's bounds check (on in tests). {@code -Dfuzz.pcap.iterations=N}, {@code -Dfuzz.seed=S}.
 */
class PcapReaderFuzzTest
{
    private static final int ITERATIONS = Integer.getInteger("fuzz.pcap.iterations", 3_000);
    private static final long SEED = Long.getLong("fuzz.seed", 0x5EED_F10BL);

    @Test
    void shouldEndOrRejectWhenCaptureBytesAreMutated() throws IOException
    {
        final List<Path> captures = TruthFile.captures();
        final byte[][] files = new byte[captures.size()][];
        for (int i = 0; i < files.length; i++)
        {
            files[i] = Files.readAllBytes(captures.get(i));
        }
        final SplittableRandom random = new SplittableRandom(SEED);
        final UdpDatagram d = new UdpDatagram();
        long datagrams = 0;
        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] b = files[random.nextInt(files.length)].clone();
            final int length = random.nextInt(8) == 0 ? random.nextInt(b.length + 1) : b.length;
            for (int m = 1 + random.nextInt(16); m > 0 && length > 0; m--)
            {
                final int at = random.nextInt(Math.min(length, 256 + random.nextInt(length)));
                b[at] = (byte)(random.nextInt(4) == 0 ? 0xFF : random.nextInt(256));
            }
            try (PcapReader reader = PcapReader.wrap(new UnsafeBuffer(b), 0, length))
            {
                for (int n = 0; reader.next(d); n++)
                {
                    assertTrue(d.payloadOffset >= 0 && d.payloadOffset + d.payloadLength <= length,
                        "datagram outside the capture");
                    assertTrue(n <= length, "more datagrams than bytes");
                    datagrams++;
                }
            }
            catch (final IOException expected)
            {
                continue;
            }
            catch (final RuntimeException ex)
            {
                fail("seed=" + SEED + " iteration=" + i + ": " + ex, ex);
            }
        }
        assertTrue(datagrams > 0, "no mutated capture yielded a datagram");
    }
}
