package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowSink;

import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of every record a decoder emits. Test support only. */
public final class RecordingSink implements FlowSink
{
    public final List<FlowRecord> flows = new ArrayList<>();
    public final List<FlowRecord> others = new ArrayList<>();

    @Override
    public void onFlowRecord(final FlowRecord record)
    {
        final FlowRecord copy = new FlowRecord();
        copy.copyFrom(record);
        flows.add(copy);
    }

    @Override
    public void onOtherRecord(final FlowRecord record)
    {
        final FlowRecord copy = new FlowRecord();
        copy.copyFrom(record);
        others.add(copy);
    }

    public FlowRecord flow(final int i)
    {
        return flows.get(i);
    }
}
