package io.goflow.exporter.decoders.api;

/**
 * Why a datagram, set or record was not (fully) decoded. Each value is a stable label
 * ({@link #reason()}): on {@code flow_dropped_packets_total{reason}} when a decoder rejects a whole
 * datagram for it ({@link DecodeCounters#rejected}), on {@code flow_dropped_records_total{reason}}
 * when it is counted inside an accepted datagram ({@link DecodeCounters#error}), on
 * {@code flow_decode_errors_total{protocol,reason}} for both, and in the {@code decode} command's
 * summary. A reason whose record is still emitted ({@link #recordKept()}) is on
 * {@code flow_decode_errors_total} only, never on {@code flow_dropped_records_total}.
 *
 * <p>A record without a known sampling rate is not an error: it is a state of its exporter
 * ({@code ExporterSamplingTable}, {@code flow_exporter_sampling_rate{source="none"}}).
 */
public enum DecodeError
{
    /** Datagram or structure shorter than its header or declared length. */
    TRUNCATED("truncated"),
    /** Version field not one this listener accepts. */
    BAD_VERSION("bad_version"),
    /** A length or count field inconsistent with the bytes present. */
    BAD_LENGTH("bad_length"),
    /** A template that fails validation (zero fields, inconsistent length, absurd record length). */
    BAD_TEMPLATE("bad_template"),
    /** A template with more fields than {@code Template.MAX_FIELDS} (512). */
    TOO_MANY_FIELDS("too_many_fields"),
    /**
     * A template with more than {@code Template.MAX_FIELDS_PER_RECORD_BYTE} (2) fields per byte of
     * its minimum record length: mostly zero-length fields, costly to walk and carrying nothing.
     */
    SPARSE_TEMPLATE("sparse_template"),
    /**
     * A data set whose template is not known, dropped at once because holding is disabled (a held
     * set is not an error: it is decoded on replay or counted {@link #NO_TEMPLATE_EXPIRED}).
     */
    NO_TEMPLATE("no_template"),
    /** Held data sets that expired before their template arrived. */
    NO_TEMPLATE_EXPIRED("no_template_expired"),
    /**
     * Held data sets refused because the hold buffer was full: the exporter's
     * ({@code pending_bytes_per_exporter}) or all exporters' ({@code pending_bytes_total}).
     */
    PENDING_FULL("pending_full"),
    /** A template refused because the per-exporter template cap was reached. */
    TEMPLATE_LIMIT("template_limit"),
    /**
     * A template refused because template memory is full: {@code template_bytes_total} over every
     * exporter, or {@code template_bytes_per_address} for its address, with no stream left to evict.
     */
    TEMPLATE_MEMORY("template_memory"),
    /**
     * A new or changed template, or a withdrawal, refused because its stream redefines templates
     * faster than {@code template_updates_per_second}: the stored definitions stay in force.
     */
    TEMPLATE_RATE("template_rate"),
    /**
     * A datagram refused because its stream is new and the stream caps are reached
     * ({@code max_exporters} over every shard, or {@code max_streams_per_address}) with no stream
     * that never sent data left to evict.
     */
    EXPORTER_LIMIT("exporter_limit"),
    /** An sFlow sample or record of a format we do not decode (skipped by length). */
    UNSUPPORTED("unsupported"),
    /** A data set, not empty, shorter than one record of its template (the minimum record length). */
    SHORT_DATA_SET("short_data_set"),
    /**
     * A flow record whose bytes or packets exceed {@code FlowRecord.MAX_COUNTER} (2^48, unsigned),
     * or whose bytes exceed {@code FlowRecord.MAX_BYTES_PER_PACKET} (2^20) per packet.
     */
    IMPLAUSIBLE_COUNTER("implausible_counter"),
    /**
     * A sampling rate above {@code FlowRecord.MAX_SAMPLING_RATE} (2^24): the flow record or sFlow
     * sample carrying or using it is dropped; an options record announcing it is not learnt.
     */
    IMPLAUSIBLE_SAMPLING_RATE("implausible_sampling_rate"),
    /** More records in one datagram than the configured cap. */
    TOO_MANY_RECORDS("too_many_records"),
    /**
     * More field reads in one datagram than {@code DataSetDecoder.MAX_FIELD_READS_PER_DATAGRAM}
     * (65,536): the rest of the datagram is dropped, counted once.
     */
    FIELD_BUDGET("field_budget"),
    /**
     * A packet report's section (IE 315, 104, 313) ends before the IP addresses of its packet: the
     * record is emitted with what was decoded.
     */
    SECTION_TRUNCATED("section_truncated", true),
    /**
     * A packet report's section with a field that cannot be true (IPv4 IHL below 5 or total length
     * below the header, IP version neither 4 nor 6, sectionExportedOctets beyond the field, a
     * label or tag stack past its bound): the record is emitted with what was decoded.
     */
    SECTION_MALFORMED("section_malformed", true);

    private static final DecodeError[] VALUES = values();

    private final String reason;
    private final boolean recordKept;

    DecodeError(final String reason)
    {
        this(reason, false);
    }

    DecodeError(final String reason, final boolean recordKept)
    {
        this.reason = reason;
        this.recordKept = recordKept;
    }

    /** @return true when the record counted for this reason is still emitted (nothing is dropped). */
    public boolean recordKept()
    {
        return recordKept;
    }

    public String reason()
    {
        return reason;
    }

    public static DecodeError fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }

    public static int count()
    {
        return VALUES.length;
    }
}
