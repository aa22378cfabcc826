package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.FlowType;

/**
 * Header values of the message a data set came from, needed to decode its records: time bases for
 * relative time encodings, sequence number and receive time, plus per-message tallies. Reused:
 * one for the datagram being decoded, one for held sets being replayed.
 */
public final class MessageContext
{
    FlowType type = FlowType.NETFLOW_V9;
    ExporterState exporter;
    long sequence;
    /** IPFIX export time or v9 unix_secs, seconds since the epoch. */
    long exportTimeSec;
    /** v9 header sysUptime, ms; meaningful when {@link #hasSysUptime}. */
    int sysUptimeMs;
    boolean hasSysUptime;
    long receivedNs;
    /** Data and options records decoded from this message. */
    int records;
    /** The part of {@link #records} described by options templates. */
    int optionsRecords;
    /** Template fields read from this message's records (see {@link DataSetDecoder#MAX_FIELD_READS_PER_DATAGRAM}). */
    int fieldReads;
    /** True when a per-datagram cap (records or field reads) has been hit (counted once). */
    boolean capReached;
    /** True when some set of this message could not be counted (held, unknown, malformed). */
    boolean incomplete;

    /** Starts a message. */
    public MessageContext begin(
        final FlowType type,
        final ExporterState exporter,
        final long sequence,
        final long exportTimeSec,
        final int sysUptimeMs,
        final boolean hasSysUptime,
        final long receivedNs)
    {
        this.type = type;
        this.exporter = exporter;
        this.sequence = sequence;
        this.exportTimeSec = exportTimeSec;
        this.sysUptimeMs = sysUptimeMs;
        this.hasSysUptime = hasSysUptime;
        this.receivedNs = receivedNs;
        this.records = 0;
        this.optionsRecords = 0;
        this.fieldReads = 0;
        this.capReached = false;
        this.incomplete = false;
        return this;
    }

    /** @return data and options records decoded so far from this message. */
    public int records()
    {
        return records;
    }

    /** @return data records decoded so far that options templates did not describe. */
    public int flowRecords()
    {
        return records - optionsRecords;
    }

    /** @return true when some set of this message was not decoded record by record. */
    public boolean incomplete()
    {
        return incomplete;
    }

    /** Marks that some set of this message could not be counted. */
    public void markIncomplete()
    {
        incomplete = true;
    }

    public boolean capReached()
    {
        return capReached;
    }

    public ExporterState exporter()
    {
        return exporter;
    }

    /** @return receive time of the message, epoch ns. */
    public long receivedNs()
    {
        return receivedNs;
    }
}
