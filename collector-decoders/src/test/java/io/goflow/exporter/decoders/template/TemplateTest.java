package io.goflow.exporter.decoders.template;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest
{
    private static final int VARIABLE = InformationElementDescriptor.VARIABLE_LENGTH;

    /** Definition triples (element id, length, enterprise). */
    private static int[] definition(final int... triples)
    {
        return triples;
    }

    @Test
    void shouldRefuseTemplateWithNoField()
    {
        assertFalse(Template.isValid(new int[0], 0, true));
    }

    @Test
    void shouldRefuseTemplateWhoseRecordLengthIsZero()
    {
        assertFalse(Template.isValid(definition(1, 0, 0, 2, 0, 0), 2, true));
    }

    @Test
    void shouldRefuseTemplateWhoseRecordCannotFitAMessage()
    {
        assertFalse(Template.isValid(definition(1, 40_000, 0, 2, 40_000, 0), 2, true));
    }

    @Test
    void shouldCountVariableLengthFieldAsOneByteMinimum()
    {
        final Template t = Template.compile(256, Template.KIND_DATA, 0, definition(82, VARIABLE, 0, 7, 2, 0), 2, 0);

        assertTrue(Template.isValid(definition(82, VARIABLE, 0), 1, true));
        assertEquals(3, t.minRecordLength());
        assertTrue(t.hasVariableLength());
    }

    @Test
    void shouldTreat65535AsPlainLengthWhenVariableLengthNotAllowed()
    {
        assertFalse(Template.isValid(definition(82, VARIABLE, 0), 1, false));
    }

    @Test
    void shouldMarkReverseWhenTemplateHasRfc5103Fields()
    {
        final Template t = Template.compile(256, Template.KIND_DATA, 0, definition(1, 8, 29305), 1, 0);

        assertTrue(t.hasReverse());
    }

    @Test
    void shouldNotMarkReverseWhenEnterpriseIsAnotherVendor()
    {
        final Template t = Template.compile(256, Template.KIND_DATA, 0, definition(1, 8, 9), 1, 0);

        assertFalse(t.hasReverse());
    }

    @Test
    void shouldRecogniseSameDefinitionOnlyWhenEveryTripleMatches()
    {
        final int[] def = definition(8, 4, 0, 12, 4, 0);
        final Template t = Template.compile(256, Template.KIND_DATA, 0, def, 2, 0);

        assertTrue(t.sameDefinition(Template.KIND_DATA, 0, definition(8, 4, 0, 12, 4, 0), 2));
        assertFalse(t.sameDefinition(Template.KIND_DATA, 0, definition(8, 4, 0, 12, 2, 0), 2));
        assertFalse(t.sameDefinition(Template.KIND_OPTIONS, 0, def, 2));
    }
}
