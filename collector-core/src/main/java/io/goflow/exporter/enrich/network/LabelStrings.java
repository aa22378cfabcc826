package io.goflow.exporter.enrich.network;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Label values that come from configuration or the wire (network names, attribute values,
 * interface names) interned to stable ids, so a series key holds a 4-byte id and a scrape turns it
 * back into text. Ids are never reused or reassigned, so a key packed before a networks reload
 * still renders the text it was counted under.
 *
 * <p>Text is stored {@link #sanitize sanitized}: a quote, backslash or control character becomes
 * {@code _}, so a label value never needs escaping in the exposition.
 *
 * <h2>Bounds</h2>
 * At most {@code maxStrings} strings of at most {@code maxChars} characters in total; past either
 * bound {@link #intern} returns {@link #NONE} (the caller shows an empty label and counts it).
 *
 * <h2>Threads</h2>
 * {@link #intern} is synchronized (config load, networks reload and the aggregation thread for
 * learned interface names, none of them per record). {@link #get} is lock-free from any thread: a
 * string is published through an {@link AtomicReferenceArray} before its id is returned.
 */
public final class LabelStrings
{
    /** Returned by {@link #intern} when a bound is reached. */
    public static final int NONE = -1;
    /** Default bounds: one million strings, 32 million characters. */
    public static final int MAX_STRINGS_DEFAULT = 1 << 20;
    public static final long MAX_CHARS_DEFAULT = 32L << 20;

    private final int maxStrings;
    private final long maxChars;
    private final AtomicReferenceArray<String> byId;
    private final Map<String, Integer> ids = new HashMap<>();
    private long chars;
    private int refused;

    public LabelStrings()
    {
        this(MAX_STRINGS_DEFAULT, MAX_CHARS_DEFAULT);
    }

    public LabelStrings(final int maxStrings, final long maxChars)
    {
        this.maxStrings = maxStrings;
        this.maxChars = maxChars;
        this.byId = new AtomicReferenceArray<>(maxStrings);
    }

    /** @return the id of {@code text}, a new one the first time, or {@link #NONE} past the bounds. */
    public synchronized int intern(final String raw)
    {
        final String text = sanitize(raw);
        final Integer id = ids.get(text);
        if (id != null)
        {
            return id;
        }
        if (ids.size() >= maxStrings || chars + text.length() > maxChars)
        {
            refused++;
            return NONE;
        }
        final int next = ids.size();
        byId.set(next, text);
        ids.put(text, next);
        chars += text.length();
        return next;
    }

    /** @return {@code text} with every quote, backslash and control character replaced by {@code _}. */
    public static String sanitize(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7F)
            {
                final char[] chars = text.toCharArray();
                for (int j = i; j < chars.length; j++)
                {
                    final char d = chars[j];
                    if (d < 0x20 || d == '"' || d == '\\' || d == 0x7F)
                    {
                        chars[j] = '_';
                    }
                }
                return new String(chars);
            }
        }
        return text;
    }

    /** @return the text of an id returned by {@link #intern}; any thread. */
    public String get(final int id)
    {
        return byId.get(id);
    }

    /** @return strings held. */
    public synchronized int size()
    {
        return ids.size();
    }

    /** @return strings refused because a bound was reached. */
    public synchronized int refused()
    {
        return refused;
    }

    /** @return an estimate of the heap held: the strings plus map and id array overhead. */
    public synchronized long memoryBytes()
    {
        return 2 * chars + 96L * ids.size() + 4L * maxStrings;
    }
}
