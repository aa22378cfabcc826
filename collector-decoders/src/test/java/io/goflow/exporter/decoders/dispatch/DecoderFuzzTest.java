package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import io.goflow.exporter.decoders.template.ExporterStats;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded mutation fuzzing of the full {@link DatagramDecoder}, one stateful instance per protocol
 * family for the whole run, starting from every datagram of every shared capture and of the
 * packet report captures ({@link PacketReportCaptureTest#DIR}).
 *
 * <p>Each iteration takes a seed datagram of the protocol, applies 1 to 4 mutations (bit flips,
 * bytes set to 0 / 0xFF / random, truncation, a 16- or 32-bit aligned field overwritten with a
 * boundary value as a length-field corruption, byte insertion/deletion, splicing with another seed)
 * and decodes it from a buffer whose capacity ends exactly at the datagram, so any read past the
 * end trips Agrona's bounds check (on in tests; off in production, where it would be a silent
 * over-read). The decoder clock advances 1 ms per datagram and {@code onTimer} runs every 1,000.
 *
 * <p>Accepted outcomes: decoded, or counted invalid. Fails on any escaped throwable (with seed,
 * iteration and the input in hex), on a datagram that does not finish within the watchdog time
 * (hang), and on state beyond the configured caps (exporters, templates per exporter).
 *
 * <p>Budget: {@code -Dfuzz.iterations=N} per protocol (default 100,000), {@code -Dfuzz.seed=S}
 * (default fixed, so CI is reproducible), {@code -Dfuzz.watchdog.ms} (default 10,000).
 */
class DecoderFuzzTest
{
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 100_000);
    private static final long SEED = Long.getLong("fuzz.seed", 0x5EED_F10BL);
    private static final long WATCHDOG_MS = Long.getLong("fuzz.watchdog.ms", 10_000);
    private static final int MAX_EXPORTERS = 16;
    private static final int MAX_TEMPLATES = 64;
    private static final int HOLD_BYTES = 64 * 1024;
    private static final int EXPORTER_ADDRESSES = 64;
    private static final long START_NS = 1_700_000_000_000_000_000L;

    private static final Map<FlowType, List<byte[]>> SEEDS = new EnumMap<>(FlowType.class);

    @BeforeAll
    static void loadSeeds()
    {
        for (final FlowType t : FlowType.values())
        {
            SEEDS.put(t, new ArrayList<>());
        }
        final UdpDatagram d = new UdpDatagram();
        final List<Path> captures = new ArrayList<>(TruthFile.captures());
        captures.add(PacketReportCaptureTest.DIR.resolve("softflowd_psamp_s100.pcap"));
        captures.add(PacketReportCaptureTest.DIR.resolve("handbuilt_packet_reports.pcap"));
        for (final Path pcap : captures)
        {
            try (PcapReader reader = PcapReader.open(pcap))
            {
                while (reader.next(d))
                {
                    final byte[] bytes = new byte[d.payloadLength];
                    d.buffer.getBytes(d.payloadOffset, bytes);
                    final FlowType type = typeOf(bytes);
                    if (type != null)
                    {
                        SEEDS.get(type).add(bytes);
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static FlowType typeOf(final byte[] b)
    {
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 5)
        {
            return FlowType.SFLOW_5;
        }
        if (b.length >= 2 && b[0] == 0)
        {
            return b[1] == 5 ? FlowType.NETFLOW_V5 : b[1] == 9 ? FlowType.NETFLOW_V9 : b[1] == 10 ? FlowType.IPFIX : null;
        }
        return null;
    }

    private static ListenerProtocol listenerOf(final FlowType type)
    {
        return type == FlowType.SFLOW_5 ? ListenerProtocol.SFLOW : ListenerProtocol.NETFLOW;
    }

    /** The state of a run, shared with the watchdog. */
    private static final class Progress
    {
        volatile long iteration = -1;
        volatile byte[] input;
        volatile long startedNs;
        volatile boolean done;
        final AtomicReference<String> failure = new AtomicReference<>();
    }

    @ParameterizedTest
    @EnumSource(FlowType.class)
    void shouldOnlyDecodeOrCountWhenDatagramsAreMutated(final FlowType type) throws InterruptedException
    {
        final List<byte[]> seeds = SEEDS.get(type);
        assertTrue(seeds.size() > 0, "no seed datagrams for " + type);
        final DecoderSettings settings = new DecoderSettings(false, MAX_EXPORTERS, MAX_TEMPLATES,
            DecoderSettings.TEMPLATE_TIMEOUT_NS_DEFAULT, HOLD_BYTES, DecoderSettings.PENDING_TIMEOUT_NS_DEFAULT,
            DecoderSettings.MAX_RECORDS_PER_DATAGRAM_DEFAULT, 0, Map.of());
        final DecodeCounters counters = new DecodeCounters();
        final DatagramDecoder decoder = new DatagramDecoder(settings, counters);
        final Progress progress = new Progress();
        final long seed = SEED ^ (type.ordinal() * 0x9E37_79B9_7F4A_7C15L);

        final Thread worker = new Thread(() -> run(type, seeds, decoder, seed, progress), "fuzz-" + type);
        worker.setDaemon(true);
        worker.start();
        while (!progress.done)
        {
            worker.join(200);
            final long started = progress.startedNs;
            if (!progress.done && progress.iteration >= 0 && System.nanoTime() - started > WATCHDOG_MS * 1_000_000L
                && started == progress.startedNs)
            {
                fail("hang: " + type + " seed=" + seed + " iteration=" + progress.iteration
                    + " input=" + hex(progress.input));
            }
        }
        if (progress.failure.get() != null)
        {
            fail(progress.failure.get());
        }

        decoder.onTimer(START_NS + ITERATIONS * 1_000_000L);
        final int[] exporters = {0};
        decoder.forEachExporter(stats ->
        {
            exporters[0]++;
            assertTrue(stats.templates() <= MAX_TEMPLATES, "templates beyond cap: " + stats);
        });
        assertTrue(exporters[0] <= MAX_EXPORTERS, "exporters beyond cap: " + exporters[0]);
        assertTrue(decoder.exporters().size() <= MAX_EXPORTERS, "exporter table beyond cap");
        System.out.println("fuzz " + type + ": " + ITERATIONS + " mutated datagrams from " + seeds.size()
            + " seeds, seed=" + seed + ", records=" + counters.records(type)
            + ", errors=" + CaptureTruthTest.countedErrors(counters));
        assertTrue(counters.datagrams(type) > 0, "nothing reached the " + type + " decoder");
        assertTrue(counters.records(type) > 0, "mutated " + type + " datagrams never decoded to a record");
        assertTrue(CaptureTruthTest.countedErrors(counters) > 0, "mutated " + type + " datagrams never counted invalid");
    }

    private static void run(final FlowType type, final List<byte[]> seeds, final DatagramDecoder decoder,
        final long seed, final Progress progress)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final ListenerProtocol listener = listenerOf(type);
        final FlowSink sink = new FlowSink()
        {
            @Override
            public void onFlowRecord(final FlowRecord record)
            {
            }
        };
        byte[] input = null;
        long i = 0;
        try
        {
            for (final byte[] s : seeds)
            {
                input = s;
                decode(decoder, listener, s, 0, sink, START_NS);
            }
            for (i = 0; i < ITERATIONS; i++)
            {
                input = mutate(seeds, random);
                progress.input = input;
                progress.startedNs = System.nanoTime();
                progress.iteration = i;
                final int exporter = random.nextInt(8) == 0 ? 1 + random.nextInt(EXPORTER_ADDRESSES) : 0;
                final long nowNs = START_NS + i * 1_000_000L;
                decode(decoder, listener, input, exporter, sink, nowNs);
                if (i % 1000 == 999)
                {
                    decoder.onTimer(nowNs);
                }
            }
        }
        catch (final Throwable t)
        {
            final java.io.StringWriter trace = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(trace));
            progress.failure.set("escaped " + t + ": " + type + " seed=" + seed + " iteration=" + i
                + " input=" + hex(input) + "\n" + trace);
        }
        finally
        {
            progress.done = true;
        }
    }

    private static void decode(final DatagramDecoder decoder, final ListenerProtocol listener, final byte[] input,
        final int exporter, final FlowSink sink, final long nowNs)
    {
        final int offset = 16;
        final byte[] frame = new byte[offset + input.length];
        System.arraycopy(input, 0, frame, offset, input.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final DatagramSource source =
            new DatagramSource().set(listener, 0, FlowRecord.ipv4MappedLo(0xC0000200 | exporter), 2055, nowNs);
        decoder.decode(source, buffer, offset, input.length, sink);
    }

    static byte[] mutate(final List<byte[]> seeds, final SplittableRandom random)
    {
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            if (b.length == 0)
            {
                break;
            }
            switch (random.nextInt(8))
            {
                case 0:
                    for (int k = 1 + random.nextInt(8); k > 0; k--)
                    {
                        final int at = random.nextInt(b.length);
                        b[at] ^= (byte)(1 << random.nextInt(8));
                    }
                    break;
                case 1:
                    b[random.nextInt(b.length)] = 0;
                    break;
                case 2:
                    b[random.nextInt(b.length)] = (byte)0xFF;
                    break;
                case 3:
                    b[random.nextInt(b.length)] = (byte)random.nextInt(256);
                    break;
                case 4:
                    b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
                    break;
                case 5:
                    corruptField(b, random);
                    break;
                case 6:
                    b = insertOrDelete(b, random);
                    break;
                default:
                    b = splice(b, seeds.get(random.nextInt(seeds.size())), random);
                    break;
            }
        }
        return b;
    }

    private static void corruptField(final byte[] b, final SplittableRandom random)
    {
        final boolean wide = random.nextBoolean();
        final int width = wide ? 4 : 2;
        if (b.length < width)
        {
            return;
        }
        final int at = random.nextInt(b.length / width) * width;
        final long[] candidates = {0, 1, 3, 4, 7, 8, b.length, b.length - at, b.length - at + 1, b.length - at - 1,
            wide ? 0xFFFF_FFFFL : 0xFFFF, wide ? 0x7FFF_FFFFL : 0x7FFF, wide ? 0x8000_0000L : 0x8000,
            random.nextLong()};
        final long v = candidates[random.nextInt(candidates.length)];
        for (int k = 0; k < width; k++)
        {
            b[at + k] = (byte)(v >>> (8 * (width - 1 - k)));
        }
    }

    private static byte[] insertOrDelete(final byte[] b, final SplittableRandom random)
    {
        final int at = random.nextInt(b.length);
        final int n = 1 + random.nextInt(16);
        if (random.nextBoolean())
        {
            final byte[] out = new byte[b.length + n];
            System.arraycopy(b, 0, out, 0, at);
            for (int k = 0; k < n; k++)
            {
                out[at + k] = (byte)random.nextInt(256);
            }
            System.arraycopy(b, at, out, at + n, b.length - at);
            return out;
        }
        final int cut = Math.min(n, b.length - at);
        final byte[] out = new byte[b.length - cut];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + cut, out, at, b.length - at - cut);
        return out;
    }

    private static byte[] splice(final byte[] a, final byte[] other, final SplittableRandom random)
    {
        if (other.length == 0)
        {
            return a;
        }
        final int head = random.nextInt(a.length + 1);
        final int from = random.nextInt(other.length);
        final int tail = Math.min(other.length - from, 65_507 - head);
        final byte[] out = new byte[head + tail];
        System.arraycopy(a, 0, out, 0, head);
        System.arraycopy(other, from, out, head, tail);
        return out;
    }

    static String hex(final byte[] b)
    {
        if (b == null)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder(b.length * 2);
        for (final byte x : b)
        {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
