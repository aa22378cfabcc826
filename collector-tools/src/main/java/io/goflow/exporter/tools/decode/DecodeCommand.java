package io.goflow.exporter.tools.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
import io.goflow.exporter.tools.pcap.PcapReader;
import io.goflow.exporter.tools.pcap.UdpDatagram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * and sFlow interface counters ({@code "type": "SFLOW_5_COUNTERS"}) are printed too; an options
 * record naming an interface (IE 82/83) adds {@code in_if}, {@code out_if} and {@code if_name}, the
 * exporter's text escaped by the JSON generator (Jackson streaming, one object per line).
 *
 * <p>An offline tool in collector-tools, which the collector does not depend on: {@code
 * bin/goflow-exporter decode ...} runs {@link #main(String[])} from the tarball's {@code lib/}.
 *
 * <p>Exit codes: {@value #EXIT_OK} done, {@value #EXIT_UNREADABLE} a file could not be read (the
 * others are still decoded), 2 usage (picocli's).
 */
@Command(
    name = "goflow-exporter decode",
    mixinStandardHelpOptions = true,
    description = "Decode NetFlow v5/v9, IPFIX and sFlow v5 datagrams from pcap/pcapng captures to JSON lines.")
public final class DecodeCommand implements Callable<Integer>, FlowSink
{
    /** Default port map, as on the collector's listeners. */
    public static final String DEFAULT_PORT_MAP = "2055=netflow,9995=netflow,9996=netflow,4739=ipfix,6343=sflow";

    public static final int EXIT_OK = 0;
    public static final int EXIT_UNREADABLE = 1;

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

    private final StringBuilder text = new StringBuilder(64);
    private char[] chars = new char[64];
    private JsonGenerator json;
    private long flowRecords;
    private long optionsRecords;
    private long counterRecords;

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line, a failure inside the decode reported in one line (exit {@value #EXIT_UNREADABLE}). */
    public static CommandLine commandLine()
    {
        final CommandLine cl = new CommandLine(new DecodeCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            commandLine.getErr().println(commandLine.getCommandName() + ": error: " + ex);
            return EXIT_UNREADABLE;
        });
        return cl;
    }

    @Override
    public Integer call() throws IOException
    {
        final Map<Integer, ListenerProtocol> ports = parsePortMap(portMap == null ? List.of(DEFAULT_PORT_MAP.split(",")) : portMap);
        final PrintWriter out = spec.commandLine().getOut();
        json = new JsonFactory().setRootValueSeparator(null)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .createGenerator(out);
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
        int status = EXIT_OK;
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
                err.println(spec.name() + ": " + ex.getMessage());
                status = EXIT_UNREADABLE;
            }
        }
        if (filesRead == 0)
        {
            return status;
        }
        decoder.onTimer(lastNs);
        json.flush();
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
        try
        {
            final JsonGenerator g = json;
            g.writeStartObject();
            g.writeStringField("type", r.type.label());
            common(r);
            g.writeNumberField("time_flow_start_ns", r.timeFlowStartNs);
            g.writeNumberField("time_flow_end_ns", r.timeFlowEndNs);
            g.writeNumberField("bytes", r.bytes);
            g.writeNumberField("packets", r.packets);
            if (r.type == FlowType.SFLOW_5 || r.frameLength != 0)
            {
                g.writeNumberField("frame_length", r.frameLength);
            }
            address("src_addr", r.srcAddrPresent, r.srcAddrHi, r.srcAddrLo);
            address("dst_addr", r.dstAddrPresent, r.dstAddrHi, r.dstAddrLo);
            g.writeNumberField("etype", r.etherType);
            g.writeNumberField("ip_version", r.ipVersion);
            g.writeNumberField("proto", r.proto);
            g.writeNumberField("src_port", r.srcPort);
            g.writeNumberField("dst_port", r.dstPort);
            g.writeNumberField("in_if", r.inIf);
            g.writeNumberField("out_if", r.outIf);
            g.writeNumberField("direction", r.direction);
            g.writeNumberField("forwarding_status", r.forwardingStatus);
            mac("src_mac", r.srcMac);
            mac("dst_mac", r.dstMac);
            g.writeNumberField("src_vlan", r.srcVlan);
            g.writeNumberField("dst_vlan", r.dstVlan);
            g.writeNumberField("ip_tos", r.tos);
            g.writeNumberField("tcp_flags", r.tcpFlags);
            g.writeNumberField("icmp_type", r.icmpType);
            g.writeNumberField("icmp_code", r.icmpCode);
            g.writeNumberField("src_as", r.srcAs);
            g.writeNumberField("dst_as", r.dstAs);
            g.writeNumberField("src_net_mask", r.srcMask);
            g.writeNumberField("dst_net_mask", r.dstMask);
            address("next_hop", r.nextHopPresent, r.nextHopHi, r.nextHopLo);
            g.writeNumberField("next_hop_as", r.nextHopAs);
            g.writeBooleanField("reverse", r.reverse);
            endLine();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
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
        try
        {
            final JsonGenerator g = json;
            g.writeStartObject();
            g.writeStringField("type", r.type.label() + (counters ? "_COUNTERS" : "_OPTIONS"));
            g.writeStringField("kind", counters ? "interface_counters" : "options");
            common(r);
            if (counters)
            {
                g.writeNumberField("if_index", r.ifIndex);
                g.writeNumberField("if_speed", r.ifSpeed);
                g.writeNumberField("if_in_octets", r.ifInOctets);
                g.writeNumberField("if_out_octets", r.ifOutOctets);
                g.writeNumberField("if_in_packets", r.ifInPackets);
                g.writeNumberField("if_out_packets", r.ifOutPackets);
                g.writeNumberField("if_in_errors", r.ifInErrors);
                g.writeNumberField("if_out_errors", r.ifOutErrors);
                g.writeNumberField("if_in_discards", r.ifInDiscards);
                g.writeNumberField("if_out_discards", r.ifOutDiscards);
            }
            else if (r.interfaceNameLength > 0)
            {
                // The exporter's bytes as UTF-8 (malformed sequences become U+FFFD), escaped by the generator.
                g.writeNumberField("in_if", r.inIf);
                g.writeNumberField("out_if", r.outIf);
                g.writeStringField("if_name", new String(r.interfaceName, 0, r.interfaceNameLength, StandardCharsets.UTF_8));
            }
            endLine();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Closes the object and ends its line; the generator writes no separator between root values. */
    private void endLine() throws IOException
    {
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void common(final FlowRecord r) throws IOException
    {
        final JsonGenerator g = json;
        g.writeNumberField("time_received_ns", r.timeReceivedNs);
        g.writeNumberField("sequence_num", r.sequenceNum);
        g.writeNumberField("sampling_rate", r.samplingRate);
        g.writeNumberField("sampler_id", r.samplerId);
        g.writeNumberField("observation_domain_id", r.observationDomainId);
        address("sampler_address", true, r.samplerAddrHi, r.samplerAddrLo);
    }

    /** An address as text, {@code ""} when the record has none. */
    private void address(final String key, final boolean present, final long hi, final long lo) throws IOException
    {
        final StringBuilder sb = text;
        sb.setLength(0);
        if (present)
        {
            AddressText.append(sb, hi, lo);
        }
        writeText(key);
    }

    /** A MAC address held in the low 48 bits as {@code 00:00:5e:00:53:01}. */
    private void mac(final String key, final long mac) throws IOException
    {
        final StringBuilder sb = text;
        sb.setLength(0);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int b = (int)(mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift > 0)
            {
                sb.append(':');
            }
        }
        writeText(key);
    }

    /** Writes {@link #text} as the string value of {@code key} through a reused char array. */
    private void writeText(final String key) throws IOException
    {
        final int length = text.length();
        if (chars.length < length)
        {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        text.getChars(0, length, chars, 0);
        json.writeFieldName(key);
        json.writeString(chars, 0, length);
    }
}
