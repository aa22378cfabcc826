package io.goflow.exporter.enrich;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import io.goflow.exporter.log.RateLimitedLogger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One database file and its lifecycle: the reader in use, the file's identity when it was
 * opened, reload and error counts, read through {@link DatabaseStats}.
 *
 * <h2>Threads</h2>
 * {@link #reader()} is read by any shard (a volatile load). {@link #openAtStart} runs once before
 * any shard exists; {@link #poll} runs on the watcher thread only, which owns the signature fields.
 *
 * <h2>Replacement</h2>
 * A file counts as replaced when its identity (inode, size, modification time) differs from the
 * one opened. It is opened only once that new identity has been seen unchanged by two consecutive
 * polls, so a file still being written in place is not opened half-written, and an atomic rename
 * is picked up one poll later. The new reader is published with a volatile store and the old one
 * closed at once: maxmind-db's {@code close()} only drops its buffer reference and the mapping is
 * released by the GC once no in-flight lookup holds it, so a shard mid-lookup on the old reader
 * finishes safely, and one that starts on a closed reader gets {@code ClosedDatabaseException}
 * and retries on the current one.
 *
 * <p>Memory-mapped caveat: a file rewritten <em>in place</em> changes under the old mapping
 * (same inode) while it is written, so lookups in that window may fail (counted as lookup errors)
 * or see the new data early; an atomic rename ({@code mv new.mmdb GeoLite2-City.mmdb}) has no such
 * window and is the recommended way to update. Likewise a garbage file written in place replaces
 * the data under the old reader; the old data can only be kept when the bad file arrived by rename.
 */
final class DatabaseSlot implements DatabaseStats
{
    private static final Logger LOG = LogManager.getLogger(DatabaseSlot.class);
    private static final long AGE_WARNING_INTERVAL_NS = TimeUnit.DAYS.toNanos(1);
    private static final int NODE_CACHE_ENTRIES = 4096;

    /** File identity used to notice a replacement. */
    record FileSignature(Object fileKey, long modifiedNs, long size)
    {
        static FileSignature of(final Path path) throws IOException
        {
            final BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileSignature(a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
        }
    }

    private final DatabaseKind kind;
    private final Path path;
    private final long maxAgeNs;
    private final boolean nodeCache;
    private final RateLimitedLogger reloadErrorLog;
    private final RateLimitedLogger ageLog;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadErrors = new AtomicLong();
    private volatile Reader reader;
    private volatile long buildEpochSeconds;

    private FileSignature openedSignature;
    private FileSignature pendingSignature;
    private FileSignature failedSignature;

    /**
     * @param nodeCache decode through a per-reader {@link CHMCache} of decoded records (records
     *                  are shared by many networks, so this saves most decoding on the uncached
     *                  path).
     */
    DatabaseSlot(final DatabaseKind kind, final Path path, final long maxAgeNs, final boolean nodeCache)
    {
        this.kind = kind;
        this.path = path;
        this.maxAgeNs = maxAgeNs;
        this.nodeCache = nodeCache;
        this.reloadErrorLog = new RateLimitedLogger(LOG, Level.ERROR);
        this.ageLog = new RateLimitedLogger(LOG, Level.WARN, AGE_WARNING_INTERVAL_NS);
    }

    @Override
    public DatabaseKind kind()
    {
        return kind;
    }

    Path path()
    {
        return path;
    }

    /** @return the reader in use, or null when no database is loaded; any thread. */
    Reader reader()
    {
        return reader;
    }

    @Override
    public boolean loaded()
    {
        return reader != null;
    }

    @Override
    public long buildEpochSeconds()
    {
        return buildEpochSeconds;
    }

    @Override
    public long reloads()
    {
        return reloads.get();
    }

    @Override
    public long reloadErrors()
    {
        return reloadErrors.get();
    }

    /**
     * Opens the database at start.
     *
     * @param required when true a missing or unreadable file throws.
     * @throws IllegalStateException naming the config key and path when required and not usable.
     */
    void openAtStart(final boolean required, final long nowNs)
    {
        try
        {
            final FileSignature signature = FileSignature.of(path);
            install(open(), signature, nowNs);
            LOG.info("Loaded {} database {} ({})", kind.label(), path, reader.getMetadata().getDatabaseType());
        }
        catch (final IOException | RuntimeException ex)
        {
            final String reason = reason(ex);
            failedSignature = signatureOrNull();
            if (required)
            {
                throw new IllegalStateException(cannotOpen(reason) + " (enrichment.required is true)", ex);
            }
            LOG.warn("{}: cannot open {} database {}: {}; running without {} enrichment until it appears",
                kind.configKey(), kind.label(), path, reason, kind.label());
        }
    }

    /**
     * Checks the file once; opens and swaps in a replacement that has been stable for two polls.
     * Watcher thread only. Never throws for file problems: they are counted and logged.
     *
     * @return true when a new reader was swapped in.
     */
    boolean poll(final long nowNs)
    {
        warnIfOld(nowNs);
        final FileSignature current;
        try
        {
            current = FileSignature.of(path);
        }
        catch (final IOException ex)
        {
            pendingSignature = null;
            return false;
        }
        if (current.equals(openedSignature) || current.equals(failedSignature))
        {
            pendingSignature = null;
            return false;
        }
        if (!current.equals(pendingSignature))
        {
            pendingSignature = current;
            return false;
        }
        pendingSignature = null;
        try
        {
            final Reader fresh = open();
            final Reader old = reader;
            install(fresh, current, nowNs);
            reloads.incrementAndGet();
            failedSignature = null;
            closeQuietly(old);
            LOG.info("Reloaded {} database {} (built {})", kind.label(), path, fresh.getMetadata().getBuildDate());
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            failedSignature = current;
            reloadErrors.incrementAndGet();
            reloadErrorLog.log(nowNs, "Cannot open replacement " + kind.label() +
                " database {}, keeping the previous one: {}", path, ex.toString());
            return false;
        }
    }

    /** Closes the reader in use; lookups then see no database. */
    void close()
    {
        final Reader old = reader;
        reader = null;
        closeQuietly(old);
    }

    /** @return the file's identity, or null when it cannot be read. */
    private FileSignature signatureOrNull()
    {
        try
        {
            return FileSignature.of(path);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private Reader open() throws IOException
    {
        final Reader r = nodeCache ?
            new Reader(path.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache(NODE_CACHE_ENTRIES)) :
            new Reader(path.toFile(), Reader.FileMode.MEMORY_MAPPED);
        try
        {
            final String type = r.getMetadata().getDatabaseType();
            if (!kind.accepts(type))
            {
                throw new IOException("database type '" + type + "' is not a " +
                    (kind == DatabaseKind.ASN ? "ASN" : "Country or City") + " database");
            }
            probe(r);
            return r;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(r);
            throw ex;
        }
    }

    /**
     * Opens {@code path} as start-up would and closes it again; any thread.
     *
     * @return null when it holds a usable database of {@code kind}, otherwise why not (naming key and path).
     */
    static String problem(final DatabaseKind kind, final Path path)
    {
        final DatabaseSlot probe = new DatabaseSlot(kind, path, Long.MAX_VALUE, false);
        try
        {
            closeQuietly(probe.open());
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            return probe.cannotOpen(probe.reason(ex));
        }
    }

    private String cannotOpen(final String reason)
    {
        return kind.configKey() + ": cannot open " + kind.displayName() + " database " + path + ": " + reason;
    }

    /** @return why the file could not be opened, without repeating its path. */
    private String reason(final Exception ex)
    {
        if (ex instanceof NoSuchFileException || ex instanceof FileNotFoundException)
        {
            return Files.isDirectory(path) ? "is a directory, not a file" :
                Files.exists(path) ? "permission denied" : "file not found";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        return String.valueOf(ex.getMessage());
    }

    /** Walks the tree and decodes a record for a few addresses, so a damaged file fails here. */
    private void probe(final Reader r) throws IOException
    {
        final Class<?> type = kind == DatabaseKind.ASN ? MaxMindRecords.Asn.class : MaxMindRecords.Geo.class;
        r.get(InetAddress.getByAddress(new byte[] {1, 1, 1, 1}), type);
        r.get(InetAddress.getByAddress(new byte[] {81, 2, 69, (byte)160}), type);
        r.get(InetAddress.getByAddress(new byte[] {0x20, 0x01, 0x02, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), type);
    }

    private void install(final Reader fresh, final FileSignature signature, final long nowNs)
    {
        openedSignature = signature;
        buildEpochSeconds = fresh.getMetadata().getBuildDate().getTime() / 1000;
        reader = fresh;
        warnIfOld(nowNs);
    }

    /** @return true when a database is loaded and was built more than {@code max_age} before {@code nowNs}. */
    boolean olderThanMaxAge(final long nowNs)
    {
        return reader != null && nowNs - buildEpochSeconds * 1_000_000_000L > maxAgeNs;
    }

    private void warnIfOld(final long nowNs)
    {
        final long builtNs = buildEpochSeconds * 1_000_000_000L;
        if (olderThanMaxAge(nowNs))
        {
            ageLog.log(nowNs, "The " + kind.label() + " database {} is {} days old (enrichment.max_age " +
                TimeUnit.NANOSECONDS.toDays(maxAgeNs) + " days); update it", path,
                TimeUnit.NANOSECONDS.toDays(nowNs - builtNs));
        }
    }

    private static void closeQuietly(final Reader r)
    {
        if (r != null)
        {
            try
            {
                r.close();
            }
            catch (final IOException ex)
            {
                LOG.debug("closing a database reader", ex);
            }
        }
    }

    @Override
    public String toString()
    {
        return kind.label() + ":" + Objects.toString(path);
    }
}
