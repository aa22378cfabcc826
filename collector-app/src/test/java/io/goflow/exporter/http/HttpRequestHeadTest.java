package io.goflow.exporter.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRequestHeadTest
{
    private final HttpRequestHead head = new HttpRequestHead();

    private int parse(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return head.parse(bytes, bytes.length);
    }

    @Test
    void shouldParsePrometheusScrapeHead()
    {
        final String text = "GET /metrics?name[]=up HTTP/1.1\r\nHost: 10.0.0.1:8080\r\nUser-Agent: Prometheus/2.53.0\r\n" +
            "Accept: application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1\r\n" +
            "Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n";
        assertEquals(HttpRequestHead.COMPLETE, parse(text));
        assertEquals("GET", head.method());
        assertEquals("/metrics", head.path());
        assertEquals(List.of("gzip"), head.acceptEncoding());
        assertTrue(head.http11());
        assertTrue(head.keepAlive());
        assertFalse(head.hasBody());
        assertEquals(text.length(), head.headLength());
    }

    @Test
    void shouldWaitForTheBlankLine()
    {
        assertEquals(HttpRequestHead.INCOMPLETE, parse("GET / HTTP/1.1\r\nHost: x\r\n"));
        assertEquals(HttpRequestHead.INCOMPLETE, parse("GET / HTTP/1.1\r\nHost: x\r\n\r"));
    }

    @Test
    void shouldAcceptBareLineFeeds()
    {
        assertEquals(HttpRequestHead.COMPLETE, parse("GET /healthz HTTP/1.1\nHost: x\n\n"));
        assertEquals("/healthz", head.path());
    }

    @Test
    void shouldFindHeadEndWhenScanResumesMidTerminator()
    {
        final byte[] b = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(-1, HttpRequestHead.headEnd(b, 0, b.length - 1));
        assertEquals(b.length, HttpRequestHead.headEnd(b, b.length - 1, b.length));
    }

    @Test
    void shouldTakePathOfAbsoluteFormWithoutQuery()
    {
        assertEquals(HttpRequestHead.COMPLETE, parse("GET http://host:8080/metrics?x=1 HTTP/1.1\r\nHost: host\r\n\r\n"));
        assertEquals("/metrics", head.path());
        assertEquals(HttpRequestHead.COMPLETE, parse("GET HTTPS://host HTTP/1.1\r\nHost: host\r\n\r\n"));
        assertEquals("/", head.path());
    }

    @Test
    void shouldKeepTraversalSegmentsUnnormalised()
    {
        assertEquals(HttpRequestHead.COMPLETE, parse("GET /healthz/../metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals("/healthz/../metrics", head.path());
    }

    @Test
    void shouldRejectMalformedHeads()
    {
        for (final String bad : List.of(
            "GET /metrics HTTP/1.1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET  /metrics HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /metrics HTTP/1.1 x\r\nHost: a\r\n\r\n",
            "GET /metrics\r\nHost: a\r\n\r\n",
            "GET /metrics FTP/1.1\r\nHost: a\r\n\r\n",
            "G(T /metrics HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET metrics HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: a\r\nX: \u0001\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nNoColon\r\n\r\n"))
        {
            assertEquals(HttpRequestHead.BAD_REQUEST, parse(bad), bad);
        }
    }

    @Test
    void shouldRejectOtherVersions()
    {
        assertEquals(HttpRequestHead.BAD_VERSION, parse("GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
        assertEquals(HttpRequestHead.BAD_VERSION, parse("GET / HTTP/0.9\r\n\r\n"));
    }

    @Test
    void shouldAllowHttp10WithoutHostAndNeverKeepItAlive()
    {
        assertEquals(HttpRequestHead.COMPLETE, parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        assertFalse(head.http11());
        assertFalse(head.keepAlive());
    }

    @Test
    void shouldCloseAfterConnectionCloseOrABody()
    {
        assertEquals(HttpRequestHead.COMPLETE, parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: TE, close\r\n\r\n"));
        assertFalse(head.keepAlive());
        assertEquals(HttpRequestHead.COMPLETE, parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"));
        assertTrue(head.hasBody());
        assertFalse(head.keepAlive());
        assertEquals(HttpRequestHead.COMPLETE, parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertTrue(head.hasBody());
        assertEquals(HttpRequestHead.COMPLETE, parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 000\r\n\r\n"));
        assertFalse(head.hasBody());
        assertTrue(head.keepAlive());
    }

    @Test
    void shouldCollectEveryAcceptEncodingLine()
    {
        assertEquals(HttpRequestHead.COMPLETE,
            parse("GET / HTTP/1.1\r\nHost: a\r\naccept-encoding: br\r\nAccept-Encoding:  gzip;q=0 \r\n\r\n"));
        assertEquals(List.of("br", "gzip;q=0"), head.acceptEncoding());
    }
}
