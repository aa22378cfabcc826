package io.goflow.exporter.enrich;

/**
 * Read side of one enabled database file: whether it is in use, its build time and its reload
 * counts. Implemented by {@link DatabaseSlot}; any thread (volatile and atomic reads).
 */
public interface DatabaseStats
{
    DatabaseKind kind();

    /** @return true when a database is loaded and in use. */
    boolean loaded();

    /** @return build time from the database metadata, epoch seconds; 0 when none loaded. */
    long buildEpochSeconds();

    /** @return databases opened after start (replacements and late arrivals). */
    long reloads();

    /** @return replacement files that could not be opened. */
    long reloadErrors();
}
