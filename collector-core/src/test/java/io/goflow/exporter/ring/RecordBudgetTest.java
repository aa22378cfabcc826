package io.goflow.exporter.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordBudgetTest
{
    @Test
    void shouldRefuseRequestLargerThanRemaining()
    {
        final RecordBudget budget = new RecordBudget(10);
        assertTrue(budget.tryAcquire(8));
        assertFalse(budget.tryAcquire(4));
        assertEquals(2, budget.remaining());
    }

    @Test
    void shouldShareBudgetBetweenSlots()
    {
        final RecordBudget budget = new RecordBudget(12);
        final DatagramEvent a = new DatagramEvent(16, 0, 100, budget);
        final DatagramEvent b = new DatagramEvent(16, 0, 100, budget);
        for (int i = 0; i < 8; i++)
        {
            assertNotNull(a.nextRecord(), "slot a grows 4 then 8");
        }
        for (int i = 0; i < 4; i++)
        {
            assertNotNull(b.nextRecord());
        }
        assertNull(b.nextRecord(), "budget of 12 spent: 8 in a, 4 in b");
        assertFalse(b.atRecordCap());
    }

    @Test
    void shouldKeepGrownRecordsAcrossResetWithoutSpendingBudgetAgain()
    {
        final RecordBudget budget = new RecordBudget(4);
        final DatagramEvent e = new DatagramEvent(16, 0, 100, budget);
        for (int round = 0; round < 3; round++)
        {
            e.reset();
            for (int i = 0; i < 4; i++)
            {
                assertNotNull(e.nextRecord());
            }
        }
        assertEquals(0, budget.remaining());
    }

    @Test
    void shouldStopAtPerDatagramCapBeforeBudget()
    {
        final DatagramEvent e = new DatagramEvent(16, 0, 5, new RecordBudget(1000));
        for (int i = 0; i < 5; i++)
        {
            assertNotNull(e.nextRecord());
        }
        assertNull(e.nextRecord());
        assertTrue(e.atRecordCap());
    }
}
