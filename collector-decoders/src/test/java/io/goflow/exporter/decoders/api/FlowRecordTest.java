package io.goflow.exporter.decoders.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counter bounds and the saturating arithmetic of {@link FlowRecord}. */
class FlowRecordTest
{
    @Test
    void shouldScaleByRateWhenProductFits()
    {
        final FlowRecord r = new FlowRecord();
        r.bytes = 1500;
        r.packets = 3;
        r.samplingRate = 1000;

        assertEquals(1_500_000, r.scaledBytes());
        assertEquals(3000, r.scaledPackets());
    }

    @Test
    void shouldLeaveCountWhenRateIsZeroOrOne()
    {
        assertEquals(77, FlowRecord.scaled(77, 0));
        assertEquals(77, FlowRecord.scaled(77, 1));
    }

    @Test
    void shouldSaturateScaledValueWhenLargestCounterMeetsLargestRate()
    {
        assertEquals(Long.MAX_VALUE, FlowRecord.scaled(FlowRecord.MAX_COUNTER, FlowRecord.MAX_SAMPLING_RATE));
        assertEquals(Long.MAX_VALUE, FlowRecord.scaled(1L << 39, 1L << 24));
        assertEquals(1L << 62, FlowRecord.scaled(1L << 38, 1L << 24));
    }

    @Test
    void shouldSaturateCounterWhenSumWouldWrapNegative()
    {
        assertEquals(Long.MAX_VALUE, FlowRecord.addCounter(Long.MAX_VALUE - 1, 2));
        assertEquals(Long.MAX_VALUE, FlowRecord.addCounter(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(30, FlowRecord.addCounter(10, 20));
    }

    @Test
    void shouldRefuseCountersWhenAbove2To48ReadUnsigned()
    {
        assertTrue(FlowRecord.plausibleCounters(1L << 48, 1L << 48));
        assertFalse(FlowRecord.plausibleCounters((1L << 48) + 1, 1L << 40));
        assertFalse(FlowRecord.plausibleCounters(0, (1L << 48) + 1));
        assertFalse(FlowRecord.plausibleCounters(-1L, 1));
        assertFalse(FlowRecord.plausibleCounters(1, -1L));
    }

    @Test
    void shouldRefuseCountersWhenBytesPerPacketAbove2To20()
    {
        assertTrue(FlowRecord.plausibleCounters(65_535, 1));
        assertTrue(FlowRecord.plausibleCounters(1L << 20, 1));
        assertFalse(FlowRecord.plausibleCounters((1L << 20) + 1, 1));
        assertTrue(FlowRecord.plausibleCounters(1L << 48, 1L << 28));
        assertFalse(FlowRecord.plausibleCounters(1L << 48, (1L << 28) - 1));
        assertTrue(FlowRecord.plausibleCounters(1_000_000, 0));
    }

    @Test
    void shouldRefuseSamplingRateWhenAbove2To24ReadUnsigned()
    {
        assertTrue(FlowRecord.plausibleSamplingRate(1L << 24));
        assertFalse(FlowRecord.plausibleSamplingRate((1L << 24) + 1));
        assertFalse(FlowRecord.plausibleSamplingRate(0xFFFF_FFFFL));
        assertFalse(FlowRecord.plausibleSamplingRate(-1L));
    }

    /**
     * Every instance field, found by reflection, so a field added to the record and forgotten in
     * {@link FlowRecord#copyFrom} or {@link FlowRecord#reset} fails here.
     */
    @Test
    void shouldCopyAndResetEveryFieldOfTheRecord() throws IllegalAccessException
    {
        final FlowRecord filled = new FlowRecord();
        int distinct = 1;
        final java.util.List<java.lang.reflect.Field> fields = new java.util.ArrayList<>();
        for (final java.lang.reflect.Field f : FlowRecord.class.getDeclaredFields())
        {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()))
            {
                continue;
            }
            f.setAccessible(true);
            fields.add(f);
            final Class<?> t = f.getType();
            if (t == long.class)
            {
                f.setLong(filled, 1000 + distinct++);
            }
            else if (t == int.class)
            {
                f.setInt(filled, 1000 + distinct++);
            }
            else if (t == boolean.class)
            {
                f.setBoolean(filled, !f.getBoolean(new FlowRecord()));
            }
            else if (t.isEnum())
            {
                final Object[] constants = t.getEnumConstants();
                f.set(filled, constants[constants.length - 1] == f.get(new FlowRecord()) ? constants[0] :
                    constants[constants.length - 1]);
            }
            else if (t != byte[].class)
            {
                throw new AssertionError("a field type this test does not know: " + f);
            }
        }
        filled.interfaceNameLength = 3;
        filled.interfaceName[0] = 'g';
        filled.interfaceName[1] = 'e';
        filled.interfaceName[2] = '0';

        final FlowRecord copy = new FlowRecord();
        copy.copyFrom(filled);
        final FlowRecord fresh = new FlowRecord();
        for (final java.lang.reflect.Field f : fields)
        {
            if (f.getType() == byte[].class)
            {
                assertEquals("ge0", new String((byte[])f.get(copy), 0, copy.interfaceNameLength,
                    java.nio.charset.StandardCharsets.US_ASCII), f.getName());
                continue;
            }
            assertEquals(f.get(filled), f.get(copy), "copyFrom misses " + f.getName());
            assertNotEquals(f.get(fresh), f.get(filled), "the test sets " + f.getName() + " to a non-default");
        }
        filled.reset();
        for (final java.lang.reflect.Field f : fields)
        {
            if (f.getType() != byte[].class)
            {
                assertEquals(f.get(fresh), f.get(filled), "reset misses " + f.getName());
            }
        }
    }
}
