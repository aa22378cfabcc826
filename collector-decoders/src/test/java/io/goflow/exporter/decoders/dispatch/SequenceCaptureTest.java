package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.goflow.exporter.decoders.template.ExporterStats;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sequence accounting on real exporters' captures. The shared exports were captured with nothing
 * lost (README), so a whole capture must show no gap; removing one datagram must show exactly
 * its loss: 1 datagram for v9, its data records for IPFIX. The records of a datagram are those the
 * decoder emitted for it (forward flow records plus options records), whose totals
 * {@link CaptureTruthTest} checks against Wireshark.
 */
class SequenceCaptureTest
{
    private static final long NOTHING_DROPPED = -1;

    /** Totals over every exporter stream of one run, plus what each datagram yielded. */
    private static final class Outcome implements FlowSink
    {
        long gaps;
        long lost;
        long resets;
        final List<long[]> perDatagram = new ArrayList<>();
        private long[] current;

        void startDatagram()
        {
            current = new long[2];
            perDatagram.add(current);
        }

        @Override
        public void onFlowRecord(final FlowRecord r)
        {
            if (!r.reverse)
            {
                current[0]++;
            }
        }

        @Override
        public void onOtherRecord(final FlowRecord r)
        {
            if (r.kind() == FlowRecord.Kind.OPTIONS)
            {
                current[1]++;
            }
        }

        long flowRecords(final int datagram)
        {
            return perDatagram.get(datagram)[0];
        }

        long optionsRecords(final int datagram)
        {
            return perDatagram.get(datagram)[1];
        }

        void add(final ExporterStats s)
        {
            gaps += s.sequenceGaps();
            lost += s.sequenceLost();
            resets += s.sequenceResets();
        }
    }

    private static Path capture(final String name)
    {
        return TruthFile.testdata("exports").resolve(name + ".pcap");
    }

    /** Decodes {@code name} in order through one decoder, skipping the datagram at {@code dropped}. */
    private static Outcome run(final String name, final long dropped)
    {
        final Path pcap = capture(name);
        final DatagramDecoder decoder = CaptureRun.newDecoder();
        final Outcome outcome = new Outcome();
        final long[] index = {0};
        final long[] lastNs = {0};
        CaptureRun.run(pcap, CaptureRun.portMapOf(TruthFile.forCapture(pcap)),
            (source, buffer, offset, length, sink) ->
            {
                outcome.startDatagram();
                lastNs[0] = source.receivedNs();
                return index[0]++ == dropped ? 0 : decoder.decode(source, buffer, offset, length, sink);
            },
            outcome);
        decoder.onTimer(lastNs[0]);
        decoder.forEachExporter(outcome::add);
        return outcome;
    }

    /** @return the first datagram from {@code from} with flow records and no options record. */
    private static int plainDatagram(final Outcome full, final int from)
    {
        int d = from;
        while (full.flowRecords(d) == 0 || full.optionsRecords(d) != 0)
        {
            d++;
        }
        return d;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "softflowd_ipfix", "softflowd_ipfix_biflow", "softflowd_v9", "softflowd_v9_sampled10", "pmacctd_nfprobe_v9"})
    void shouldCountNoSequenceLossWhenCaptureLostNothing(final String name)
    {
        final Outcome outcome = run(name, NOTHING_DROPPED);

        assertTrue(outcome.perDatagram.size() > 100, "capture read");
        assertEquals(0, outcome.gaps, "gaps");
        assertEquals(0, outcome.lost, "lost");
        assertEquals(0, outcome.resets, "resets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"softflowd_ipfix", "softflowd_ipfix_biflow"})
    void shouldCountRecordsOfDroppedMessageWhenOneIpfixDatagramIsMissing(final String name)
    {
        final Outcome full = run(name, NOTHING_DROPPED);
        final int datagrams = full.perDatagram.size();
        for (int quarter = 1; quarter <= 3; quarter++)
        {
            final int dropped = plainDatagram(full, datagrams * quarter / 4);

            final Outcome outcome = run(name, dropped);

            assertEquals(1, outcome.gaps, "gaps, datagram " + dropped);
            assertEquals(full.flowRecords(dropped), outcome.lost, "lost, datagram " + dropped);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"softflowd_v9", "softflowd_v9_sampled10", "pmacctd_nfprobe_v9"})
    void shouldCountOneDatagramWhenOneV9DatagramIsMissing(final String name)
    {
        final Outcome full = run(name, NOTHING_DROPPED);
        final int datagrams = full.perDatagram.size();
        for (int quarter = 1; quarter <= 3; quarter++)
        {
            final int dropped = datagrams * quarter / 4;

            final Outcome outcome = run(name, dropped);

            assertEquals(1, outcome.gaps, "gaps, datagram " + dropped);
            assertEquals(1, outcome.lost, "lost, datagram " + dropped);
        }
    }
}
