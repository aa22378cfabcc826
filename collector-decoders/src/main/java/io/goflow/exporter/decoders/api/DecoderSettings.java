package io.goflow.exporter.decoders.api;

import java.util.Map;

/**
 * Decoder limits and options, taken from the {@code decoder} section of the configuration.
 *
 * @param templateKeyIncludesPort    key templates by (exporter address, source port, domain)
 *                                   instead of (exporter address, domain).
 * @param maxExporters               most v9/IPFIX exporter streams (address + domain) tracked
 *                                   over every decode shard; a new one beyond is counted as
 *                                   {@link DecodeError#EXPORTER_LIMIT} and dropped, unless a
 *                                   stream that never sent data can be evicted for it.
 * @param maxTemplatesPerExporter    most templates kept per exporter; more are counted as
 *                                   {@link DecodeError#TEMPLATE_LIMIT}.
 * @param templateTimeoutNs          a template not refreshed for this long expires.
 * @param pendingBytesPerExporter    bytes of data sets held per exporter while their template is
 *                                   unknown; 0 disables holding.
 * @param pendingTimeoutNs           a held set older than this expires
 *                                   ({@link DecodeError#NO_TEMPLATE_EXPIRED}).
 * @param maxRecordsPerDatagram      cap on records decoded from one datagram.
 * @param defaultSamplingRate        rate applied when the exporter reports none; 0 = unknown.
 * @param samplingOverrides          exporter address text → rate that replaces what it reports.
 * @param maxStreamsPerAddress       most streams (domains, and ports when keyed by port) of one
 *                                   exporter address, over every shard.
 * @param templateBytesTotal         template memory over every exporter and shard, bytes
 *                                   (accounted as in {@code ExporterState#templateBytes}).
 * @param templateBytesPerAddress    template memory of one exporter address, bytes.
 * @param pendingBytesTotal          bytes of held data sets over every exporter and shard.
 * @param templateUpdatesPerSecond   new or changed templates (and withdrawals) one stream may make
 *                                   per second, with a burst of {@link #templateUpdateBurst()};
 *                                   more are refused as {@link DecodeError#TEMPLATE_RATE}. Identical
 *                                   re-sends are not updates. 0 disables the limit.
 */
public record DecoderSettings(
    boolean templateKeyIncludesPort,
    int maxExporters,
    int maxTemplatesPerExporter,
    long templateTimeoutNs,
    int pendingBytesPerExporter,
    long pendingTimeoutNs,
    int maxRecordsPerDatagram,
    long defaultSamplingRate,
    Map<String, Long> samplingOverrides,
    int maxStreamsPerAddress,
    long templateBytesTotal,
    long templateBytesPerAddress,
    long pendingBytesTotal,
    int templateUpdatesPerSecond)
{
    public static final boolean TEMPLATE_KEY_INCLUDES_PORT_DEFAULT = false;
    public static final int MAX_EXPORTERS_DEFAULT = 4096;
    public static final int MAX_TEMPLATES_PER_EXPORTER_DEFAULT = 1024;
    public static final long TEMPLATE_TIMEOUT_NS_DEFAULT = 30L * 60 * 1_000_000_000L;
    public static final int PENDING_BYTES_PER_EXPORTER_DEFAULT = 256 * 1024;
    public static final long PENDING_TIMEOUT_NS_DEFAULT = 10L * 1_000_000_000L;
    public static final int MAX_RECORDS_PER_DATAGRAM_DEFAULT = 8192;
    public static final long DEFAULT_SAMPLING_RATE_DEFAULT = 0;
    public static final int MAX_STREAMS_PER_ADDRESS_DEFAULT = 256;
    public static final long TEMPLATE_BYTES_TOTAL_DEFAULT = 64L << 20;
    public static final long TEMPLATE_BYTES_PER_ADDRESS_DEFAULT = 4L << 20;
    public static final long PENDING_BYTES_TOTAL_DEFAULT = 32L << 20;
    /**
     * Real exporters change a definition only when their configuration changes; 100 a second per
     * stream after the burst is far above that and still bounds a churning stream's template
     * compilations.
     */
    public static final int TEMPLATE_UPDATES_PER_SECOND_DEFAULT = 100;

    /**
     * Settings with the default state caps ({@code max_streams_per_address}, the byte totals) and
     * {@code template_updates_per_second}.
     */
    public DecoderSettings(
        final boolean templateKeyIncludesPort,
        final int maxExporters,
        final int maxTemplatesPerExporter,
        final long templateTimeoutNs,
        final int pendingBytesPerExporter,
        final long pendingTimeoutNs,
        final int maxRecordsPerDatagram,
        final long defaultSamplingRate,
        final Map<String, Long> samplingOverrides)
    {
        this(templateKeyIncludesPort, maxExporters, maxTemplatesPerExporter, templateTimeoutNs, pendingBytesPerExporter,
            pendingTimeoutNs, maxRecordsPerDatagram, defaultSamplingRate, samplingOverrides,
            MAX_STREAMS_PER_ADDRESS_DEFAULT, TEMPLATE_BYTES_TOTAL_DEFAULT, TEMPLATE_BYTES_PER_ADDRESS_DEFAULT,
            PENDING_BYTES_TOTAL_DEFAULT, TEMPLATE_UPDATES_PER_SECOND_DEFAULT);
    }

    /**
     * @return template updates a stream may make at once: {@code 2 * max_templates_per_exporter}, so
     *         that an exporter that boots (announcing every template) and then redefines them all
     *         (a configuration change) is never limited.
     */
    public long templateUpdateBurst()
    {
        return 2L * maxTemplatesPerExporter;
    }

    /** @return the documented defaults. */
    public static DecoderSettings defaults()
    {
        return new DecoderSettings(
            TEMPLATE_KEY_INCLUDES_PORT_DEFAULT,
            MAX_EXPORTERS_DEFAULT,
            MAX_TEMPLATES_PER_EXPORTER_DEFAULT,
            TEMPLATE_TIMEOUT_NS_DEFAULT,
            PENDING_BYTES_PER_EXPORTER_DEFAULT,
            PENDING_TIMEOUT_NS_DEFAULT,
            MAX_RECORDS_PER_DATAGRAM_DEFAULT,
            DEFAULT_SAMPLING_RATE_DEFAULT,
            Map.of());
    }
}
