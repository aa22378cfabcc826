package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ExporterStateTest
{
    private static final int FIELDS = ExporterState.MAX_TEMPLATE_FIELDS / 4;

    private final ExporterState state = new ExporterTable(DecoderSettings.defaults(), new DecodeCounters(), StateBudget.unlimited())
        .lookup(FlowType.IPFIX, 0, 1, -1, 0, 0);
    /** {@link #FIELDS} one-byte fields of element 1. */
    private final int[] definition = new int[FIELDS * Template.DEFINITION_STRIDE];

    ExporterStateTest()
    {
        for (int i = 0; i < FIELDS; i++)
        {
            definition[i * Template.DEFINITION_STRIDE] = 1;
            definition[i * Template.DEFINITION_STRIDE + 1] = 1;
        }
    }

    private DecodeError put(final int templateId)
    {
        return state.putTemplate(templateId, Template.KIND_DATA, 0, definition, FIELDS, 1024, 0);
    }

    @Test
    void shouldRefuseTemplateWhenStreamFieldBudgetIsSpent()
    {
        for (int id = 256; id < 260; id++)
        {
            assertNull(put(id));
        }

        assertEquals(DecodeError.TEMPLATE_LIMIT, put(260));
        assertEquals(4, state.templateCount());
    }

    @Test
    void shouldAcceptTemplateAgainWhenWithdrawalFreedBudget()
    {
        for (int id = 256; id < 260; id++)
        {
            put(id);
        }
        state.withdrawTemplate(257, 0);

        assertNull(put(260));
    }

    @Test
    void shouldAcceptRedefinitionOfKnownTemplateWhenBudgetIsFull()
    {
        for (int id = 256; id < 260; id++)
        {
            put(id);
        }
        definition[1] = 2;

        assertNull(put(259));
    }

    /**
     * Record counts (all data records, flow records) of messages m0..m7; m3 carries one options
     * record, which tells the all-records conventions from the flow-records ones.
     */
    private static final int[][] COUNTS = {{21, 20}, {4, 4}, {24, 24}, {7, 6}, {10, 10}, {3, 3}, {15, 15}, {5, 5}};
    /** RFC 7011: seq(n) = seq(n-1) + all(n-1), from 0. */
    private static final long[] PRE_ALL_SEQ = {0, 21, 25, 49, 56, 66, 69, 84};
    /** seq(n) = seq(n-1) + flow(n-1), from 0. */
    private static final long[] PRE_FLOW_SEQ = {0, 20, 24, 48, 54, 64, 67, 82};
    /** seq(n) = seq(n-1) + all(n), from all(0). */
    private static final long[] POST_ALL_SEQ = {21, 25, 49, 56, 66, 69, 84, 89};
    /** softflowd 1.1.0: seq(n) = seq(n-1) + flow(n), from flow(0); its capture starts 20, 24, 48. */
    private static final long[] POST_FLOW_SEQ = {20, 24, 48, 54, 64, 67, 82, 87};

    private void message(final long sequence, final int all, final int flow)
    {
        state.recordSequence(sequence, all, flow, true, ExporterState.IPFIX_MAX_GAP, ExporterState.IPFIX_REORDER_WINDOW);
    }

    /** Feeds messages m0..m7 of {@link #COUNTS} with {@code sequences}, except message {@code skipped}. */
    private void stream(final long[] sequences, final int skipped)
    {
        for (int m = 0; m < sequences.length; m++)
        {
            if (m != skipped)
            {
                message(sequences[m], COUNTS[m][0], COUNTS[m][1]);
            }
        }
    }

    /** Each convention with the sequence numbers of m0..m7 under it. */
    static Stream<Arguments> conventions()
    {
        return Stream.of(
            Arguments.of(ExporterState.PRE_ALL, PRE_ALL_SEQ),
            Arguments.of(ExporterState.PRE_FLOW, PRE_FLOW_SEQ),
            Arguments.of(ExporterState.POST_ALL, POST_ALL_SEQ),
            Arguments.of(ExporterState.POST_FLOW, POST_FLOW_SEQ));
    }

    @ParameterizedTest
    @MethodSource("conventions")
    void shouldLearnConventionAndCountNoLossWhenNothingIsLost(final int convention, final long[] sequences)
    {
        stream(sequences, -1);

        assertEquals(0, state.sequenceGaps());
        assertEquals(0, state.sequenceLost());
        assertEquals(convention, state.sequenceConventions());
    }

    @ParameterizedTest
    @MethodSource("conventions")
    void shouldCountRecordsOfLostMessageWhenOneMessageIsLost(final int convention, final long[] sequences)
    {
        stream(sequences, 4);

        assertEquals(1, state.sequenceGaps());
        assertEquals(10, state.sequenceLost());
        assertEquals(convention, state.sequenceConventions());
    }

    @Test
    void shouldCountLostOptionsRecordWhenExporterFollowsRfc()
    {
        stream(PRE_ALL_SEQ, 3);

        assertEquals(1, state.sequenceGaps());
        assertEquals(7, state.sequenceLost());
    }

    @Test
    void shouldCountLossOneMessageLateWhenAnotherConventionExplainsItByCoincidence()
    {
        stream(POST_FLOW_SEQ, -1);
        message(87 + 24, 24, 24);     // m8
        message(111 + 10 + 14, 14, 14); // m9 of 10 records lost: pre-flow reads 111 + 24, no loss

        assertEquals(0, state.sequenceGaps());

        message(135 + 5, 5, 5);       // only post-flow explains this step: the switch is undone

        assertEquals(1, state.sequenceGaps());
        assertEquals(10, state.sequenceLost());
        assertEquals(ExporterState.POST_FLOW, state.sequenceConventions());
    }

    /** {@code sequences} moved 64 below 2^32, so that they wrap between m3 (2^32 - 10) and m4 (0). */
    private static long[] nearWrap(final long[] sequences)
    {
        final long[] shifted = new long[sequences.length];
        for (int m = 0; m < sequences.length; m++)
        {
            shifted[m] = (sequences[m] + 0xFFFF_FFC0L) & 0xFFFF_FFFFL;
        }
        return shifted;
    }

    @Test
    void shouldCountNoLossWhenRecordSequenceWraps()
    {
        stream(nearWrap(POST_FLOW_SEQ), -1);

        assertEquals(0, state.sequenceGaps());
        assertEquals(0, state.sequenceResets());
        assertEquals(ExporterState.POST_FLOW, state.sequenceConventions());
    }

    @Test
    void shouldCountRecordsOfLostMessageWhenSequenceWrapsAcrossLoss()
    {
        stream(nearWrap(POST_FLOW_SEQ), 4);

        assertEquals(1, state.sequenceGaps());
        assertEquals(10, state.sequenceLost());
    }

    @Test
    void shouldCountLateWhenMessageArrivesAfterItsSuccessor()
    {
        stream(POST_FLOW_SEQ, 4);
        message(POST_FLOW_SEQ[4], COUNTS[4][0], COUNTS[4][1]);

        assertEquals(1, state.sequenceGaps());
        assertEquals(10, state.sequenceLost());
        assertEquals(1, state.sequenceLate());
    }

    @Test
    void shouldCountResetAndKeepConventionWhenExporterRestarts()
    {
        stream(POST_FLOW_SEQ, -1);
        message(3_000_000_000L, 8, 8);
        message(3_000_000_000L + 2, 2, 2);

        assertEquals(0, state.sequenceLost());
        assertEquals(1, state.sequenceResets());
        assertEquals(ExporterState.POST_FLOW, state.sequenceConventions());
    }

    @Test
    void shouldNotJudgeStepWhenMessageCouldNotBeCounted()
    {
        stream(PRE_ALL_SEQ, -1);
        state.recordSequence(84 + 5, 0, 0, false, ExporterState.IPFIX_MAX_GAP, ExporterState.IPFIX_REORDER_WINDOW);
        message(200, 3, 3);
        message(203, 1, 1);

        assertEquals(0, state.sequenceGaps());
    }
}
