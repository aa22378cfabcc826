package io.goflow.exporter.config;

import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.goflow.exporter.config.Durations.SECOND_NS;

/** Binds {@code decoder} to {@link DecoderSettings}. */
final class DecoderBinder extends SectionBinder<DecoderSettings>
{
    static final int MAX_EXPORTERS_MAX = 1_000_000;
    static final int MAX_TEMPLATES_PER_EXPORTER_MAX = 65536;
    static final int PENDING_BYTES_MAX = 64 << 20;
    /** Smallest template memory cap: one template of 4,000 fields fits. */
    static final long STATE_BYTES_MIN = 64 << 10;
    /** Largest byte cap of any exporter state: 64 GiB (the heap check refuses what does not fit). */
    static final long STATE_BYTES_MAX = 64L << 30;
    static final int MAX_RECORDS_PER_DATAGRAM_MAX = 65535;
    /** At most one update per µs, so that the limit's interval stays a whole number of ns. */
    static final int TEMPLATE_UPDATES_PER_SECOND_MAX = 1_000_000;
    /** Largest configurable sampling rate: what the decoders accept from the wire, 2^24. */
    static final long SAMPLING_RATE_MAX = FlowRecord.MAX_SAMPLING_RATE;
    static final long TEMPLATE_TIMEOUT_MAX_NS = 30 * Durations.DAY_NS;
    static final long PENDING_TIMEOUT_MAX_NS = 3600 * SECOND_NS;

    DecoderBinder(final YamlFields y)
    {
        super(y);
    }

    @Override
    DecoderSettings bind(final YamlFields.Section s)
    {
        final DecoderSettings d = DecoderSettings.defaults();
        return new DecoderSettings(
            y.bool(s, "template_key_includes_port", d.templateKeyIncludesPort()),
            (int)y.integer(s, "max_exporters", d.maxExporters(), 1, MAX_EXPORTERS_MAX),
            (int)y.integer(s, "max_templates_per_exporter", d.maxTemplatesPerExporter(), 1,
                MAX_TEMPLATES_PER_EXPORTER_MAX),
            y.durationNs(s, "template_timeout", d.templateTimeoutNs(), SECOND_NS, TEMPLATE_TIMEOUT_MAX_NS),
            (int)y.integer(s, "pending_bytes_per_exporter", d.pendingBytesPerExporter(), 0, PENDING_BYTES_MAX),
            y.durationNs(s, "pending_timeout", d.pendingTimeoutNs(), SECOND_NS, PENDING_TIMEOUT_MAX_NS),
            (int)y.integer(s, "max_records_per_datagram", d.maxRecordsPerDatagram(), 1, MAX_RECORDS_PER_DATAGRAM_MAX),
            y.integer(s, "default_sampling_rate", d.defaultSamplingRate(), 0, SAMPLING_RATE_MAX),
            samplingOverrides(s),
            (int)y.integer(s, "max_streams_per_address", d.maxStreamsPerAddress(), 1, MAX_EXPORTERS_MAX),
            y.integer(s, "template_bytes_total", d.templateBytesTotal(), STATE_BYTES_MIN, STATE_BYTES_MAX),
            y.integer(s, "template_bytes_per_address", d.templateBytesPerAddress(), STATE_BYTES_MIN, STATE_BYTES_MAX),
            y.integer(s, "pending_bytes_total", d.pendingBytesTotal(), 0, STATE_BYTES_MAX),
            (int)y.integer(s, "template_updates_per_second", d.templateUpdatesPerSecond(), 0,
                TEMPLATE_UPDATES_PER_SECOND_MAX));
    }

    /** {@code sampling_overrides}: exporter address to sampling rate, keyed by canonical address text. */
    private Map<String, Long> samplingOverrides(final YamlFields.Section s)
    {
        final Map<String, Long> overrides = new LinkedHashMap<>();
        final Node overridesNode = s.value("sampling_overrides");
        if (overridesNode != null)
        {
            if (!(overridesNode instanceof MappingNode mapping))
            {
                y.error(overridesNode, s.pathOf("sampling_overrides"),
                    "expected a mapping, got " + YamlFields.describe(overridesNode));
            }
            else
            {
                for (final NodeTuple t : mapping.getValue())
                {
                    final String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                    final String path = s.pathOf("sampling_overrides") + "." + key;
                    if (IpLiterals.parse(key) == null)
                    {
                        y.error(t.getKeyNode(), path, "\"" + key + "\" is not an IPv4 or IPv6 address");
                        continue;
                    }
                    final long rate = y.integer(t.getValueNode(), path, -1, 1, SAMPLING_RATE_MAX);
                    if (rate > 0 && overrides.put(IpLiterals.canonical(key), rate) != null)
                    {
                        y.error(t.getKeyNode(), path, "duplicate exporter address");
                    }
                }
            }
        }
        return Map.copyOf(overrides);
    }
}
