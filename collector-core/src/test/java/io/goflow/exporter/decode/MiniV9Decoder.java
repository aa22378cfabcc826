package io.goflow.exporter.decode;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;
import io.goflow.exporter.decoders.api.FlowType;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test stand-in for the v9 decoder: understands exactly what {@link V9Datagrams} builds (templates
 * kept per exporter, source ID and template ID; data against an unknown template counted as
 * {@link DecodeError#NO_TEMPLATE}). Enough to show that sharding keeps one exporter's template
 * and data on one decoder, in order.
 */
public final class MiniV9Decoder implements ShardDecoder
{
    private final DecodeCounters counters = new DecodeCounters();
    private final Map<String, Integer> recordLengths = new HashMap<>();
    private final FlowRecord record = new FlowRecord();
    private final AtomicLong timerCalls = new AtomicLong();
    private long lastTimerNs;

    @Override
    public int decode(
        final DatagramSource source, final DirectBuffer buffer, final int offset, final int length, final FlowSink sink)
    {
        if (length < 20)
        {
            counters.rejected(FlowType.NETFLOW_V9, DecodeError.TRUNCATED);
            return 0;
        }
        if (buffer.getShort(offset, ByteOrder.BIG_ENDIAN) != 9)
        {
            counters.rejected(FlowType.NETFLOW_V9, DecodeError.BAD_VERSION);
            return 0;
        }
        counters.datagram(FlowType.NETFLOW_V9);
        final long sourceId = buffer.getInt(offset + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final String exporter = source.exporterAddrHi() + "/" + source.exporterAddrLo() + "/" + sourceId + "/";
        int emitted = 0;
        int pos = offset + 20;
        final int end = offset + length;
        while (pos + 4 <= end)
        {
            final int setId = buffer.getShort(pos, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int setLength = buffer.getShort(pos + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (setLength < 4 || pos + setLength > end)
            {
                counters.error(FlowType.NETFLOW_V9, DecodeError.BAD_LENGTH);
                break;
            }
            if (setId == 0)
            {
                final int templateId = buffer.getShort(pos + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                final int fields = buffer.getShort(pos + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                int recordLength = 0;
                for (int f = 0; f < fields; f++)
                {
                    recordLength += buffer.getShort(pos + 8 + f * 4 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                }
                recordLengths.put(exporter + templateId, recordLength);
            }
            else if (setId >= 256)
            {
                final Integer recordLength = recordLengths.get(exporter + setId);
                if (recordLength == null)
                {
                    counters.error(FlowType.NETFLOW_V9, DecodeError.NO_TEMPLATE);
                }
                else
                {
                    for (int r = pos + 4; r + recordLength <= pos + setLength; r += recordLength)
                    {
                        record.reset();
                        record.type = FlowType.NETFLOW_V9;
                        record.samplerAddrHi = source.exporterAddrHi();
                        record.samplerAddrLo = source.exporterAddrLo();
                        record.observationDomainId = sourceId;
                        record.timeReceivedNs = source.receivedNs();
                        record.bytes = buffer.getInt(r, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                        record.packets = buffer.getInt(r + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                        counters.record(FlowType.NETFLOW_V9);
                        sink.onFlowRecord(record);
                        emitted++;
                    }
                }
            }
            pos += setLength;
        }
        return emitted;
    }

    @Override
    public void onTimer(final long nowNs)
    {
        lastTimerNs = nowNs;
        timerCalls.incrementAndGet();
    }

    @Override
    public DecodeCounters counters()
    {
        return counters;
    }

    public long timerCalls()
    {
        return timerCalls.get();
    }

    public long lastTimerNs()
    {
        return lastTimerNs;
    }
}
