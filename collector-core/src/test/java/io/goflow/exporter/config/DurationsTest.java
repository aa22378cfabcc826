package io.goflow.exporter.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest
{
    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
        "500ms, 500000000",
        "90s, 90000000000",
        "1m, 60000000000",
        "1h, 3600000000000",
        "30d, 2592000000000000",
        "1h30m, 5400000000000",
        "0s, 0"})
    void shouldParseDurationWhenTextIsWellFormed(final String text, final long ns)
    {
        assertEquals(ns, Durations.parseNs(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "60", "1 m", "1min", "-1s", "1.5h", "m", "1M", "99999999999999d"})
    void shouldRejectDurationWhenTextIsMalformed(final String text)
    {
        assertEquals(Durations.INVALID, Durations.parseNs(text));
    }

    @ParameterizedTest(name = "{0} ns = {1}")
    @CsvSource({"500000000, 500ms", "90000000000, 90s", "300000000000, 5m", "3600000000000, 1h", "86400000000000, 1d"})
    void shouldFormatDurationInLargestExactUnit(final long ns, final String text)
    {
        assertEquals(text, Durations.format(ns));
    }
}
