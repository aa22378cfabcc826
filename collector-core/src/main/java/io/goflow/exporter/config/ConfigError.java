package io.goflow.exporter.config;

/**
 * One configuration problem, rendered as {@code <source>:<line>: <key.path>: <message>}.
 *
 * @param source  file name (or the name given to {@link ConfigLoader#loadString}).
 * @param line    1-based line of the offending key or value; 0 when unknown.
 * @param keyPath dotted key path with list indices, e.g. {@code server.listeners[1].port}.
 * @param message what is wrong and, where possible, what would be right.
 */
public record ConfigError(String source, int line, String keyPath, String message)
{
    @Override
    public String toString()
    {
        return source + ":" + line + ": " + keyPath + ": " + message;
    }
}
