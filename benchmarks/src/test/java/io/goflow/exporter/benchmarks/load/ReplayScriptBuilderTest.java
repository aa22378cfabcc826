package io.goflow.exporter.benchmarks.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected numbers come from the captures' truth files (Wireshark's decode). */
class ReplayScriptBuilderTest
{
    @Test
    void shouldCountTruthFlowsPacketsAndBytesWhenSplittingSoftflowdV9() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("softflowd_v9.pcap"));

        assertEquals(ExportFormat.NETFLOW_V9, script.format());
        assertEquals(6297, script.flowRecordsPerPass());
        assertEquals(65634, script.packetsPerPass());
        assertEquals(30424566, script.bytesPerPass());
    }

    @Test
    void shouldCountTruthFlowsPacketsAndBytesWhenSplittingSoftflowdIpfix() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("softflowd_ipfix.pcap"));

        assertEquals(ExportFormat.IPFIX, script.format());
        assertEquals(6297, script.flowRecordsPerPass());
        assertEquals(65634, script.packetsPerPass());
        assertEquals(30424566, script.bytesPerPass());
    }

    @Test
    void shouldCountTruthFlowsPacketsAndBytesWhenReadingSoftflowdV5() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("softflowd_v5.pcap"));

        assertEquals(4320, script.flowRecordsPerPass());
        assertEquals(45384, script.packetsPerPass());
        assertEquals(20813092, script.bytesPerPass());
        assertEquals(151, script.data().size());
    }

    @Test
    void shouldCountTruthFlowSamplesWhenReadingPmacctdSflow() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("pmacctd_sfprobe_s20.pcap"));

        assertEquals(ExportFormat.SFLOW_V5, script.format());
        assertEquals(3258, script.flowRecordsPerPass());
        assertEquals(511, script.data().size());
    }

    @Test
    void shouldCollectTruthDistinctFiveTuplesWhenSplittingSoftflowdV9() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("softflowd_v9.pcap"));

        assertEquals(6009, script.flowKeys().size());
    }

    @Test
    void shouldLeaveOnlyDataSetsInDataDatagramsWhenSplittingMixedV9() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("softflowd_v9.pcap"));

        for (final ReplayDatagram d : script.data())
        {
            final ByteBuffer b = ByteBuffer.wrap(d.payload());
            int position = 20;
            while (position + 4 <= d.payload().length)
            {
                assertTrue((b.getShort(position) & 0xFFFF) >= 256, "template set left in a data datagram");
                position += b.getShort(position + 2) & 0xFFFF;
            }
            assertEquals(d.payload().length, position);
        }
    }

    @Test
    void shouldPutEveryTemplateSetInTemplateDatagramsWhenSplittingMixedV9() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("softflowd_v9.pcap"));

        assertTrue(!script.templates().isEmpty());
        for (final ReplayDatagram t : script.templates())
        {
            final ByteBuffer b = ByteBuffer.wrap(t.payload());
            assertTrue((b.getShort(20) & 0xFFFF) < 256, "a template datagram starts with a template set");
            assertEquals(0, t.flowRecords());
        }
    }

    @Test
    void shouldRewriteHeaderLengthWhenSplittingMixedIpfix() throws Exception
    {
        final ReplayScript script = ReplayScriptBuilder.fromCapture(TestCaptures.export("softflowd_ipfix.pcap"));

        for (final ReplayDatagram d : script.data())
        {
            assertEquals(d.payload().length, ByteBuffer.wrap(d.payload()).getShort(2) & 0xFFFF);
        }
    }
}
