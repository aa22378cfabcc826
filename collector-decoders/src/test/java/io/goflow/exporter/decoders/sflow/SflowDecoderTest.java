package io.goflow.exporter.decoders.sflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.junit.jupiter.api.Test;

class SflowDecoderTest
{
    private final DatagramSource source = new DatagramSource();
    private final DecodeCounters counters = new DecodeCounters();
    private final SflowDecoder decoder = new SflowDecoder(counters);
    private final List<FlowRecord> flows = new ArrayList<>();
    private final List<FlowRecord> others = new ArrayList<>();
    private final FlowSink sink = new FlowSink()
    {
        @Override
        public void onFlowRecord(final FlowRecord record)
        {
            flows.add(copy(record));
        }

        @Override
        public void onOtherRecord(final FlowRecord record)
        {
            others.add(copy(record));
        }
    };

    private static FlowRecord copy(final FlowRecord r)
    {
        final FlowRecord c = new FlowRecord();
        c.copyFrom(r);
        return c;
    }

    /** Datagram header, IPv4 agent 10.0.0.1, sub-agent 7, sequence 99, uptime 1000, {@code samples} samples. */
    private static ByteFixture datagram(final int samples)
    {
        return new ByteFixture()
            .u32(5)                 // version 5
            .u32(1)                 // agent address type IPv4
            .ipv4("10.0.0.1")       // agent address
            .u32(7)                 // sub_agent_id
            .u32(99)                // sequence_number
            .u32(1000)              // uptime ms
            .u32(samples);          // number of samples
    }

    /** Compact flow sample fixed part: source 0:3, rate 512, input 3, the given output word. */
    private static int flowSampleStart(final ByteFixture f, final long output, final int records)
    {
        f.u32(1);                   // data_format 0:1 flow_sample
        final int length = f.mark(); // sample length
        f.u32(1)                    // sample sequence_number
            .u32(0x0000_0003)       // source_id: type 0, index 3
            .u32(512)               // sampling_rate
            .u32(4096)              // sample_pool
            .u32(0)                 // drops
            .u32(3)                 // input: format 0, ifIndex 3
            .u32(output)            // output
            .u32(records);          // number of flow records
        return length;
    }

    private int decode(final ByteFixture f)
    {
        return decoder.decode(
            source.set(ListenerProtocol.AUTO, 0, FlowRecord.ipv4MappedLo(0xC0000201), 0, 5L),
            f.toBuffer(), 0, f.length(), sink);
    }

    private static String text(final long hi, final long lo)
    {
        return AddressText.toString(hi, lo);
    }

    @Test
    void shouldDecodeEthernetVlanIpv4TcpWhenRawHeaderHasIpOptions()
    {
        final ByteFixture f = datagram(1);
        final int sample = flowSampleStart(f, 5, 1);
        f.u32(1);                   // record 0:1 raw packet header
        final int record = f.mark();
        f.u32(1)                    // header_protocol 1 Ethernet
            .u32(1522)              // frame_length
            .u32(4)                 // stripped (FCS)
            .u32(56)                // header length: 18 Ethernet+tag, 24 IPv4, 14 TCP
            .hex("00 11 22 33 44 55")   // dst MAC
            .hex("66 77 88 99 aa bb")   // src MAC
            .hex("81 00  00 64")        // 802.1Q, VLAN 100
            .hex("08 00")               // IPv4
            .hex("46 b8 05 dc")         // version 4, IHL 6 (24 bytes), ToS 0xb8, total length 1500
            .hex("00 01 40 00")         // id 1, DF, fragment offset 0
            .hex("40 06 00 00")         // TTL 64, protocol TCP, checksum
            .ipv4("192.0.2.1")          // src
            .ipv4("198.51.100.2")       // dst
            .hex("01 01 01 00")         // 4 bytes of IP options (NOP NOP NOP EOL)
            .hex("01 bb c3 50")         // TCP sport 443, dport 50000
            .hex("00 00 00 01 00 00 00 00") // seq, ack
            .hex("50 18");              // data offset 5, flags PSH ACK
        f.patchLength(record).patchLength(sample);

        assertEquals(1, decode(f));
        final FlowRecord r = flows.get(0);
        assertEquals(FlowType.SFLOW_5, r.type);
        assertEquals("10.0.0.1", text(r.samplerAddrHi, r.samplerAddrLo));
        assertEquals(7, r.observationDomainId);
        assertEquals(99, r.sequenceNum);
        assertEquals(512, r.samplingRate);
        assertEquals(3, r.samplerId);
        assertEquals(3, r.inIf);
        assertEquals(5, r.outIf);
        assertEquals(FlowRecord.DIRECTION_INGRESS, r.direction);
        assertEquals(1500, r.bytes);
        assertEquals(1, r.packets);
        assertEquals(1522, r.frameLength);
        assertEquals(0x001122334455L, r.dstMac);
        assertEquals(0x66778899AABBL, r.srcMac);
        assertEquals(100, r.srcVlan);
        assertEquals(0x0800, r.etherType);
        assertEquals(4, r.ipVersion);
        assertEquals(0xB8, r.tos);
        assertEquals(6, r.proto);
        assertEquals("192.0.2.1", text(r.srcAddrHi, r.srcAddrLo));
        assertEquals("198.51.100.2", text(r.dstAddrHi, r.dstAddrLo));
        assertEquals(443, r.srcPort);
        assertEquals(50000, r.dstPort);
        assertEquals(0x18, r.tcpFlags);
        assertEquals(5L, r.timeFlowStartNs);
    }

    @Test
    void shouldDecodeIpv6UdpBehindQinQAndMplsStackWhenHeaderIsLabelled()
    {
        final ByteFixture f = datagram(1);
        final int sample = flowSampleStart(f, 5, 1);
        f.u32(1);                   // record 0:1 raw packet header
        final int record = f.mark();
        f.u32(1).u32(200).u32(0).u32(74) // Ethernet, frame 200, stripped 0, header 74 bytes
            .hex("00 11 22 33 44 55 66 77 88 99 aa bb") // MACs
            .hex("88 a8  00 0a")        // 802.1ad S-tag VLAN 10
            .hex("81 00  00 14")        // 802.1Q C-tag VLAN 20
            .hex("88 47")               // MPLS unicast
            .hex("00 01 00 40")         // label 16, S=0
            .hex("00 02 01 40")         // label 32, S=1 (bottom)
            .hex("60 00 00 00")         // IPv6, traffic class 0
            .hex("00 20 11 40")         // payload length 32, next header UDP, hop limit 64
            .hex("20010db8000000000000000000000001") // src 2001:db8::1
            .hex("20010db8000000000000000000000002") // dst 2001:db8::2
            .hex("00 35 d4 31");        // UDP sport 53, dport 54321
        f.patchLength(record).patchLength(sample);

        decode(f);
        final FlowRecord r = flows.get(0);
        assertEquals(10, r.srcVlan);
        assertEquals(6, r.ipVersion);
        assertEquals(0x86DD, r.etherType);
        assertEquals(72, r.bytes);
        assertEquals(17, r.proto);
        assertEquals("2001:db8::1", text(r.srcAddrHi, r.srcAddrLo));
        assertEquals("2001:db8::2", text(r.dstAddrHi, r.dstAddrLo));
        assertEquals(53, r.srcPort);
        assertEquals(54321, r.dstPort);
    }

    @Test
    void shouldLeavePortsZeroWhenIpv6FragmentIsNotTheFirst()
    {
        final ByteFixture f = datagram(1);
        final int sample = flowSampleStart(f, 5, 1);
        f.u32(1);
        final int record = f.mark();
        f.u32(12).u32(1280).u32(0).u32(64) // header_protocol 12 IPv6, frame 1280, header 64 bytes
            .hex("60 00 00 00 04 d8 00 40")  // IPv6, payload 1240, next hop-by-hop
            .hex("fe800000000000000000000000000001")
            .hex("ff020000000000000000000000000016")
            .hex("2c 00 05 02 00 00 00 00")  // hop-by-hop: next fragment(44), len 0 (8 bytes), pad
            .hex("11 00 05 a8 00 00 00 2a")  // fragment: next UDP, offset 181 (1448 bytes), M=0, id 42
            .hex("00 35 00 35 00 08 00 00"); // bytes that are not a UDP header (not first fragment)
        f.patchLength(record).patchLength(sample);

        decode(f);
        final FlowRecord r = flows.get(0);
        assertEquals(17, r.proto);
        assertEquals(1280, r.bytes);
        assertEquals(0, r.srcPort);
        assertEquals(0, r.dstPort);
    }

    @Test
    void shouldDecodeExpandedSampleWithSampledIpv4AndExtendedRecordsWhenAgentIsIpv6()
    {
        final ByteFixture f = new ByteFixture()
            .u32(5)                                     // version
            .u32(2)                                     // agent address type IPv6
            .hex("20010db8000000000000000000000099")    // agent 2001:db8::99
            .u32(1).u32(2).u32(3)                       // sub-agent 1, sequence 2, uptime 3
            .u32(1);                                    // 1 sample
        f.u32(3);                                       // data_format 0:3 expanded flow sample
        final int sample = f.mark();
        f.u32(11)                                       // sequence
            .u32(0).u32(70000)                          // source id type 0, index 70000 (> 24 bits would not fit compact)
            .u32(2048).u32(0).u32(0)                    // rate 2048, pool, drops
            .u32(0).u32(5)                              // input format 0, value 5
            .u32(0).u32(70000)                          // output format 0, value 70000
            .u32(4);                                    // 4 records
        f.u32(3).u32(32)                                // 0:3 sampled IPv4, 32 bytes
            .u32(576).u32(17)                           // length 576, protocol UDP
            .ipv4("203.0.113.5").ipv4("198.51.100.7")   // src, dst
            .u32(123).u32(456).u32(0).u32(0x20);        // ports 123 -> 456, tcp_flags 0, tos 0x20
        f.u32(1001).u32(16)                             // 0:1001 extended switch
            .u32(30).u32(0).u32(40).u32(0);             // src vlan 30, prio, dst vlan 40, prio
        f.u32(1002).u32(16)                             // 0:1002 extended router
            .u32(1).ipv4("192.0.2.254")                 // next hop IPv4
            .u32(24).u32(16);                           // src mask 24, dst mask 16
        f.u32(1003);                                    // 0:1003 extended gateway
        final int gateway = f.mark();
        f.u32(1).ipv4("192.0.2.253")                    // BGP next hop
            .u32(65000)                                 // router AS
            .u32(64512)                                 // src AS
            .u32(64513)                                 // src peer AS
            .u32(2)                                     // 2 AS path segments
            .u32(2).u32(2).u32(3356).u32(1299)          // AS_SEQUENCE 3356 1299
            .u32(1).u32(1).u32(15169)                   // AS_SET {15169}
            .u32(0)                                     // no communities
            .u32(100);                                  // localpref
        f.patchLength(gateway).patchLength(sample);

        assertEquals(1, decode(f));
        final FlowRecord r = flows.get(0);
        assertEquals("2001:db8::99", text(r.samplerAddrHi, r.samplerAddrLo));
        assertEquals(70000, r.samplerId);
        assertEquals(2048, r.samplingRate);
        assertEquals(FlowRecord.DIRECTION_EGRESS, r.direction);
        assertEquals(576, r.bytes);
        assertEquals(576, r.frameLength);
        assertEquals(17, r.proto);
        assertEquals("203.0.113.5", text(r.srcAddrHi, r.srcAddrLo));
        assertEquals(123, r.srcPort);
        assertEquals(456, r.dstPort);
        assertEquals(0x20, r.tos);
        assertEquals(30, r.srcVlan);
        assertEquals(40, r.dstVlan);
        assertEquals("192.0.2.254", text(r.nextHopHi, r.nextHopLo));
        assertEquals(24, r.srcMask);
        assertEquals(16, r.dstMask);
        assertEquals(64512, r.srcAs);
        assertEquals(15169, r.dstAs);
        assertEquals(3356, r.nextHopAs);
    }

    @Test
    void shouldEmitInterfaceCountersWhenCounterSampleHasGenericRecord()
    {
        final ByteFixture f = datagram(1);
        f.u32(2);                                       // data_format 0:2 counters sample
        final int sample = f.mark();
        f.u32(1).u32(0x0000_0009).u32(2);               // sequence, source 0:9, 2 records
        f.u32(2).u32(8).u64(0);                         // 0:2 ethernet counters, cut to 8 bytes (skipped)
        f.u32(1).u32(88)                                // 0:1 generic interface counters
            .u32(9).u32(6).u64(10_000_000_000L)         // ifIndex 9, ifType 6, speed 10G
            .u32(1).u32(3)                              // direction full-duplex, status up/up
            .u64(123_456_789_012L)                      // ifInOctets
            .u32(100).u32(20).u32(3)                    // in ucast, mcast, bcast
            .u32(4).u32(5).u32(6)                       // in discards, errors, unknown protos
            .u64(987_654_321L)                          // ifOutOctets
            .u32(200).u32(30).u32(7)                    // out ucast, mcast, bcast
            .u32(8).u32(9)                              // out discards, errors
            .u32(0);                                    // promiscuous
        f.patchLength(sample);

        assertEquals(0, decode(f));
        final FlowRecord r = others.get(0);
        assertEquals(FlowRecord.Kind.INTERFACE_COUNTERS, r.kind());
        assertEquals(9, r.ifIndex);
        assertEquals(10_000_000_000L, r.ifSpeed);
        assertEquals(1, r.ifDirection, "full-duplex");
        assertEquals(123_456_789_012L, r.ifInOctets);
        assertEquals(123, r.ifInPackets);
        assertEquals(4, r.ifInDiscards);
        assertEquals(5, r.ifInErrors);
        assertEquals(987_654_321L, r.ifOutOctets);
        assertEquals(237, r.ifOutPackets);
        assertEquals(8, r.ifOutDiscards);
        assertEquals(9, r.ifOutErrors);
        assertEquals(9, r.samplerId);
        assertEquals(1, counters.errors(FlowType.SFLOW_5, DecodeError.UNSUPPORTED));
    }

    @Test
    void shouldMarkDroppedWhenOutputFormatIsDiscard()
    {
        final ByteFixture f = datagram(1);
        final int sample = flowSampleStart(f, 0x4000_0101L, 0); // format 1 discarded, reason 257
        f.patchLength(sample);
        decode(f);
        assertEquals(128, flows.get(0).forwardingStatus);
        assertEquals(0, flows.get(0).outIf);
    }

    @Test
    void shouldCountBadLengthAndStillEmitSampleWhenRecordExceedsSample()
    {
        final ByteFixture f = datagram(1);
        final int sample = flowSampleStart(f, 5, 1);
        f.u32(3).u32(400).u32(0);                       // sampled IPv4 claiming 400 bytes, 4 present
        f.patchLength(sample);
        assertEquals(1, decode(f));
        assertEquals(1, counters.errors(FlowType.SFLOW_5, DecodeError.BAD_LENGTH));
        assertFalse(flows.get(0).srcAddrPresent);
    }

    @Test
    void shouldSkipSampleAndCountWhenSamplingRateIsAbove2To24()
    {
        final ByteFixture f = datagram(2);
        f.u32(1);                                       // flow_sample
        final int refused = f.mark();
        f.u32(1).u32(3)
            .u32(0xFFFF_FFFFL)                          // sampling_rate 1-in-4,294,967,295
            .u32(4096).u32(0).u32(3).u32(5).u32(0);     // pool, drops, input, output, no records
        f.patchLength(refused);
        final int kept = flowSampleStart(f, 5, 0);      // 1-in-512
        f.patchLength(kept);

        assertEquals(1, decode(f));
        assertEquals(1, counters.errors(FlowType.SFLOW_5, DecodeError.IMPLAUSIBLE_SAMPLING_RATE));
        assertEquals(1, flows.size());
        assertEquals(512, flows.get(0).samplingRate);
    }

    @Test
    void shouldCountBadLengthWhenSampleExceedsDatagram()
    {
        final ByteFixture f = datagram(1).u32(1).u32(1000).u32(0);
        assertEquals(0, decode(f));
        assertEquals(1, counters.errors(FlowType.SFLOW_5, DecodeError.BAD_LENGTH));
    }

    @Test
    void shouldCountUnsupportedWhenSampleFormatIsUnknown()
    {
        final ByteFixture f = datagram(1).u32((4413L << 12) | 5).u32(4).u32(0); // enterprise 4413 sample
        decode(f);
        assertEquals(1, counters.errors(FlowType.SFLOW_5, DecodeError.UNSUPPORTED));
    }

    @Test
    void shouldRejectTruncatedWhenDatagramStopsInHeader()
    {
        final ByteFixture f = datagram(1);
        decoder.decode(source.set(ListenerProtocol.AUTO, 0, 0, 0, 0), f.toBuffer(), 0, 20, sink);
        assertEquals(1, counters.rejections(FlowType.SFLOW_5, DecodeError.TRUNCATED));
        assertEquals(DecodeError.TRUNCATED, counters.lastRejection());
    }

    @Test
    void shouldNotCountDatagramNorErrorWhenDatagramStopsInHeader()
    {
        final ByteFixture f = datagram(1);
        decoder.decode(
            source.set(ListenerProtocol.AUTO, 0, 0, 0, 0), f.toBuffer(), 0, 20, sink);   // 20 of the 28 header bytes
        assertEquals(0, counters.datagrams(FlowType.SFLOW_5));
        assertEquals(0, counters.errors(FlowType.SFLOW_5, DecodeError.TRUNCATED));
        assertEquals(1, counters.outcomes());
    }

    @Test
    void shouldRejectBadLengthWhenAgentAddressTypeUnknown()
    {
        final ByteFixture f = new ByteFixture()
            .u32(5)                 // version 5
            .u32(3)                 // agent address type 3: neither IPv4 (1) nor IPv6 (2)
            .zeros(24);             // would-be address and rest of the header
        decode(f);
        assertEquals(1, counters.rejections(FlowType.SFLOW_5, DecodeError.BAD_LENGTH));
        assertEquals(0, counters.datagrams(FlowType.SFLOW_5));
    }

    @Test
    void shouldCountDatagramOnceWhenSampleIsBroken()
    {
        decode(datagram(1).u32(1).u32(1000).u32(0)); // sample claims 1000 bytes, 4 present
        assertEquals(1, counters.datagrams(FlowType.SFLOW_5));
        assertEquals(0, counters.rejections(FlowType.SFLOW_5, DecodeError.BAD_LENGTH));
        assertEquals(null, counters.lastRejection());
    }

    @Test
    void shouldUseOverrideForAgentAddressWhenConfigured()
    {
        final DecoderSettings d = DecoderSettings.defaults();
        final SflowDecoder overridden = new SflowDecoder(counters, new DecoderSettings(d.templateKeyIncludesPort(),
            d.maxExporters(), d.maxTemplatesPerExporter(), d.templateTimeoutNs(), d.pendingBytesPerExporter(),
            d.pendingTimeoutNs(), d.maxRecordsPerDatagram(), 0, Map.of("10.0.0.1", 4096L)));
        final ByteFixture f = datagram(1);
        final int sample = flowSampleStart(f, 5, 0);
        f.patchLength(sample);
        overridden.decode(
            source.set(ListenerProtocol.AUTO, 0, FlowRecord.ipv4MappedLo(0xC0000201), 0, 5L),
            f.toBuffer(), 0, f.length(), sink);
        assertEquals(4096, flows.get(0).samplingRate);
    }
}
