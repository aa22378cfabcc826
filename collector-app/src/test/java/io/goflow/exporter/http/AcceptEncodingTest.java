package io.goflow.exporter.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.goflow.exporter.http.AcceptEncoding.Coding.GZIP;
import static io.goflow.exporter.http.AcceptEncoding.Coding.IDENTITY;
import static io.goflow.exporter.http.AcceptEncoding.Coding.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cases from RFC 9110 section 12.5.3 and its examples ("compress, gzip", "", "*", "compress;q=0.5, gzip;q=1.0", "gzip;q=1.0, identity; q=0.5, *;q=0"). */
class AcceptEncodingTest
{
    private static AcceptEncoding.Coding negotiate(final String... values)
    {
        return AcceptEncoding.negotiate(List.of(values));
    }

    @Test
    void shouldAnswerIdentityWithoutHeader()
    {
        assertEquals(IDENTITY, AcceptEncoding.negotiate(null));
        assertEquals(IDENTITY, AcceptEncoding.negotiate(List.of()));
    }

    @Test
    void shouldAnswerIdentityWhenFieldValueIsEmpty()
    {
        assertEquals(IDENTITY, negotiate(""));
    }

    @Test
    void shouldGzipWhenListed()
    {
        assertEquals(GZIP, negotiate("gzip"));
        assertEquals(GZIP, negotiate("compress, gzip"));
        assertEquals(GZIP, negotiate("GZip"));
        assertEquals(GZIP, negotiate("x-gzip"));
        assertEquals(GZIP, negotiate("deflate", "gzip"));
    }

    @Test
    void shouldGzipWithRfcExampleWeights()
    {
        assertEquals(GZIP, negotiate("compress;q=0.5, gzip;q=1.0"));
        assertEquals(GZIP, negotiate("gzip;q=1.0, identity; q=0.5, *;q=0"));
    }

    @Test
    void shouldNotGzipWhenGzipHasZeroWeight()
    {
        assertEquals(IDENTITY, negotiate("gzip;q=0"));
        assertEquals(IDENTITY, negotiate("gzip;q=0.000"));
        assertEquals(IDENTITY, negotiate("gzip; Q=0"));
        assertEquals(IDENTITY, negotiate("*, gzip;q=0"));
    }

    @Test
    void shouldGzipThroughWildcard()
    {
        assertEquals(GZIP, negotiate("*"));
        assertEquals(GZIP, negotiate("br, *;q=0.1"));
    }

    @Test
    void shouldPreferIdentityWhenItWeighsMore()
    {
        assertEquals(IDENTITY, negotiate("gzip;q=0.5, identity"));
        assertEquals(GZIP, negotiate("gzip;q=0.5, identity;q=0.5"));
    }

    @Test
    void shouldAnswerNoneWhenIdentityAndGzipAreExcluded()
    {
        assertEquals(NONE, negotiate("*;q=0"));
        assertEquals(NONE, negotiate("identity;q=0"));
        assertEquals(NONE, negotiate("br, identity;q=0"));
        assertEquals(IDENTITY, negotiate("*;q=0, identity"));
        assertEquals(GZIP, negotiate("*;q=0, gzip"));
    }

    @Test
    void shouldIgnoreElementsWithBadWeights()
    {
        assertEquals(IDENTITY, negotiate("gzip;q=2"));
        assertEquals(IDENTITY, negotiate("gzip;q=1.5"));
        assertEquals(IDENTITY, negotiate("gzip;q=0.0001"));
        assertEquals(IDENTITY, negotiate("gzip;q=abc"));
        assertEquals(IDENTITY, negotiate("gzip;q="));
        assertEquals(IDENTITY, negotiate("gzip;"));
        assertEquals(IDENTITY, negotiate(";q=1, ,"));
    }

    @Test
    void shouldSkipOtherParametersBeforeTheWeight()
    {
        assertEquals(IDENTITY, negotiate("gzip;level=9;q=0"));
        assertEquals(GZIP, negotiate("gzip;level=9"));
    }

    @Test
    void shouldReadQvaluesInThousandths()
    {
        assertEquals(0, AcceptEncoding.qvalue("0"));
        assertEquals(0, AcceptEncoding.qvalue("0."));
        assertEquals(1, AcceptEncoding.qvalue("0.001"));
        assertEquals(500, AcceptEncoding.qvalue("0.5"));
        assertEquals(1000, AcceptEncoding.qvalue("1"));
        assertEquals(1000, AcceptEncoding.qvalue("1.000"));
        assertEquals(-1, AcceptEncoding.qvalue("1.001"));
        assertEquals(-1, AcceptEncoding.qvalue(".5"));
        assertEquals(-1, AcceptEncoding.qvalue("0.5x"));
    }
}
