package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecodeError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest
{
    private static final int VARIABLE = InformationElementDescriptor.VARIABLE_LENGTH;

    /** Definition triples (element id, length, enterprise). */
    private static int[] definition(final int... triples)
    {
        return triples;
    }

    /** {@code zeroLength} fields of length 0 then {@code sized} fields of {@code length} bytes. */
    private static int[] fields(final int zeroLength, final int sized, final int length)
    {
        final int[] def = new int[(zeroLength + sized) * Template.DEFINITION_STRIDE];
        for (int i = 0; i < zeroLength + sized; i++)
        {
            def[i * Template.DEFINITION_STRIDE] = 1;
            def[i * Template.DEFINITION_STRIDE + 1] = i < zeroLength ? 0 : length;
        }
        return def;
    }

    @Test
    void shouldRefuseTooManyFieldsWhenTemplateHasMoreThan512()
    {
        assertNull(Template.validate(fields(0, 512, 4), 512, true));
        assertEquals(DecodeError.TOO_MANY_FIELDS, Template.validate(fields(0, 513, 4), 513, true));
    }

    @Test
    void shouldRefuseTooManyFieldsWhenTemplateIsTheAmplificationOne()
    {
        assertEquals(DecodeError.TOO_MANY_FIELDS, Template.validate(fields(16_359, 1, 1), 16_360, true));
    }

    @Test
    void shouldRefuseSparseTemplateWhenMoreThanTwoFieldsPerRecordByte()
    {
        assertNull(Template.validate(fields(1, 1, 1), 2, true));
        assertEquals(DecodeError.SPARSE_TEMPLATE, Template.validate(fields(2, 1, 1), 3, true));
        assertEquals(DecodeError.SPARSE_TEMPLATE, Template.validate(fields(511, 1, 1), 512, true));
        assertNull(Template.validate(fields(256, 128, 2), 384, true));
    }

    @Test
    void shouldAcceptZeroLengthFieldsWhenRecordStillCarriesBytesLikeJuniperSrxOptions()
    {
        assertNull(Template.validate(definition(1, 0, 0, 2, 4, 0, 3, 1, 0), 3, true));
    }

    @Test
    void shouldCountVariableLengthFieldAsOneByteWhenJudgingSparseness()
    {
        assertNull(Template.validate(definition(82, VARIABLE, 0, 1, 0, 0), 2, true));
        assertEquals(DecodeError.SPARSE_TEMPLATE,
            Template.validate(definition(82, VARIABLE, 0, 1, 0, 0, 2, 0, 0), 3, true));
    }

    @Test
    void shouldRefuseTemplateWithNoField()
    {
        assertEquals(DecodeError.BAD_TEMPLATE, Template.validate(new int[0], 0, true));
    }

    @Test
    void shouldRefuseTemplateWhoseRecordLengthIsZero()
    {
        assertEquals(DecodeError.BAD_TEMPLATE, Template.validate(definition(1, 0, 0, 2, 0, 0), 2, true));
    }

    @Test
    void shouldRefuseTemplateWhoseRecordCannotFitAMessage()
    {
        assertEquals(DecodeError.BAD_TEMPLATE, Template.validate(definition(1, 40_000, 0, 2, 40_000, 0), 2, true));
    }

    @Test
    void shouldCountVariableLengthFieldAsOneByteMinimum()
    {
        final Template t = Template.compile(256, Template.KIND_DATA, 0, definition(82, VARIABLE, 0, 7, 2, 0), 2, 0);

        assertNull(Template.validate(definition(82, VARIABLE, 0), 1, true));
        assertEquals(3, t.minRecordLength());
        assertTrue(t.hasVariableLength());
    }

    @Test
    void shouldTreat65535AsPlainLengthWhenVariableLengthNotAllowed()
    {
        assertEquals(DecodeError.BAD_TEMPLATE, Template.validate(definition(82, VARIABLE, 0), 1, false));
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
