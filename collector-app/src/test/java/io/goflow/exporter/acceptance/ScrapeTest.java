package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exposition parser the acceptance suite relies on, on hand-written text format 0.0.4. */
class ScrapeTest
{
    private static final String TEXT = String.join("\n",
        "# HELP flow_bytes_total Bytes.",
        "# TYPE flow_bytes_total counter",
        "flow_bytes_total{src_addr=\"2001:db8::1\",protocol=\"6\",org=\"A \\\"quoted\\\" \\\\ name\"} 1.5e3",
        "flow_bytes_total{src_addr=\"192.0.2.1\",protocol=\"17\"} 20",
        "flow_worker_queue_length 3 1700000000000",
        "");

    @Test
    void shouldSumSamplesWhenLabelsDiffer()
    {
        assertEquals(1520.0, Scrape.parse(TEXT).sum("flow_bytes_total"));
    }

    @Test
    void shouldUnescapeLabelValuesWhenQuotedAndBackslashed()
    {
        assertEquals("A \"quoted\" \\ name", Scrape.parse(TEXT).samples("flow_bytes_total").get(0).label("org"));
    }

    @Test
    void shouldIgnoreTimestampWhenSampleHasOne()
    {
        assertEquals(3.0, Scrape.parse(TEXT).sum("flow_worker_queue_length"));
    }

    @Test
    void shouldKeepOnlyNamedSamplesWhenFiltered()
    {
        assertEquals(0.0, Scrape.parse(TEXT, java.util.Set.of("flow_worker_queue_length")).sum("flow_bytes_total"));
    }

    @Test
    void shouldGroupByLabelsWhenAsked()
    {
        assertEquals(Map.of("6", 1500.0, "17", 20.0), Scrape.parse(TEXT).sumBy("flow_bytes_total", s -> true, "protocol"));
    }
}
