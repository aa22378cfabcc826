package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.template.RecordingSink;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Protocol detection and listener narrowing ({@link ListenerProtocol} javadoc): v9/IPFIX are told
 * by their 2-byte version, sFlow by its 4-byte version 5; a listener refuses what it does not
 * accept as {@code bad_version}. A v9 or IPFIX datagram reaching its decoder is counted as a
 * datagram of that protocol, so the counters show where it went.
 */
class DatagramDecoderTest
{
    private final DatagramSource source = new DatagramSource();
    private final DecodeCounters counters = new DecodeCounters();
    private final DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), counters);
    private final RecordingSink sink = new RecordingSink();

    /** v9 header with no FlowSet: RFC 3954 section 5.1. */
    private static byte[] v9()
    {
        return new ByteFixture()
            .u16(9)            // version
            .u16(0)            // count
            .u32(1000)         // sysUptime
            .u32(1_700_000_000L)
            .u32(1)            // sequence
            .u32(0)            // source id
            .toArray();
    }

    /** IPFIX header with no set: RFC 7011 section 3.1. */
    private static byte[] ipfix()
    {
        return new ByteFixture()
            .u16(10)           // version
            .u16(16)           // length
            .u32(1_700_000_000L)
            .u32(0)            // sequence
            .u32(0)            // observation domain
            .toArray();
    }

    /** sFlow v5 header start: 4-byte version 5 (sFlow v5 specification, section 5.1). */
    private static byte[] sflow()
    {
        return new ByteFixture()
            .u32(5)            // version
            .u32(1)            // agent address type IPv4
            .ipv4("192.0.2.1")
            .u32(0)            // sub-agent
            .u32(1)            // sequence
            .u32(1000)         // uptime
            .u32(0)            // samples
            .toArray();
    }

    private void decode(final ListenerProtocol listener, final byte[] bytes)
    {
        decoder.decode(
            source.set(listener, 0, FlowRecord.ipv4MappedLo(0x7F00_0001), 2055, 1L),
            new UnsafeBuffer(bytes), 0, bytes.length, sink);
    }

    @Test
    void shouldDecodeV9WhenNetflowListenerReceivesIt()
    {
        decode(ListenerProtocol.NETFLOW, v9());

        assertEquals(1, counters.datagrams(FlowType.NETFLOW_V9));
        assertEquals(0, counters.rejections(DecodeError.BAD_VERSION));
    }

    @Test
    void shouldDecodeIpfixWhenNetflowListenerReceivesIt()
    {
        decode(ListenerProtocol.NETFLOW, ipfix());

        assertEquals(1, counters.datagrams(FlowType.IPFIX));
    }

    @Test
    void shouldDecodeV9WhenIpfixListenerReceivesIt()
    {
        decode(ListenerProtocol.IPFIX, v9());

        assertEquals(1, counters.datagrams(FlowType.NETFLOW_V9));
    }

    @Test
    void shouldDecodeEveryVersionWhenListenerIsAuto()
    {
        decode(ListenerProtocol.AUTO, v9());
        decode(ListenerProtocol.AUTO, ipfix());

        assertEquals(1, counters.datagrams(FlowType.NETFLOW_V9));
        assertEquals(1, counters.datagrams(FlowType.IPFIX));
        assertEquals(0, counters.rejections(DecodeError.BAD_VERSION));
    }

    @Test
    void shouldCountBadVersionWhenSflowListenerReceivesV9()
    {
        decode(ListenerProtocol.SFLOW, v9());

        assertEquals(1, counters.rejections(FlowType.NETFLOW_V9, DecodeError.BAD_VERSION));
        assertEquals(0, counters.datagrams(FlowType.NETFLOW_V9));
    }

    @Test
    void shouldCountBadVersionWhenSflowListenerReceivesIpfix()
    {
        decode(ListenerProtocol.SFLOW, ipfix());

        assertEquals(1, counters.rejections(FlowType.IPFIX, DecodeError.BAD_VERSION));
    }

    @Test
    void shouldCountBadVersionWhenIpfixListenerReceivesV5()
    {
        final byte[] v5 = new ByteFixture().u16(5).u16(0).zeros(20).toArray();

        decode(ListenerProtocol.IPFIX, v5);

        assertEquals(1, counters.rejections(FlowType.NETFLOW_V5, DecodeError.BAD_VERSION));
    }

    @Test
    void shouldCountBadVersionWhenNetflowListenerReceivesSflow()
    {
        decode(ListenerProtocol.NETFLOW, sflow());

        assertEquals(1, counters.rejections(FlowType.SFLOW_5, DecodeError.BAD_VERSION));
    }

    @Test
    void shouldCountBadVersionWhenIpfixListenerReceivesSflow()
    {
        decode(ListenerProtocol.IPFIX, sflow());

        assertEquals(1, counters.rejections(FlowType.SFLOW_5, DecodeError.BAD_VERSION));
    }

    @Test
    void shouldCountBadVersionAsUnrecognisedWhenVersionUnknown()
    {
        decode(ListenerProtocol.IPFIX, new ByteFixture().u16(7).zeros(30).toArray());

        assertEquals(1, counters.unrecognised(DecodeError.BAD_VERSION));
        assertEquals(0, counters.rejections(FlowType.IPFIX, DecodeError.BAD_VERSION));
        assertEquals(1, counters.rejections(DecodeError.BAD_VERSION), "the sum over protocols includes it");
    }

    @Test
    void shouldRejectWithoutErrorOrDatagramWhenListenerRefusesVersion()
    {
        decode(ListenerProtocol.SFLOW, v9());

        assertEquals(0, counters.errors(FlowType.NETFLOW_V9, DecodeError.BAD_VERSION));
        assertEquals(DecodeError.BAD_VERSION, counters.lastRejection());
        assertEquals(1, counters.outcomes());
    }

    @Test
    void shouldGiveOneOutcomePerDatagramWhenRejectedThenAccepted()
    {
        decode(ListenerProtocol.NETFLOW, new byte[] {0});
        decode(ListenerProtocol.NETFLOW, v9());

        assertEquals(2, counters.outcomes());
        assertEquals(null, counters.lastRejection(), "the last datagram was accepted");
    }

    @Test
    void shouldCountTruncatedWhenDatagramHasOneByte()
    {
        decode(ListenerProtocol.NETFLOW, new byte[] {0});

        assertEquals(1, counters.unrecognised(DecodeError.TRUNCATED));
    }

    @Test
    void shouldCountTruncatedWhenSflowListenerGetsThreeZeroBytes()
    {
        decode(ListenerProtocol.SFLOW, new byte[] {0, 0, 0});

        assertEquals(1, counters.unrecognised(DecodeError.TRUNCATED));
    }
}
