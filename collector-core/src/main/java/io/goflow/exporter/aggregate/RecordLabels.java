package io.goflow.exporter.aggregate;

import io.goflow.exporter.enrich.network.LabelStrings;
import io.goflow.exporter.enrich.network.NetworkTable;

/**
 * What the aggregation thread looks up once per record, before the record goes into every view:
 * the networks of its addresses (in one {@link NetworkTable} version) and the names of its
 * interfaces. Reused for every record; owned by the aggregation thread.
 */
public final class RecordLabels
{
    /** The table {@link #srcEntry} and {@link #dstEntry} index; null when no view needs networks. */
    public NetworkTable table;
    /** Entry of the longest network holding the source address, or -1. */
    public int srcEntry = -1;
    public int dstEntry = -1;
    /** {@link LabelStrings} id of the input interface's name, or {@link LabelStrings#NONE}. */
    public int inIfNameId = LabelStrings.NONE;
    public int outIfNameId = LabelStrings.NONE;

    /** Back to "nothing known". */
    public void reset()
    {
        table = null;
        srcEntry = -1;
        dstEntry = -1;
        inIfNameId = LabelStrings.NONE;
        outIfNameId = LabelStrings.NONE;
    }
}
