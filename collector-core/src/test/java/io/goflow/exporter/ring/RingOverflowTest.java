package io.goflow.exporter.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RingOverflowTest
{
    private static final int UNIT = RingOverflow.UNIT_BYTES;

    @Test
    void shouldGiveEachDatagramItsOwnRunOfUnits()
    {
        final RingOverflow area = new RingOverflow(8L * UNIT);
        assertEquals(0, area.claim(9_000));
        assertEquals(1, area.claim(65_507), "4 units");
        assertEquals(5, area.claim(2 * UNIT));
        assertEquals(7, area.claim(UNIT + 1 - 1));
        assertEquals(-1, area.claim(1));
        assertEquals(8, area.unitsInUse());
    }

    @Test
    void shouldNeedConsecutiveFreeUnitsAndReuseThemOnceReleased()
    {
        final RingOverflow area = new RingOverflow(4L * UNIT);
        final int a = area.claim(1);
        final int b = area.claim(1);
        final int c = area.claim(1);
        area.claim(1);
        area.release(a, 1);
        area.release(c, 1);
        assertEquals(-1, area.claim(2 * UNIT), "two free units, not consecutive");
        area.release(b, 1);
        assertEquals(0, area.claim(3 * UNIT));
        assertEquals(4, area.unitsInUse());
    }

    @Test
    void shouldUseUnitsOfEveryWordButNoneBeyondTheArea()
    {
        final RingOverflow area = new RingOverflow(70L * UNIT);
        for (int i = 0; i < 70; i++)
        {
            assertEquals(i, area.claim(1));
        }
        assertEquals(-1, area.claim(1));
        area.release(66, 1);
        assertEquals(66, area.claim(1));
        assertEquals(70, area.unitsInUse());
    }

    @Test
    void shouldRoundTheAreaDownToWholeUnits()
    {
        assertEquals(2, new RingOverflow(3L * UNIT - 1).units());
        assertEquals(-1, new RingOverflow(0).claim(1));
    }
}
