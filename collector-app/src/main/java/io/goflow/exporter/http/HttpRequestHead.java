package io.goflow.exporter.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed HTTP/1.x request head (RFC 9112 sections 2-3 and 5), only as much as the endpoint needs:
 * <pre>
 *   request-line = method SP request-target SP HTTP-version CRLF
 *   field-line   = field-name ":" OWS field-value OWS CRLF
 *   head         = request-line *( field-line ) CRLF
 * </pre>
 * Lines may end in a bare LF (section 2.2). Parsing is strict where leniency would be a smuggling
 * or confusion risk: whitespace before a colon, obsolete line folding, a request-line that is not
 * exactly three tokens, a control byte, two {@code Host} or {@code Content-Length} lines or a
 * missing {@code Host} on HTTP/1.1 are all {@link #BAD_REQUEST}. A request that declares a body
 * ({@code Content-Length} above 0 or any {@code Transfer-Encoding}) parses, with
 * {@link #hasBody()} true: the server never reads bodies and closes such a connection after its
 * answer.
 *
 * <p>Not thread-safe; a connection's selector thread owns it.
 */
final class HttpRequestHead
{
    /** {@link #parse} result: a complete, valid head. */
    static final int COMPLETE = 0;
    /** {@link #parse} result: no blank line yet; read more. */
    static final int INCOMPLETE = 1;
    /** {@link #parse} result: malformed; answer 400 and close. */
    static final int BAD_REQUEST = 2;
    /** {@link #parse} result: an HTTP version other than 1.0 and 1.1; answer 505 and close. */
    static final int BAD_VERSION = 3;

    private String method;
    private String path;
    private boolean http11;
    private boolean closeRequested;
    private boolean hasBody;
    private final List<String> acceptEncoding = new ArrayList<>(2);
    private String authorization;
    private int headLength;

    /**
     * Looks for a complete head at the start of {@code buffer[0, length)} and parses it.
     *
     * @return {@link #COMPLETE} (then {@link #headLength()} bytes are the head),
     * {@link #INCOMPLETE}, {@link #BAD_REQUEST} or {@link #BAD_VERSION}.
     */
    int parse(final byte[] buffer, final int length)
    {
        final int end = headEnd(buffer, 0, length);
        if (end < 0)
        {
            return INCOMPLETE;
        }
        reset();
        headLength = end;
        final List<int[]> lines = lines(buffer, end);
        if (lines.isEmpty())
        {
            return BAD_REQUEST;
        }
        final int requestLine = requestLine(text(buffer, lines.get(0)));
        if (requestLine != COMPLETE)
        {
            return requestLine;
        }
        int hosts = 0;
        int contentLengths = 0;
        int authorizations = 0;
        for (int i = 1; i < lines.size(); i++)
        {
            final String line = text(buffer, lines.get(i));
            final int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, 0, colon))
            {
                return BAD_REQUEST;
            }
            final String name = line.substring(0, colon);
            final String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("host"))
            {
                hosts++;
            }
            else if (name.equalsIgnoreCase("accept-encoding"))
            {
                acceptEncoding.add(value);
            }
            else if (name.equalsIgnoreCase("authorization"))
            {
                authorizations++;
                authorization = value;
            }
            else if (name.equalsIgnoreCase("connection"))
            {
                connection(value);
            }
            else if (name.equalsIgnoreCase("content-length"))
            {
                contentLengths++;
                if (!isDigits(value))
                {
                    return BAD_REQUEST;
                }
                hasBody |= !value.chars().allMatch(c -> c == '0');
            }
            else if (name.equalsIgnoreCase("transfer-encoding"))
            {
                hasBody = true;
            }
        }
        if (hosts > 1 || (http11 && hosts == 0) || contentLengths > 1 || authorizations > 1)
        {
            return BAD_REQUEST;
        }
        return COMPLETE;
    }

    /**
     * @param from where to start looking: bytes before it were looked at already (a blank line
     *             ending at or after {@code from} is found from {@code from - 2}).
     * @return the index just after the blank line ending the head in {@code buffer[0, length)}, or -1.
     */
    static int headEnd(final byte[] buffer, final int from, final int length)
    {
        for (int i = Math.max(0, from - 2); i < length; i++)
        {
            if (buffer[i] == '\n')
            {
                if (i + 1 < length && buffer[i + 1] == '\n')
                {
                    return i + 2;
                }
                if (i + 2 < length && buffer[i + 1] == '\r' && buffer[i + 2] == '\n')
                {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    String method()
    {
        return method;
    }

    /** @return the request-target's path, before any {@code ?}, not decoded or normalised. */
    String path()
    {
        return path;
    }

    /** @return every {@code Accept-Encoding} field value, in order. */
    /** @return the {@code Authorization} field value, null when absent. */
    String authorization()
    {
        return authorization;
    }

    List<String> acceptEncoding()
    {
        return acceptEncoding;
    }

    /** @return true for HTTP/1.1, false for HTTP/1.0. */
    boolean http11()
    {
        return http11;
    }

    /**
     * @return whether the connection may carry another request after the answer (RFC 9112 section
     * 9.3): HTTP/1.1 unless {@code Connection: close}, never after a request with a body, never for
     * HTTP/1.0 (its {@code keep-alive} option is not offered).
     */
    boolean keepAlive()
    {
        return !hasBody && !closeRequested && http11;
    }

    boolean hasBody()
    {
        return hasBody;
    }

    /** @return bytes of the head including its blank line (valid after {@link #COMPLETE}). */
    int headLength()
    {
        return headLength;
    }

    private void reset()
    {
        method = null;
        path = null;
        http11 = false;
        closeRequested = false;
        hasBody = false;
        acceptEncoding.clear();
        authorization = null;
    }

    private int requestLine(final String line)
    {
        final int sp1 = line.indexOf(' ');
        final int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0 || !isToken(line, 0, sp1) || sp2 == sp1 + 1)
        {
            return BAD_REQUEST;
        }
        final String version = line.substring(sp2 + 1);
        if (!version.startsWith("HTTP/"))
        {
            return BAD_REQUEST;
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0"))
        {
            return BAD_VERSION;
        }
        http11 = version.equals("HTTP/1.1");
        method = line.substring(0, sp1);
        final String target = line.substring(sp1 + 1, sp2);
        path = path(target);
        return path == null ? BAD_REQUEST : COMPLETE;
    }

    /**
     * @return the path of an origin-form ({@code /p?q}) or absolute-form ({@code http://h/p?q})
     * target, {@code *} for the asterisk-form, null when the target is neither.
     */
    private static String path(final String target)
    {
        String rest = target;
        if (!rest.startsWith("/"))
        {
            final int scheme = rest.indexOf("://");
            if (rest.equals("*"))
            {
                return rest;
            }
            final boolean http = scheme == 4 || (scheme == 5 && Character.toLowerCase(rest.charAt(4)) == 's');
            if (!http || !rest.regionMatches(true, 0, "http", 0, 4))
            {
                return null;
            }
            final int slash = rest.indexOf('/', scheme + 3);
            rest = slash < 0 ? "/" : rest.substring(slash);
        }
        final int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private void connection(final String value)
    {
        for (final String option : value.split(","))
        {
            closeRequested |= option.strip().equalsIgnoreCase("close");
        }
    }

    /** @return each line's {start, end} (end excludes CR LF), up to the blank line. */
    private static List<int[]> lines(final byte[] buffer, final int end)
    {
        final List<int[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < end; i++)
        {
            if (buffer[i] == '\n')
            {
                final int lineEnd = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                if (lineEnd == start)
                {
                    break;
                }
                lines.add(new int[]{start, lineEnd});
                start = i + 1;
            }
        }
        return lines;
    }

    /**
     * @return the line as ISO-8859-1 text, or a string with a NUL (which no token or rule accepts)
     * when it holds a control byte other than HTAB or starts with whitespace (obsolete folding).
     */
    private static String text(final byte[] buffer, final int[] line)
    {
        for (int i = line[0]; i < line[1]; i++)
        {
            final int b = buffer[i] & 0xFF;
            if ((b < 0x20 && b != '\t') || b == 0x7F)
            {
                return "\u0000";
            }
        }
        if (buffer[line[0]] == ' ' || buffer[line[0]] == '\t')
        {
            return "\u0000";
        }
        return new String(buffer, line[0], line[1] - line[0], StandardCharsets.ISO_8859_1);
    }

    /** RFC 9110 section 5.6.2: {@code token = 1*tchar}. */
    private static boolean isToken(final String s, final int from, final int to)
    {
        if (to <= from)
        {
            return false;
        }
        for (int i = from; i < to; i++)
        {
            final char c = s.charAt(i);
            final boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar)
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(final String s)
    {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
