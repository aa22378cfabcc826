package io.goflow.exporter.enrich;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A shared, size-capped map from a non-zero long id (AS number, geoname id) to what the exposition
 * needs to label it (organisation, city details). First writer wins; entries are never removed,
 * so a series once exported keeps its labels for the life of the process.
 *
 * <p>Written by the shards on their uncached lookup path only (where allocation is allowed) and
 * read at scrape. Thread-safe. The cap is exact: a slot is reserved before an insert.
 *
 * @param <V> the label data.
 */
final class BoundedRegistry<V>
{
    private final Map<Long, V> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final AtomicInteger reserved = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    /** @param capacity maximum ids held; 0 holds nothing. */
    BoundedRegistry(final int capacity)
    {
        this.capacity = Math.max(0, capacity);
    }

    /**
     * Adds {@code id -> value} unless the id is known or the registry is full.
     *
     * @return true when {@code id} is (now) registered, false when refused for lack of room
     *         (counted in {@link #refused()}).
     */
    boolean admit(final long id, final V value)
    {
        final Long key = id;
        if (entries.containsKey(key))
        {
            return true;
        }
        if (reserved.incrementAndGet() > capacity)
        {
            reserved.decrementAndGet();
            refused.incrementAndGet();
            return false;
        }
        if (entries.putIfAbsent(key, value) != null)
        {
            reserved.decrementAndGet();
        }
        return true;
    }

    /** @return the value of {@code id}, or null. */
    V get(final long id)
    {
        return entries.get(id);
    }

    /** @return admissions refused because the registry was full. */
    long refused()
    {
        return refused.get();
    }

    int size()
    {
        return entries.size();
    }

    void forEach(final BiConsumer<Long, V> consumer)
    {
        entries.forEach(consumer);
    }
}
