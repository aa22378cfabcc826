package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.DecodeError;
import io.goflow.exporter.decoders.FlowType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ExporterStateTest
{
    private static final int FIELDS = ExporterState.MAX_TEMPLATE_FIELDS / 4;

    private final ExporterState state = new ExporterState(FlowType.IPFIX, 0, 1, -1, 0, 0, 0, 0);
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
        state.withdrawTemplate(257);

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
}
