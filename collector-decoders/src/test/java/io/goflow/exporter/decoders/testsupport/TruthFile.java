package io.goflow.exporter.decoders.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A capture's {@code NAME.truth.json}, computed by {@code ../shared/tools/truth.py} from
 * Wireshark's decode only (see {@code ../shared/README.md}). Immutable view for tests; missing
 * keys read as 0 / empty.
 *
 * <p>Key facts of the format: {@code totals.bytes} for sFlow is the sampled frame (L2) length,
 * while {@link SflowTotals#ipBytes()} is L3; {@code *_scaled_online} applies an options-derived
 * rate only after its options record was seen; {@code by_5tuple} keys are
 * {@code src|dst|proto|sport|dport} with Wireshark's address text and {@code None} for absent
 * values.
 */
public final class TruthFile
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Counters of one aggregation bucket ({@code agg} in truth.py). */
    public record Agg(long flows, long bytes, long packets, long bytesScaled, long packetsScaled,
                      long reverseBytes, long reversePackets)
    {
        static Agg of(final JsonNode n)
        {
            return new Agg(n.path("flows").asLong(), n.path("bytes").asLong(), n.path("packets").asLong(),
                n.path("bytes_scaled").asLong(), n.path("packets_scaled").asLong(),
                n.path("reverse_bytes").asLong(), n.path("reverse_packets").asLong());
        }
    }

    /** {@code totals}. */
    public record Totals(long flows, long bytes, long packets, long bytesScaled, long packetsScaled,
                         long bytesScaledOnline, long packetsScaledOnline, long reverseBytes, long reversePackets,
                         long recordsWithoutCounters)
    {
    }

    /** {@code sflow} (present for sFlow captures only). */
    public record SflowTotals(long datagrams, long flowSamples, long expandedFlowSamples, long counterSamples,
                              long expandedCounterSamples, long otherSamples, long frameBytes, long ipBytes,
                              long ipBytesScaled)
    {
    }

    /** {@code templates}. */
    public record Templates(long dataTemplates, long optionsTemplates, long distinctTemplateIds)
    {
    }

    private final Path path;
    private final String file;
    private final Map<Integer, String> decodeAs;
    private final long udpDatagrams;
    private final Map<String, Long> exportPackets;
    private final Templates templates;
    private final long optionsRecords;
    private final long undecodedDataFlowsets;
    private final long undecodedDataBytes;
    private final long malformedFrames;
    private final Map<String, Long> expertErrors;
    private final Map<String, Long> ratesSeen;
    private final Map<String, Long> rateSource;
    private final Totals totals;
    private final Map<String, Agg> byProtocol;
    private final Map<String, Agg> byIpVersion;
    private final Map<String, Agg> byInIf;
    private final Map<String, Agg> byOutIf;
    private final Map<String, Agg> by5Tuple;
    private final SflowTotals sflow;
    private final JsonNode root;

    private TruthFile(final Path path, final JsonNode root)
    {
        this.path = path;
        this.root = root;
        file = root.path("file").asText();
        decodeAs = new LinkedHashMap<>();
        root.path("decode_as").fields().forEachRemaining(e -> decodeAs.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        udpDatagrams = root.path("udp_datagrams").asLong();
        exportPackets = longs(root.path("export_packets"));
        final JsonNode t = root.path("templates");
        templates = new Templates(t.path("data_templates").asLong(), t.path("options_templates").asLong(),
            t.path("distinct_template_ids").asLong());
        optionsRecords = root.path("options_records").asLong();
        undecodedDataFlowsets = root.path("undecoded_data_flowsets").asLong();
        undecodedDataBytes = root.path("undecoded_data_bytes").asLong();
        malformedFrames = root.path("malformed_frames").asLong();
        expertErrors = longs(root.path("expert_errors"));
        ratesSeen = longs(root.path("sampling").path("rates_seen"));
        rateSource = longs(root.path("sampling").path("rate_source"));
        final JsonNode n = root.path("totals");
        totals = new Totals(n.path("flows").asLong(), n.path("bytes").asLong(), n.path("packets").asLong(),
            n.path("bytes_scaled").asLong(), n.path("packets_scaled").asLong(),
            n.path("bytes_scaled_online").asLong(), n.path("packets_scaled_online").asLong(),
            n.path("reverse_bytes").asLong(), n.path("reverse_packets").asLong(),
            n.path("records_without_counters").asLong());
        byProtocol = aggs(root.path("by_protocol"));
        byIpVersion = aggs(root.path("by_ip_version"));
        byInIf = aggs(root.path("by_in_if"));
        byOutIf = aggs(root.path("by_out_if"));
        by5Tuple = aggs(root.path("by_5tuple"));
        final JsonNode s = root.path("sflow");
        sflow = s.isMissingNode() ? null : new SflowTotals(s.path("datagrams").asLong(), s.path("flow_samples").asLong(),
            s.path("expanded_flow_samples").asLong(), s.path("counter_samples").asLong(),
            s.path("expanded_counter_samples").asLong(), s.path("other_samples").asLong(),
            s.path("frame_bytes").asLong(), s.path("ip_bytes").asLong(), s.path("ip_bytes_scaled").asLong());
    }

    /** Loads a truth file. */
    public static TruthFile load(final Path truthJson)
    {
        try
        {
            return new TruthFile(truthJson, MAPPER.readTree(truthJson.toFile()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Loads the truth file next to {@code NAME.pcap}: {@code NAME.truth.json}. */
    public static TruthFile forCapture(final Path pcap)
    {
        return load(truthPathOf(pcap));
    }

    /** @return {@code NAME.truth.json} next to {@code NAME.pcap}. */
    public static Path truthPathOf(final Path pcap)
    {
        final String name = pcap.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        return pcap.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".truth.json");
    }

    /**
     * The shared data directory: system property {@code shared.dir} (set by surefire), else
     * {@code ../shared} or {@code ../../shared} relative to the working directory.
     */
    public static Path sharedDir()
    {
        final String property = System.getProperty("shared.dir");
        if (property != null && Files.isDirectory(Path.of(property, "testdata")))
        {
            return Path.of(property);
        }
        for (final String candidate : new String[] {"../shared", "../../shared", "shared"})
        {
            if (Files.isDirectory(Path.of(candidate, "testdata")))
            {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("shared data not found: set -Dshared.dir or link ../shared");
    }

    /** @return {@code sharedDir()/testdata/SUB} (e.g. {@code vendor}, {@code exports}). */
    public static Path testdata(final String sub)
    {
        return sharedDir().resolve("testdata").resolve(sub);
    }

    /** Every capture (with a truth file) in {@code testdata/vendor} and {@code testdata/exports}, sorted. */
    public static List<Path> captures()
    {
        final List<Path> result = new ArrayList<>();
        for (final String sub : new String[] {"vendor", "exports"})
        {
            try (Stream<Path> files = Files.list(testdata(sub)))
            {
                files.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                    .filter(p -> Files.exists(truthPathOf(p)))
                    .sorted()
                    .forEach(result::add);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return result;
    }

    private static Map<String, Long> longs(final JsonNode node)
    {
        final Map<String, Long> map = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asLong());
        }
        return map;
    }

    private static Map<String, Agg> aggs(final JsonNode node)
    {
        final Map<String, Agg> map = new LinkedHashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), Agg.of(e.getValue()));
        }
        return map;
    }

    /** True when Wireshark itself could not decode everything: totals are then not comparable. */
    public boolean hasDecodeErrors()
    {
        return malformedFrames > 0 || undecodedDataFlowsets > 0 || !expertErrors.isEmpty();
    }

    /** True when the capture is sFlow ({@code sflow} section present). */
    public boolean isSflow()
    {
        return sflow != null;
    }

    public Path path()
    {
        return path;
    }

    /** The {@code file} key: the name truth.py was given (some upstream names are shortened). */
    public String file()
    {
        return file;
    }

    /** The capture's own file name in testdata: {@code NAME.pcap} for {@code NAME.truth.json}. */
    public String captureName()
    {
        final String name = path.getFileName().toString();
        return name.substring(0, name.length() - ".truth.json".length()) + ".pcap";
    }

    /** {@code decode_as}: UDP destination port → {@code cflow} or {@code sflow}. */
    public Map<Integer, String> decodeAs()
    {
        return decodeAs;
    }

    public long udpDatagrams()
    {
        return udpDatagrams;
    }

    /** {@code export_packets}: kind ({@code netflow_v5}, {@code netflow_v9}, {@code ipfix}, {@code sflow_v5}) → datagrams. */
    public Map<String, Long> exportPackets()
    {
        return exportPackets;
    }

    public Templates templates()
    {
        return templates;
    }

    public long optionsRecords()
    {
        return optionsRecords;
    }

    public long undecodedDataFlowsets()
    {
        return undecodedDataFlowsets;
    }

    public long undecodedDataBytes()
    {
        return undecodedDataBytes;
    }

    public long malformedFrames()
    {
        return malformedFrames;
    }

    public Map<String, Long> expertErrors()
    {
        return expertErrors;
    }

    /** {@code sampling.rates_seen}: rate text → records. */
    public Map<String, Long> ratesSeen()
    {
        return ratesSeen;
    }

    /** {@code sampling.rate_source}: how → records. */
    public Map<String, Long> rateSource()
    {
        return rateSource;
    }

    public Totals totals()
    {
        return totals;
    }

    public Map<String, Agg> byProtocol()
    {
        return byProtocol;
    }

    public Map<String, Agg> byIpVersion()
    {
        return byIpVersion;
    }

    public Map<String, Agg> byInIf()
    {
        return byInIf;
    }

    public Map<String, Agg> byOutIf()
    {
        return byOutIf;
    }

    /** {@code by_5tuple}: {@code src|dst|proto|sport|dport} → agg. */
    public Map<String, Agg> by5Tuple()
    {
        return by5Tuple;
    }

    /** @return the {@code sflow} section, or null for non-sFlow captures. */
    public SflowTotals sflow()
    {
        return sflow;
    }

    /** The raw JSON tree, for keys this class does not model. */
    public JsonNode json()
    {
        return root;
    }

    @Override
    public String toString()
    {
        return captureName();
    }
}
