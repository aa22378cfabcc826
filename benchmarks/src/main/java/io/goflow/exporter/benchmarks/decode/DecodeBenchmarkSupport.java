package io.goflow.exporter.benchmarks.decode;

import io.goflow.exporter.benchmarks.Captures;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.dispatch.DatagramDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Shared body of the per-protocol decode benchmarks: one invocation decodes every datagram of a
 * real capture once (templates included, as the exporter sent them) through the public
 * {@link DatagramDecoder}, so with {@code @OperationsPerInvocation(flows in the capture)} the
 * score is flow records per second. Setup checks the decoder emits exactly the truth file's flow
 * count per pass. The sink folds a few fields into a long that is returned.
 *
 * <p>Baseline {@code walkHeaders}: reads the version and count of every datagram, the floor of
 * touching the same bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class DecodeBenchmarkSupport implements FlowSink
{
    private Captures.Payloads payloads;
    private DatagramDecoder decoder;
    private long fold;

    /** @return capture file name in {@code shared/testdata/exports}. */
    protected abstract String capture();

    /** @return the capture's payloads; by default those of {@link #capture()} in the shared exports. */
    protected Captures.Payloads loadPayloads()
    {
        return Captures.payloads(capture());
    }

    /** @return flow records per pass according to the capture's truth file. */
    protected abstract int truthFlows();

    @Setup
    public void setUp()
    {
        payloads = loadPayloads();
        decoder = Captures.primedDecoder(payloads);
        Captures.requireRecords(capture(), truthFlows(), Captures.decodePass(decoder, payloads, this));
    }

    @Override
    public void onFlowRecord(final FlowRecord record)
    {
        fold += record.bytes ^ record.srcAddrLo ^ record.dstPort;
    }

    @Benchmark
    public long decodeCapture()
    {
        fold = 0;
        Captures.decodePass(decoder, payloads, this);
        return fold;
    }

    @Benchmark
    public long walkHeaders()
    {
        long sum = 0;
        for (int i = 0; i < payloads.count(); i++)
        {
            sum += payloads.buffer.getInt(payloads.offsets[i], ByteOrder.BIG_ENDIAN);
        }
        return sum;
    }
}
