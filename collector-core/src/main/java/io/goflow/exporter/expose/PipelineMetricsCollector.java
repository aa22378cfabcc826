package io.goflow.exporter.expose;

import io.goflow.exporter.aggregate.AggregationStats;
import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decode.DecodeStageStats;
import io.goflow.exporter.decode.ShardStats;
import io.goflow.exporter.decoders.api.AddressText;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.template.StateBudget;
import io.goflow.exporter.receive.BoundListener;
import io.goflow.exporter.receive.KernelUdpDrops;
import io.goflow.exporter.receive.ListenerStats;
import io.goflow.exporter.receive.ReceiveStats;
import io.goflow.exporter.ring.LatencyStats;
import io.goflow.exporter.ring.ProtocolSlot;
import io.goflow.exporter.ring.RingStats;
import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pipeline's self-metrics ({@link PipelineCounter}), read at scrape time from the read-only
 * views the stages export: {@link ListenerStats} per reader, {@link ShardStats} per decode shard,
 * {@link AggregationStats}, {@link RingStats}, the decoders' {@link StateBudget} and the HTTP
 * endpoint's {@link HttpCounters}. Names get {@code metrics.namespace} and
 * {@code metrics.subsystem}; every series carries {@code metrics.custom_labels}.
 *
 * <p>Thread-safe: {@link #collect()} only reads counters and allocates on the scrape thread.
 */
public final class PipelineMetricsCollector extends Collector
{
    /**
     * Reasons for which decoders reject whole datagrams: always exported on {@code dropped_packets}
     * (other rejection reasons appear once non-zero).
     */
    private static final List<DecodeError> REJECTION_REASONS = List.of(
        DecodeError.TRUNCATED, DecodeError.BAD_LENGTH, DecodeError.BAD_VERSION, DecodeError.EXPORTER_LIMIT);
    /** Reasons for which a datagram of no recognised protocol is rejected ({@code protocol="unknown"}). */
    private static final List<DecodeError> UNRECOGNISED_REASONS = List.of(DecodeError.TRUNCATED, DecodeError.BAD_VERSION);
    /** Reasons never counted inside an accepted datagram: left out of {@code dropped_records} while zero. */
    private static final Set<DecodeError> WHOLE_DATAGRAM_ONLY = Set.of(DecodeError.BAD_VERSION, DecodeError.EXPORTER_LIMIT);

    /** {@code dropped_records} reason: the ring was halted while a shard waited for records. */
    static final String SHUTDOWN_REASON = "shutdown";
    /** {@code dropped_records} reason: decoding or enriching the datagram threw. */
    static final String EXCEPTION_REASON = "exception";

    private final MetricsSettings metrics;
    private final List<ListenerStats> listeners;
    private final List<ShardStats> shards;
    private final AggregationStats aggregation;
    private final RingStats ring;
    private final StateBudget budget;
    private final KernelUdpDrops kernel;
    private final HttpCounters http;
    private final List<String> customNames;
    private final List<String> customValues;

    public PipelineMetricsCollector(
        final MetricsSettings metrics,
        final List<? extends ListenerStats> listeners,
        final List<? extends ShardStats> shards,
        final AggregationStats aggregation,
        final RingStats ring,
        final StateBudget budget,
        final KernelUdpDrops kernel,
        final HttpCounters http)
    {
        this.metrics = metrics;
        this.listeners = List.copyOf(listeners);
        this.shards = List.copyOf(shards);
        this.aggregation = aggregation;
        this.ring = ring;
        this.budget = budget;
        this.kernel = kernel;
        this.http = http;
        final Map<String, String> custom = new TreeMap<>(metrics.customLabels() == null ? Map.of() : metrics.customLabels());
        this.customNames = List.copyOf(custom.keySet());
        this.customValues = List.copyOf(custom.values());
    }

    @Override
    public List<MetricFamilySamples> collect()
    {
        final List<MetricFamilySamples> out = new ArrayList<>();
        receive(out);
        decode(out);
        exporters(out);
        ring(out);
        http(out);
        return out;
    }

    private void receive(final List<MetricFamilySamples> out)
    {
        final MetricFamilyBuilder packets = family(PipelineCounter.RECEIVED_PACKETS);
        final MetricFamilyBuilder bytes = family(PipelineCounter.RECEIVED_BYTES);
        for (int slot = 0; slot < ProtocolSlot.COUNT; slot++)
        {
            long p = 0;
            long b = 0;
            for (final ListenerStats reader : listeners)
            {
                p += reader.counters().packets(slot);
                b += reader.counters().bytes(slot);
            }
            packets.add(p, ProtocolSlot.label(slot));
            bytes.add(b, ProtocolSlot.label(slot));
        }
        final MetricFamilyBuilder socketErrors = family(PipelineCounter.LISTENER_SOCKET_ERRORS);
        final MetricFamilyBuilder rcvbuf = family(PipelineCounter.LISTENER_RECEIVE_BUFFER);
        final Map<String, Long> kernelDrops = new LinkedHashMap<>();
        for (final ListenerStats reader : listeners)
        {
            final BoundListener b = reader.bound();
            final String port = Integer.toString(b.port());
            socketErrors.add(reader.counters().socketErrors(), b.protocol().configName(), b.address(), port);
            rcvbuf.add(b.receiveBufferBytes(), b.protocol().configName(), b.address(), port);
            kernelDrops.putIfAbsent(b.protocol().configName() + "\u0000" + port, (long)b.port());
        }
        final MetricFamilyBuilder kernelFamily = family(PipelineCounter.KERNEL_DROPPED_PACKETS);
        for (final Map.Entry<String, Long> e : kernelDrops.entrySet())
        {
            final int port = e.getValue().intValue();
            final String protocol = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
            kernelFamily.add(kernel.dropsForLocalPort(port), protocol, Integer.toString(port));
        }
        out.add(packets.samples());
        out.add(bytes.samples());
        out.add(socketErrors.samples());
        out.add(rcvbuf.samples());
        out.add(kernelFamily.samples());
    }

    private void decode(final List<MetricFamilySamples> out)
    {
        final MetricFamilyBuilder processed = family(PipelineCounter.PROCESSED_PACKETS);
        for (int slot = 0; slot < ProtocolSlot.COUNT; slot++)
        {
            long n = 0;
            for (final ShardStats shard : shards)
            {
                n += shard.counters().processed(slot);
            }
            processed.add(n, ProtocolSlot.label(slot));
        }

        final MetricFamilyBuilder decoded = family(PipelineCounter.DECODED_PACKETS);
        final MetricFamilyBuilder parsed = family(PipelineCounter.PARSED_RECORDS);
        final MetricFamilyBuilder errors = family(PipelineCounter.DECODE_ERRORS);
        final long[] errorSums = new long[DecodeError.count()];
        for (final FlowType type : FlowType.values())
        {
            long d = 0;
            long r = 0;
            final long[] perType = new long[DecodeError.count()];
            for (final ShardStats shard : shards)
            {
                final DecodeCounters dc = shard.decodeCounters();
                d += dc.datagrams(type);
                r += shard.counters().parsedRecords(type);
                for (final DecodeError error : DecodeError.values())
                {
                    perType[error.ordinal()] += dc.errors(type, error) + dc.rejections(type, error);
                    errorSums[error.ordinal()] += dc.errors(type, error);
                }
            }
            decoded.add(d, type.metricLabel());
            parsed.add(r, type.metricLabel());
            for (final DecodeError error : DecodeError.values())
            {
                errors.add(perType[error.ordinal()], type.metricLabel(), error.reason());
            }
        }

        for (final DecodeError error : UNRECOGNISED_REASONS)
        {
            long n = 0;
            for (final ShardStats shard : shards)
            {
                n += shard.decodeCounters().unrecognised(error);
            }
            errors.add(n, ProtocolSlot.label(ProtocolSlot.UNKNOWN), error.reason());
        }

        final MetricFamilyBuilder droppedPackets = family(PipelineCounter.DROPPED_PACKETS);
        for (final Map.Entry<String, Long> e : droppedPackets().entrySet())
        {
            droppedPackets.add(e.getValue(), e.getKey());
        }

        long tooMany = 0;
        long shutdown = 0;
        long exception = 0;
        long poolWaits = 0;
        for (final ShardStats shard : shards)
        {
            tooMany += shard.counters().tooManyRecords();
            shutdown += shard.counters().shutdownDropped();
            exception += shard.counters().exceptionDropped();
            poolWaits += shard.counters().poolWaits();
        }
        final MetricFamilyBuilder droppedRecords = family(PipelineCounter.DROPPED_RECORDS);
        for (final DecodeError error : DecodeError.values())
        {
            final long extra = error == DecodeError.TOO_MANY_RECORDS ? tooMany : 0;
            final long n = errorSums[error.ordinal()] + extra;
            if (error.recordKept() || (WHOLE_DATAGRAM_ONLY.contains(error) && n == 0))
            {
                continue;
            }
            droppedRecords.add(n, error.reason());
        }
        droppedRecords.add(shutdown, SHUTDOWN_REASON);
        droppedRecords.add(exception, EXCEPTION_REASON);
        final MetricFamilyBuilder waits = family(PipelineCounter.RECORD_POOL_WAITS);
        waits.add(poolWaits);

        out.add(processed.samples());
        out.add(decoded.samples());
        out.add(parsed.samples());
        out.add(droppedPackets.samples());
        out.add(droppedRecords.samples());
        out.add(errors.samples());
        out.add(waits.samples());
    }

    /**
     * Whole datagrams dropped, by reason: the readers' reasons (before the ring) and the decoders'
     * rejections (after it), equal labels merged into one value (the reader's oversize
     * {@code truncated} and the decoders' {@code truncated} are one series).
     */
    private Map<String, Long> droppedPackets()
    {
        final Map<String, Long> byReason = new LinkedHashMap<>();
        for (int reason = 0; reason < ReceiveStats.DROP_REASONS; reason++)
        {
            long n = 0;
            for (final ListenerStats reader : listeners)
            {
                n += reader.counters().dropped(reason);
            }
            byReason.merge(ReceiveStats.dropLabel(reason), n, Long::sum);
        }
        for (final DecodeError reason : REJECTION_REASONS)
        {
            byReason.merge(reason.reason(), 0L, Long::sum);
        }
        for (int reason = 0; reason < DecodeStageStats.UNDECODED_REASONS; reason++)
        {
            long n = 0;
            for (final ShardStats shard : shards)
            {
                n += shard.counters().undecoded(reason);
            }
            final String label = DecodeStageStats.undecodedLabel(reason);
            if (n != 0 || reason == DecodeStageStats.UNDECODED_MALFORMED)
            {
                byReason.merge(label, n, Long::sum);
            }
        }
        return byReason;
    }

    private void exporters(final List<MetricFamilySamples> out)
    {
        final Map<String, long[]> byExporter = new TreeMap<>();
        for (final ShardStats shard : shards)
        {
            shard.forEachExporter(stats ->
            {
                final String key = AddressText.toString(stats.addrHi(), stats.addrLo()) + "\u0000" +
                    stats.type().metricLabel();
                final long[] v = byExporter.computeIfAbsent(key, k -> new long[6]);
                v[0] += stats.templates();
                v[1] += stats.sequenceGaps();
                v[2] += stats.sequenceLost();
                v[3] = Math.max(v[3], stats.lastSeenNs());
                v[4] += stats.heldSetsNow();
                v[5] += stats.replayedSets();
            });
        }
        final MetricFamilyBuilder templates = family(PipelineCounter.EXPORTER_TEMPLATES);
        final MetricFamilyBuilder gaps = family(PipelineCounter.EXPORTER_SEQUENCE_GAPS);
        final MetricFamilyBuilder lost = family(PipelineCounter.EXPORTER_SEQUENCE_LOST);
        final MetricFamilyBuilder lastSeen = family(PipelineCounter.EXPORTER_LAST_SEEN);
        final MetricFamilyBuilder held = family(PipelineCounter.EXPORTER_HELD_SETS);
        final MetricFamilyBuilder replayed = family(PipelineCounter.EXPORTER_REPLAYED_SETS);
        for (final Map.Entry<String, long[]> e : byExporter.entrySet())
        {
            final int sep = e.getKey().indexOf('\u0000');
            final String exporter = e.getKey().substring(0, sep);
            final String protocol = e.getKey().substring(sep + 1);
            final long[] v = e.getValue();
            templates.add(v[0], exporter, protocol);
            gaps.add(v[1], exporter, protocol);
            lost.add(v[2], exporter, protocol);
            lastSeen.add(v[3] / 1e9, exporter, protocol);
            held.add(v[4], exporter, protocol);
            replayed.add(v[5], exporter, protocol);
        }
        out.add(templates.samples());
        out.add(gaps.samples());
        out.add(lost.samples());
        out.add(lastSeen.samples());

        final Map<String, Long> rates = new TreeMap<>();
        for (final ShardStats shard : shards)
        {
            shard.forEachSamplingState(s -> rates.put(AddressText.toString(s.addrHi(), s.addrLo()) + "\u0000" +
                s.type().metricLabel() + "\u0000" + s.source().label(), s.rate()));
        }
        final MetricFamilyBuilder sampling = family(PipelineCounter.EXPORTER_SAMPLING_RATE);
        rates.forEach((key, rate) -> sampling.add(rate, key.split("\u0000", -1)));
        out.add(sampling.samples());
        out.add(held.samples());
        out.add(replayed.samples());
    }

    private void ring(final List<MetricFamilySamples> out)
    {
        final MetricFamilyBuilder exceptionFamily = family(PipelineCounter.RING_EXCEPTIONS);
        exceptionFamily.add(ring.exceptions());
        final MetricFamilyBuilder length = family(PipelineCounter.WORKER_QUEUE_LENGTH);
        length.add(ring.occupied());
        final MetricFamilyBuilder capacity = family(PipelineCounter.WORKER_QUEUE_CAPACITY);
        capacity.add(ring.capacity());
        out.add(exceptionFamily.samples());
        out.add(length.samples());
        out.add(capacity.samples());
        out.add(histogram(aggregation.latency()));
        final MetricFamilyBuilder bytes = family(PipelineCounter.STATE_BYTES);
        final MetricFamilyBuilder limits = family(PipelineCounter.STATE_LIMIT_BYTES);
        bytes.add(ring.slotsBytes(), "ring");
        limits.add(ring.slotsBytes(), "ring");
        bytes.add(ring.overflowBytesInUse(), "ring_overflow");
        limits.add(ring.overflowBytes(), "ring_overflow");
        bytes.add(budget.heldBytes(), "held");
        limits.add(budget.heldBytesTotal(), "held");
        bytes.add(budget.templateBytes(), "templates");
        limits.add(budget.templateBytesTotal(), "templates");
        bytes.add(budget.streamBytes(), "exporters");
        limits.add(budget.streamBytesLimit(), "exporters");
        out.add(bytes.samples());
        out.add(limits.samples());
        final MetricFamilyBuilder entries = family(PipelineCounter.STATE_ENTRIES);
        entries.add(budget.templates(), "templates");
        entries.add(budget.streams(), "exporters");
        entries.add(budget.heldSets(), "held");
        out.add(entries.samples());
        final MetricFamilyBuilder refused = family(PipelineCounter.STATE_REFUSED);
        final MetricFamilyBuilder evicted = family(PipelineCounter.STATE_EVICTED);
        for (final StateBudget.Limit limit : StateBudget.Limit.values())
        {
            refused.add(budget.refusals(limit), limit.key());
            evicted.add(budget.evictions(limit), limit.key());
        }
        out.add(refused.samples());
        out.add(evicted.samples());
    }

    private void http(final List<MetricFamilySamples> out)
    {
        final MetricFamilyBuilder accepted = family(PipelineCounter.HTTP_CONNECTIONS_ACCEPTED);
        accepted.add(http.get(HttpCounters.ACCEPTED));
        final MetricFamilyBuilder open = family(PipelineCounter.HTTP_CONNECTIONS_OPEN);
        open.add(http.get(HttpCounters.OPEN));
        final MetricFamilyBuilder rejected = family(PipelineCounter.HTTP_CONNECTIONS_REJECTED);
        rejected.add(http.get(HttpCounters.REJECTED_CLIENT_LIMIT), "client_limit");
        rejected.add(http.get(HttpCounters.REJECTED_TOTAL_LIMIT), "total_limit");
        rejected.add(http.get(HttpCounters.REJECTED_TLS_HANDSHAKE), "tls_handshake");
        final MetricFamilyBuilder evicted = family(PipelineCounter.HTTP_CONNECTIONS_EVICTED);
        evicted.add(http.get(HttpCounters.EVICTED));
        final MetricFamilyBuilder timedOut = family(PipelineCounter.HTTP_CONNECTIONS_TIMED_OUT);
        timedOut.add(http.get(HttpCounters.TIMED_OUT_HEAD), "head");
        timedOut.add(http.get(HttpCounters.TIMED_OUT_IDLE), "idle");
        timedOut.add(http.get(HttpCounters.TIMED_OUT_RESPONSE), "response");
        final MetricFamilyBuilder abandoned = family(PipelineCounter.HTTP_CONNECTIONS_ABANDONED);
        abandoned.add(http.get(HttpCounters.ABANDONED_HEAD), "head");
        abandoned.add(http.get(HttpCounters.ABANDONED_RESPONSE), "response");
        final MetricFamilyBuilder requests = family(PipelineCounter.HTTP_REQUESTS);
        requests.add(http.get(HttpCounters.REQUESTS));
        final MetricFamilyBuilder refused = family(PipelineCounter.HTTP_REQUESTS_REJECTED);
        refused.add(http.get(HttpCounters.REJECTED_BAD_REQUEST), "bad_request");
        refused.add(http.get(HttpCounters.REJECTED_HEAD_TOO_LARGE), "head_too_large");
        refused.add(http.get(HttpCounters.REJECTED_BUSY), "busy");
        refused.add(http.get(HttpCounters.REJECTED_UNAUTHORIZED), "unauthorized");
        final MetricFamilyBuilder reloads = family(PipelineCounter.HTTP_WEB_CONFIG_RELOADS);
        reloads.add(http.get(HttpCounters.WEB_CONFIG_RELOADED), "success");
        reloads.add(http.get(HttpCounters.WEB_CONFIG_RELOAD_FAILED), "failure");
        final MetricFamilyBuilder reloadOk = family(PipelineCounter.HTTP_WEB_CONFIG_LAST_RELOAD_SUCCESSFUL);
        reloadOk.add(http.get(HttpCounters.WEB_CONFIG_LAST_RELOAD_OK));
        out.add(accepted.samples());
        out.add(open.samples());
        out.add(rejected.samples());
        out.add(evicted.samples());
        out.add(timedOut.samples());
        out.add(abandoned.samples());
        out.add(requests.samples());
        out.add(refused.samples());
        out.add(reloads.samples());
        out.add(reloadOk.samples());
    }

    private MetricFamilySamples histogram(final LatencyStats histogram)
    {
        final PipelineCounter c = PipelineCounter.PROCESSING_DURATION;
        final String name = metrics.metricName(c.baseName());
        final List<String> names = new ArrayList<>(customNames);
        names.add(0, "le");
        final List<MetricFamilySamples.Sample> samples = new ArrayList<>();
        long cumulative = 0;
        for (int i = 0; i <= LatencyStats.BOUNDS_SECONDS.length; i++)
        {
            cumulative += histogram.bucketCount(i);
            final String le = i < LatencyStats.BOUNDS_SECONDS.length ?
                Collector.doubleToGoString(LatencyStats.BOUNDS_SECONDS[i]) : "+Inf";
            samples.add(new MetricFamilySamples.Sample(name + "_bucket", names, values(le), cumulative));
        }
        samples.add(new MetricFamilySamples.Sample(name + "_count", customNames, customValues, cumulative));
        samples.add(new MetricFamilySamples.Sample(name + "_sum", customNames, customValues, histogram.sumNs() / 1e9));
        return new MetricFamilySamples(name, Type.HISTOGRAM, c.help(), samples);
    }

    private MetricFamilyBuilder family(final PipelineCounter counter)
    {
        return new MetricFamilyBuilder(counter, metrics, customNames, customValues, false);
    }

    private List<String> values(final String... labelValues)
    {
        final List<String> v = new ArrayList<>(labelValues.length + customValues.size());
        v.addAll(Arrays.asList(labelValues));
        v.addAll(customValues);
        return v;
    }
}
