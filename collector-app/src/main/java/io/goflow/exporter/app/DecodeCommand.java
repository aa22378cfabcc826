package io.goflow.exporter.app;

import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import io.goflow.exporter.decoders.pcap.PcapReader;
import io.goflow.exporter.decoders.pcap.UdpDatagram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code goflow-exporter decode [--port-map 2055=netflow,4739=ipfix,6343=sflow] [--all] FILE...}:
 * decodes the UDP datagrams of pcap/pcapng captures with the collector's own decoders and prints
 * one JSON object per flow record on standard output, a summary on standard error.
 *
 * <p>Protocol detection is by UDP destination port through the port map (default 2055, 9995 and
 * 9996 {@code netflow}, 4739 {@code ipfix}, 6343 {@code sflow}); within a port the version field
 * decides, as on the collector's listeners. Datagrams to unmapped ports are counted and skipped.
 * One decoder serves every file in order, so templates seen in one file apply to the next;
 * {@code onTimer} runs with capture time, so held sets and templates expire as they would live.
 *
 * <p>Output keys follow goflow2's JSON names ({@code type}, {@code sampler_address},
 * {@code sequence_num}, {@code sampling_rate}, {@code bytes}, {@code packets} raw as exported,
 * {@code src_addr}, {@code proto} as a number, ...), plus ours: {@code frame_length} (sFlow L2),
 * {@code direction} (0 ingress, 1 egress, -1 unknown), {@code reverse} (RFC 5103 reverse record).
 * With {@code --all}, options records ({@code "type": "NETFLOW_V9_OPTIONS"} / {@code IPFIX_OPTIONS})
 * and sFlow interface counters ({@code "type": "SFLOW_5_COUNTERS"}) are printed too.
 *
 * <p>Exit codes: 0 done, 1 a file could not be read (the others are still decoded), 2 usage.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = "Decode NetFlow v5/v9, IPFIX and sFlow v5 datagrams from pcap/pcapng captures to JSON lines.")
public final class DecodeCommand implements Callable<Integer>, FlowSink
{
    /** Default port map, as on the collector's listeners. */
    public static final String DEFAULT_PORT_MAP = "2055=netflow,9995=netflow,9996=netflow,4739=ipfix,6343=sflow";

    private static final int TIMER_EVERY_DATAGRAMS = 1024;

    @Option(names = "--port-map", paramLabel = "PORT=PROTO[,...]", split = ",",
        description = "UDP destination port to protocol (netflow, ipfix, sflow, auto); default: " + DEFAULT_PORT_MAP)
    List<String> portMap;

    @Option(names = "--all", description = "Also print options records and sFlow counter samples.")
    boolean all;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "pcap or pcapng captures.")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final StringBuilder json = new StringBuilder(1024);
    private char[] chars = new char[1024];
    private PrintWriter out;
    private long flowRecords;
    private long optionsRecords;
    private long counterRecords;

    @Override
    public Integer call()
    {
        final Map<Integer, ListenerProtocol> ports = parsePortMap(portMap == null ? List.of(DEFAULT_PORT_MAP.split(",")) : portMap);
        out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final DecodeCounters counters = new DecodeCounters();
        final DatagramDecoder decoder = new DatagramDecoder(DecoderSettings.defaults(), counters);
        final UdpDatagram d = new UdpDatagram();
        final DatagramSource source = new DatagramSource();
        long frames = 0;
        long datagrams = 0;
        long unmapped = 0;
        long fragments = 0;
        long nonIp = 0;
        long nonUdp = 0;
        long malformed = 0;
        int status = Main.EXIT_OK;
        int filesRead = 0;
        long lastNs = 0;
        for (final Path file : files)
        {
            try (PcapReader reader = PcapReader.open(file))
            {
                while (reader.next(d))
                {
                    final ListenerProtocol listener = ports.get(d.dstPort);
                    if (listener == null)
                    {
                        unmapped++;
                        continue;
                    }
                    datagrams++;
                    lastNs = d.timestampNs;
                    source.set(listener, d.srcAddrHi, d.srcAddrLo, d.srcPort, d.timestampNs);
                    decoder.decode(source, d.buffer, d.payloadOffset, d.payloadLength, this);
                    if (datagrams % TIMER_EVERY_DATAGRAMS == 0)
                    {
                        decoder.onTimer(lastNs);
                    }
                }
                filesRead++;
                frames += reader.frames();
                fragments += reader.fragments();
                nonIp += reader.nonIp();
                nonUdp += reader.nonUdp();
                malformed += reader.malformed() + reader.snapTruncated() + reader.unsupportedLinkType()
                    + reader.truncatedRecords();
            }
            catch (final IOException ex)
            {
                err.println("goflow-exporter decode: " + Main.describe(file, ex));
                status = Main.EXIT_RUNTIME;
            }
        }
        if (filesRead == 0)
        {
            return status;
        }
        decoder.onTimer(lastNs);
        out.flush();
        summary(err, counters, frames, datagrams, unmapped, fragments, nonIp, nonUdp, malformed);
        sampling(err, decoder);
        return status;
    }

    private Map<Integer, ListenerProtocol> parsePortMap(final List<String> entries)
    {
        final Map<Integer, ListenerProtocol> map = new TreeMap<>();
        for (final String entry : entries)
        {
            final int eq = entry.indexOf('=');
            final ListenerProtocol protocol = eq < 0 ? null : ListenerProtocol.fromConfigName(entry.substring(eq + 1).trim());
            int port = -1;
            try
            {
                port = eq < 0 ? -1 : Integer.parseInt(entry.substring(0, eq).trim());
            }
            catch (final NumberFormatException ex)
            {
                port = -1;
            }
            if (protocol == null || port < 1 || port > 65535)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--port-map: invalid entry \"" + entry + "\"; expected PORT=netflow|ipfix|sflow|auto");
            }
            map.put(port, protocol);
        }
        return map;
    }

    private void summary(final PrintWriter err, final DecodeCounters counters, final long frames, final long datagrams,
        final long unmapped, final long fragments, final long nonIp, final long nonUdp, final long malformed)
    {
        err.println("frames: " + frames + ", udp datagrams decoded: " + datagrams + ", to unmapped ports: " + unmapped
            + ", skipped frames: fragments " + fragments + ", non-ip " + nonIp + ", non-udp " + nonUdp
            + ", malformed/truncated " + malformed);
        final StringBuilder line = new StringBuilder("datagrams:");
        final StringBuilder records = new StringBuilder("records:");
        for (final FlowType type : FlowType.values())
        {
            line.append(' ').append(type.label()).append('=').append(counters.datagrams(type));
            records.append(' ').append(type.label()).append('=').append(counters.records(type));
        }
        err.println(line);
        err.println(records + " (flow records printed " + flowRecords + ", options " + optionsRecords
            + ", interface counters " + counterRecords + ")");
        final StringBuilder rejected = new StringBuilder("rejected datagrams:");
        final StringBuilder errors = new StringBuilder("errors:");
        boolean anyRejected = false;
        boolean any = false;
        for (final FlowType type : FlowType.values())
        {
            for (final DecodeError error : DecodeError.values())
            {
                final long r = counters.rejections(type, error);
                if (r > 0)
                {
                    rejected.append(' ').append(type.label()).append('.').append(error.reason()).append('=').append(r);
                    anyRejected = true;
                }
                final long n = counters.errors(type, error);
                if (n > 0)
                {
                    errors.append(' ').append(type.label()).append('.').append(error.reason()).append('=').append(n);
                    any = true;
                }
            }
        }
        for (final DecodeError error : DecodeError.values())
        {
            final long r = counters.unrecognised(error);
            if (r > 0)
            {
                rejected.append(" unknown.").append(error.reason()).append('=').append(r);
                anyRejected = true;
            }
        }
        err.println(anyRejected ? rejected : rejected.append(" none"));
        err.println(any ? errors : errors.append(" none"));
        err.flush();
    }

    /** One line: where each exporter's sampling rates came from ({@code flow_exporter_sampling_rate}). */
    private static void sampling(final PrintWriter err, final DatagramDecoder decoder)
    {
        final StringBuilder line = new StringBuilder("sampling:");
        final int empty = line.length();
        decoder.forEachSamplingState(s -> line.append(' ').append(s.type().label()).append(' ')
            .append(AddressText.toString(s.addrHi(), s.addrLo())).append(" source=").append(s.source().label())
            .append(" rate=").append(s.rate()).append(';'));
        err.println(line.length() == empty ? line.append(" none") : line);
        err.flush();
    }

    @Override
    public void onFlowRecord(final FlowRecord r)
    {
        flowRecords++;
        final StringBuilder sb = json;
        sb.setLength(0);
        sb.append("{\"type\":\"").append(r.type.label()).append('"');
        common(sb, r);
        sb.append(",\"time_flow_start_ns\":").append(r.timeFlowStartNs)
            .append(",\"time_flow_end_ns\":").append(r.timeFlowEndNs)
            .append(",\"bytes\":").append(r.bytes)
            .append(",\"packets\":").append(r.packets);
        if (r.type == FlowType.SFLOW_5 || r.frameLength != 0)
        {
            sb.append(",\"frame_length\":").append(r.frameLength);
        }
        address(sb, "src_addr", r.srcAddrPresent, r.srcAddrHi, r.srcAddrLo);
        address(sb, "dst_addr", r.dstAddrPresent, r.dstAddrHi, r.dstAddrLo);
        sb.append(",\"etype\":").append(r.etherType)
            .append(",\"ip_version\":").append(r.ipVersion)
            .append(",\"proto\":").append(r.proto)
            .append(",\"src_port\":").append(r.srcPort)
            .append(",\"dst_port\":").append(r.dstPort)
            .append(",\"in_if\":").append(r.inIf)
            .append(",\"out_if\":").append(r.outIf)
            .append(",\"direction\":").append(r.direction)
            .append(",\"forwarding_status\":").append(r.forwardingStatus);
        mac(sb, "src_mac", r.srcMac);
        mac(sb, "dst_mac", r.dstMac);
        sb.append(",\"src_vlan\":").append(r.srcVlan)
            .append(",\"dst_vlan\":").append(r.dstVlan)
            .append(",\"ip_tos\":").append(r.tos)
            .append(",\"tcp_flags\":").append(r.tcpFlags)
            .append(",\"icmp_type\":").append(r.icmpType)
            .append(",\"icmp_code\":").append(r.icmpCode)
            .append(",\"src_as\":").append(r.srcAs)
            .append(",\"dst_as\":").append(r.dstAs)
            .append(",\"src_net_mask\":").append(r.srcMask)
            .append(",\"dst_net_mask\":").append(r.dstMask);
        address(sb, "next_hop", r.nextHopPresent, r.nextHopHi, r.nextHopLo);
        sb.append(",\"next_hop_as\":").append(r.nextHopAs)
            .append(",\"reverse\":").append(r.reverse)
            .append('}');
        emit(sb);
    }

    @Override
    public void onOtherRecord(final FlowRecord r)
    {
        final boolean counters = r.kind() == FlowRecord.Kind.INTERFACE_COUNTERS;
        if (counters)
        {
            counterRecords++;
        }
        else
        {
            optionsRecords++;
        }
        if (!all)
        {
            return;
        }
        final StringBuilder sb = json;
        sb.setLength(0);
        sb.append("{\"type\":\"").append(r.type.label()).append(counters ? "_COUNTERS" : "_OPTIONS")
            .append("\",\"kind\":\"").append(counters ? "interface_counters" : "options").append('"');
        common(sb, r);
        if (counters)
        {
            sb.append(",\"if_index\":").append(r.ifIndex)
                .append(",\"if_speed\":").append(r.ifSpeed)
                .append(",\"if_in_octets\":").append(r.ifInOctets)
                .append(",\"if_out_octets\":").append(r.ifOutOctets)
                .append(",\"if_in_packets\":").append(r.ifInPackets)
                .append(",\"if_out_packets\":").append(r.ifOutPackets)
                .append(",\"if_in_errors\":").append(r.ifInErrors)
                .append(",\"if_out_errors\":").append(r.ifOutErrors)
                .append(",\"if_in_discards\":").append(r.ifInDiscards)
                .append(",\"if_out_discards\":").append(r.ifOutDiscards);
        }
        sb.append('}');
        emit(sb);
    }

    /** Writes the line through a reused char array (PrintWriter.append would copy to a String). */
    private void emit(final StringBuilder sb)
    {
        sb.append('\n');
        if (chars.length < sb.length())
        {
            chars = new char[Math.max(sb.length(), chars.length * 2)];
        }
        sb.getChars(0, sb.length(), chars, 0);
        out.write(chars, 0, sb.length());
    }

    private static void common(final StringBuilder sb, final FlowRecord r)
    {
        sb.append(",\"time_received_ns\":").append(r.timeReceivedNs)
            .append(",\"sequence_num\":").append(r.sequenceNum)
            .append(",\"sampling_rate\":").append(r.samplingRate)
            .append(",\"sampler_id\":").append(r.samplerId)
            .append(",\"observation_domain_id\":").append(r.observationDomainId);
        address(sb, "sampler_address", true, r.samplerAddrHi, r.samplerAddrLo);
    }

    private static void address(final StringBuilder sb, final String key, final boolean present, final long hi,
        final long lo)
    {
        sb.append(",\"").append(key).append("\":\"");
        if (present)
        {
            AddressText.append(sb, hi, lo);
        }
        sb.append('"');
    }

    private static void mac(final StringBuilder sb, final String key, final long mac)
    {
        sb.append(",\"").append(key).append("\":\"");
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int b = (int)(mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift > 0)
            {
                sb.append(':');
            }
        }
        sb.append('"');
    }
}
