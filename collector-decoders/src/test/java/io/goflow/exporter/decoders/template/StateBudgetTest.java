package io.goflow.exporter.decoders.template;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateBudgetTest
{
    @Test
    void shouldRefuseStreamByAddressQuotaBeforeTotal()
    {
        final StateBudget budget = new StateBudget(3, 2, 1 << 20, 1 << 20, 1 << 20);
        assertNull(budget.reserveStream(0, 1));
        assertNull(budget.reserveStream(0, 1));
        assertEquals(StateBudget.Limit.MAX_STREAMS_PER_ADDRESS, budget.reserveStream(0, 1));
        assertNull(budget.reserveStream(0, 2));
        assertEquals(StateBudget.Limit.MAX_EXPORTERS, budget.reserveStream(0, 3));
        budget.releaseStream(0, 1);
        assertNull(budget.reserveStream(0, 3));
        assertEquals(1, budget.streamsOf(0, 1));
        assertEquals(3, budget.streams());
    }

    @Test
    void shouldRefuseTemplateMemoryByAddressThenTotalAndGiveItBack()
    {
        final StateBudget budget = new StateBudget(10, 10, 1000, 600, 0);
        budget.reserveStream(0, 1);
        budget.reserveStream(0, 2);
        assertNull(budget.reserveTemplate(0, 1, 500, 1));
        assertEquals(StateBudget.Limit.TEMPLATE_BYTES_PER_ADDRESS, budget.reserveTemplate(0, 1, 200, 1));
        assertNull(budget.reserveTemplate(0, 2, 500, 1));
        assertEquals(StateBudget.Limit.TEMPLATE_BYTES_TOTAL, budget.reserveTemplate(0, 2, 1, 1));
        budget.releaseTemplate(0, 1, 500, 1);
        assertEquals(0, budget.templateBytesOf(0, 1));
        assertEquals(500, budget.templateBytes());
        assertEquals(1, budget.templates());
    }

    @Test
    void shouldCapHeldBytesOverEveryCaller()
    {
        final StateBudget budget = new StateBudget(10, 10, 0, 0, 100);
        assertTrue(budget.reserveHeld(60));
        assertFalse(budget.reserveHeld(41));
        assertTrue(budget.reserveHeld(40));
        budget.releaseHeld(60);
        assertEquals(40, budget.heldBytes());
    }

    @Test
    void shouldKeepEveryAddressFindableWhileManyComeAndGo()
    {
        final StateBudget budget = new StateBudget(100_000, 4, 1L << 40, 1L << 40, 0);
        for (int a = 0; a < 5000; a++)
        {
            assertNull(budget.reserveStream(a % 7, a));
            assertNull(budget.reserveTemplate(a % 7, a, a, 1));
        }
        for (int a = 0; a < 5000; a += 2)
        {
            budget.releaseTemplate(a % 7, a, a, 1);
            budget.releaseStream(a % 7, a);
        }
        for (int a = 0; a < 5000; a++)
        {
            assertEquals(a % 2, budget.streamsOf(a % 7, a), "address " + a);
            assertEquals(a % 2 == 0 ? 0 : a, budget.templateBytesOf(a % 7, a), "address " + a);
        }
        assertEquals(2500, budget.streams());
    }
}
