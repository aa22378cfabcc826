package io.goflow.exporter.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, bytes exactly as given (no client-side path
 * normalisation, any method), read until the server closes ({@code Connection: close}).
 */
final class RawHttp
{
    final int status;
    /** Header names lower-cased; the last line of a name wins. */
    final Map<String, String> headers;
    final byte[] body;

    private RawHttp(final int status, final Map<String, String> headers, final byte[] body)
    {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** Sends {@code METHOD target HTTP/1.1} with Host, {@code Connection: close} and {@code extraHeaders} (CRLF-terminated lines). */
    static RawHttp exchange(final int port, final String method, final String target, final String extraHeaders)
        throws IOException
    {
        return send(port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
            extraHeaders + "\r\n");
    }

    /** Sends {@code request} as is and parses the answer (chunked bodies decoded). */
    static RawHttp send(final int port, final String request) throws IOException
    {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return parse(s.getInputStream().readAllBytes());
        }
    }

    static RawHttp parse(final byte[] raw)
    {
        final String text = new String(raw, StandardCharsets.ISO_8859_1);
        final int end = text.indexOf("\r\n\r\n");
        if (end < 0)
        {
            throw new AssertionError("no complete response head in " + raw.length + " bytes: " + text);
        }
        final String[] lines = text.substring(0, end).split("\r\n");
        final int status = Integer.parseInt(lines[0].split(" ")[1]);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding")))
        {
            body = dechunk(body);
        }
        return new RawHttp(status, headers, body);
    }

    private static byte[] dechunk(final byte[] chunked)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true)
        {
            int lineEnd = at;
            while (chunked[lineEnd] != '\r')
            {
                lineEnd++;
            }
            final int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(), 16);
            at = lineEnd + 2;
            if (size == 0)
            {
                return out.toByteArray();
            }
            out.write(chunked, at, size);
            at += size + 2;
        }
    }

    String text()
    {
        return new String(body, StandardCharsets.UTF_8);
    }
}
