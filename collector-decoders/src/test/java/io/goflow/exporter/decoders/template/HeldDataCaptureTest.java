package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.decoders.testsupport.TruthFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A NetScaler IPFIX capture whose first message carries data sets before the message announcing
 * their templates: every set ends decoded or dropped, never both.
 *
 * <p>Outside numbers: the truth file is Wireshark's single pass (frame 1 undecodable, frame 3's 3
 * records); {@code tshark -2 -r ls_ipfix_netscaler_data_before_template.pcap -d udp.port==4739,cflow
 * -T fields -e frame.number -e cflow.octets} (two passes, templates known from the first) decodes
 * frame 1 as well: the same 3 records (40, 1525, 1541 octets), so 6 records and twice the truth's
 * bytes once held sets are replayed. {@code -e cflow.flowset_id} shows the sets: frames 1 and 3 carry
 * data sets 258, 257, 280, 258, frame 2 the templates 256-262, so set 280 never gets a template:
 * frame 1 holds 4 sets and replays 3, frame 3 holds one more.
 */
class HeldDataCaptureTest
{
    private static final Path CAPTURE = TruthFile.testdata("vendor").resolve("ls_ipfix_netscaler_data_before_template.pcap");

    @Test
    void shouldDecodeHeldSetsOnceAndCountNoneDroppedWhenTemplateArrivesLater()
    {
        final TruthFile truth = TruthFile.forCapture(CAPTURE);
        final DatagramDecoder decoder = CaptureRun.newDecoder();
        final CaptureRun run = CaptureRun.run(CAPTURE, CaptureRun.portMapOf(truth), decoder, null);
        final DecodeCounters c = decoder.counters();
        decoder.onTimer(0);

        assertEquals(2 * truth.totals().flows(), run.totals.flows, "tshark -2: frame 1 and frame 3, 3 records each");
        assertEquals(2 * truth.totals().bytes(), run.totals.bytes);
        assertEquals(run.totals.flows, c.records(FlowType.IPFIX));
        assertEquals(0, dropped(c), "held sets that were decoded are not also dropped");
        final long[] sets = heldAndReplayed(decoder);
        assertEquals(5, sets[0], "frame 1's four sets and frame 3's set 280");
        assertEquals(3, sets[1], "frame 1's 258, 257, 258 once frame 2 announced them");
        assertEquals(sets[0], sets[1] + sets[2] + dropped(c), "each held set decoded, still held or dropped");
    }

    @Test
    void shouldCountHeldSetsDroppedOnceAndNotDecodeThemWhenTheyExpireFirst()
    {
        final TruthFile truth = TruthFile.forCapture(CAPTURE);
        final DatagramDecoder decoder = CaptureRun.newDecoder();
        final long pendingNs = decoder.settings().pendingTimeoutNs();
        final long[] calls = new long[1];
        final DatagramSource shifted = new DatagramSource();
        final CaptureRun run = CaptureRun.run(CAPTURE, CaptureRun.portMapOf(truth),
            (source, buffer, offset, length, sink) ->
            {
                final long shiftNs = calls[0]++ == 0 ? 0 : pendingNs + 1;
                final long receivedNs = source.receivedNs() + shiftNs;
                if (shiftNs > 0)
                {
                    decoder.onTimer(receivedNs);
                }
                shifted.set(source.listener(), source.exporterAddrHi(), source.exporterAddrLo(), source.exporterPort(),
                    receivedNs);
                return decoder.decode(shifted, buffer, offset, length, sink);
            },
            null);
        final DecodeCounters c = decoder.counters();
        decoder.onTimer(0);
        final long[] sets = heldAndReplayed(decoder);

        assertEquals(truth.totals().flows(), run.totals.flows, "only frame 3, as Wireshark's single pass");
        assertEquals(truth.totals().bytes(), run.totals.bytes);
        assertEquals(0, sets[1], "expired sets are not replayed");
        assertEquals(4, c.errors(FlowType.IPFIX, DecodeError.NO_TEMPLATE_EXPIRED), "frame 1's four sets, dropped once");
        assertEquals(1, sets[2], "frame 3's set 280 still held");
        assertEquals(sets[0], sets[1] + sets[2] + dropped(c), "each held set decoded, still held or dropped");
    }

    @Test
    void shouldCountSetsDroppedOnceAsNoTemplateWhenHoldingIsDisabled()
    {
        final TruthFile truth = TruthFile.forCapture(CAPTURE);
        final DecoderSettings d = DecoderSettings.defaults();
        final DatagramDecoder decoder = new DatagramDecoder(new DecoderSettings(
            d.templateKeyIncludesPort(), d.maxExporters(), d.maxTemplatesPerExporter(), d.templateTimeoutNs(), 0,
            d.pendingTimeoutNs(), d.maxRecordsPerDatagram(), d.defaultSamplingRate(), d.samplingOverrides()),
            new DecodeCounters());
        final CaptureRun run = CaptureRun.run(CAPTURE, CaptureRun.portMapOf(truth), decoder, null);
        final DecodeCounters c = decoder.counters();

        assertEquals(truth.totals().flows(), run.totals.flows);
        assertEquals(truth.undecodedDataFlowsets(), c.errors(FlowType.IPFIX, DecodeError.NO_TEMPLATE),
            "the sets Wireshark's single pass could not decode");
        assertEquals(c.errors(FlowType.IPFIX, DecodeError.NO_TEMPLATE), dropped(c));
    }

    private static long dropped(final DecodeCounters c)
    {
        return c.errors(FlowType.IPFIX, DecodeError.NO_TEMPLATE) + c.errors(FlowType.IPFIX, DecodeError.PENDING_FULL)
            + c.errors(FlowType.IPFIX, DecodeError.NO_TEMPLATE_EXPIRED);
    }

    /** @return {held since start, replayed, held now} over every exporter stream. */
    private static long[] heldAndReplayed(final DatagramDecoder decoder)
    {
        final long[] sets = new long[3];
        decoder.forEachExporter(s ->
        {
            sets[0] += s.heldSets();
            sets[1] += s.replayedSets();
            sets[2] += s.heldSetsNow();
        });
        return sets;
    }
}
