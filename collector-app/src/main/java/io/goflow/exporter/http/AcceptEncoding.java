package io.goflow.exporter.http;

import java.util.List;

/**
 * Proactive negotiation of the response's content coding from {@code Accept-Encoding}
 * (RFC 9110 section 12.5.3) between the two codings the exposition can have, {@code gzip} and
 * {@code identity}:
 * <pre>
 *   Accept-Encoding = #( codings [ weight ] )
 *   codings         = content-coding / "identity" / "*"
 *   weight          = OWS ";" OWS "q=" qvalue
 *   qvalue          = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
 * </pre>
 * A coding's weight is its own entry's, else the {@code *} entry's, else 0 for gzip and 1 for
 * identity (acceptable unless excluded by {@code identity;q=0} or by {@code *;q=0} without an
 * identity entry). {@code x-gzip} is {@code gzip} (section 8.4.1.3). gzip wins when its weight is
 * positive and not below identity's; without any {@code Accept-Encoding} the response is identity.
 * An element that does not parse (bad qvalue, empty coding) is ignored; its other parameters are
 * ignored. The first entry for a coding counts.
 */
public final class AcceptEncoding
{
    /** The chosen coding. */
    public enum Coding
    {
        GZIP,
        IDENTITY,
        /** Neither is acceptable: answer 406. */
        NONE
    }

    private static final int NOT_LISTED = -1;
    /** Weights are in thousandths: qvalue has at most three fraction digits. */
    private static final int FULL_WEIGHT = 1000;

    private AcceptEncoding()
    {
    }

    /**
     * @param values every {@code Accept-Encoding} field line of the request (one combined list);
     *               null or empty when the request has none.
     */
    public static Coding negotiate(final List<String> values)
    {
        if (values == null || values.isEmpty())
        {
            return Coding.IDENTITY;
        }
        int gzip = NOT_LISTED;
        int identity = NOT_LISTED;
        int any = NOT_LISTED;
        for (final String value : values)
        {
            for (final String element : value.split(",", -1))
            {
                final int semicolon = element.indexOf(';');
                final String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).trim();
                if (coding.isEmpty())
                {
                    continue;
                }
                final int weight = semicolon < 0 ? FULL_WEIGHT : weight(element.substring(semicolon + 1));
                if (weight < 0)
                {
                    continue;
                }
                if (coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip"))
                {
                    gzip = gzip == NOT_LISTED ? weight : gzip;
                }
                else if (coding.equalsIgnoreCase("identity"))
                {
                    identity = identity == NOT_LISTED ? weight : identity;
                }
                else if (coding.equals("*"))
                {
                    any = any == NOT_LISTED ? weight : any;
                }
            }
        }
        final int gzipWeight = gzip != NOT_LISTED ? gzip : Math.max(any, 0);
        final int identityWeight = identity != NOT_LISTED ? identity : (any != NOT_LISTED ? any : FULL_WEIGHT);
        if (gzipWeight > 0 && gzipWeight >= identityWeight)
        {
            return Coding.GZIP;
        }
        return identityWeight > 0 ? Coding.IDENTITY : Coding.NONE;
    }

    /**
     * @param parameters what follows the coding's first {@code ;}: {@code OWS "q=" qvalue} and
     *                   possibly other parameters, each after a {@code ;}.
     * @return the q parameter in thousandths (1000 when absent), or -1 when it does not parse.
     */
    static int weight(final String parameters)
    {
        for (final String parameter : parameters.split(";", -1))
        {
            final String p = parameter.trim();
            final int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("q"))
            {
                if (p.isEmpty() || eq < 0)
                {
                    return -1;
                }
                continue;
            }
            return qvalue(p.substring(eq + 1).trim());
        }
        return FULL_WEIGHT;
    }

    /** @return {@code q} in thousandths, or -1 when it is not an RFC 9110 qvalue. */
    static int qvalue(final String q)
    {
        if (q.isEmpty() || q.length() > 5 || (q.charAt(0) != '0' && q.charAt(0) != '1'))
        {
            return -1;
        }
        int thousandths = (q.charAt(0) - '0') * FULL_WEIGHT;
        if (q.length() > 1)
        {
            if (q.charAt(1) != '.')
            {
                return -1;
            }
            int scale = 100;
            for (int i = 2; i < q.length(); i++)
            {
                final char c = q.charAt(i);
                if (c < '0' || c > '9')
                {
                    return -1;
                }
                thousandths += (c - '0') * scale;
                scale /= 10;
            }
        }
        return thousandths > FULL_WEIGHT ? -1 : thousandths;
    }
}
