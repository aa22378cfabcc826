package io.goflow.exporter.enrich.network;

import io.goflow.exporter.config.AggregationSettings;
import io.goflow.exporter.config.ConfigException;
import io.goflow.exporter.config.NetworkListParser;
import io.goflow.exporter.config.NetworkSettings;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The networks behind {@code src_net}/{@code dst_net}: {@code aggregation.networks} plus the
 * {@code aggregation.networks_file}, as one {@link NetworkTable} that is swapped whole when the
 * file changes.
 *
 * <h2>Reload</h2>
 * {@link #reloadIfChanged} compares the file's size, modification time and file key with the last
 * ones read; when they differ it reads and validates the whole file and builds a new table off the
 * hot path, then publishes it with one volatile write. A file that does not parse, or does not fit
 * the bounds of {@link NetworkTable}, keeps the table in force: counted in {@link #reloadErrors()}
 * and logged once per change with its file and line. Every record is classified by the table read
 * once for it ({@link #current()}), so a reload never loses or double counts a record.
 *
 * <h2>Threads</h2>
 * {@link #current()} from any thread (the aggregation thread per record); {@link #reloadIfChanged}
 * from one thread at a time (the {@code goflow-networks} thread of {@link #start}, or a test).
 */
public final class Networks implements AutoCloseable
{
    private static final Logger LOGGER = LogManager.getLogger(Networks.class);

    private final List<NetworkSettings> inline;
    private final Path file;
    private final List<String> attributes;
    private final LabelStrings strings;
    private final long reloadIntervalNs;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadErrors = new AtomicLong();
    private volatile NetworkTable table;
    private volatile long loadedEpochMs;
    private Object stamp;
    private Thread thread;
    private volatile boolean closed;

    /**
     * Builds the first table from the inline networks and the file.
     *
     * @param attributes attribute names some view groups by.
     * @throws IllegalArgumentException with file and line when the networks file cannot be read or
     *         is invalid at start, or the networks do not fit the bounds.
     */
    public Networks(final AggregationSettings settings, final List<String> attributes, final LabelStrings strings)
    {
        this.inline = settings.networks();
        this.file = settings.networksFile() == null || settings.networksFile().isEmpty() ? null :
            Path.of(settings.networksFile());
        this.attributes = List.copyOf(attributes);
        this.strings = strings;
        this.reloadIntervalNs = settings.networksReloadIntervalNs();
        final String problem = reload();
        if (problem != null)
        {
            throw new IllegalArgumentException("aggregation.networks_file: " + problem);
        }
    }

    /** @return the table in force; any thread, no allocation. */
    public NetworkTable current()
    {
        return table;
    }

    /** @return the attribute names kept, in {@link NetworkTable#attributeValueId} order. */
    public List<String> attributes()
    {
        return attributes;
    }

    public LabelStrings strings()
    {
        return strings;
    }

    /** @return networks files read and swapped in, the first load included. */
    public long reloads()
    {
        return reloads.get();
    }

    /** @return networks file versions refused (the table in force was kept). */
    public long reloadErrors()
    {
        return reloadErrors.get();
    }

    /** @return epoch ms of the last table swapped in. */
    public long loadedEpochMs()
    {
        return loadedEpochMs;
    }

    /** @return the networks file, or null. */
    public Path file()
    {
        return file;
    }

    /**
     * Reloads the file when its size, modification time or identity changed since the last read.
     *
     * @return true when a new table was swapped in.
     */
    public boolean reloadIfChanged()
    {
        if (file == null)
        {
            return false;
        }
        final Object now = stampOf(file);
        if (Objects.equals(now, stamp))
        {
            return false;
        }
        final String problem = reload();
        if (problem != null)
        {
            LOGGER.error("networks file refused, keeping the {} networks in force: {}",
                table == null ? 0 : table.size(), problem);
            return false;
        }
        return true;
    }

    /** @return null when a new table is in force, else why the file was refused (counted). */
    private String reload()
    {
        final Object before = file == null ? null : stampOf(file);
        final List<NetworkSettings> all = new ArrayList<>(inline);
        if (file != null)
        {
            try
            {
                all.addAll(NetworkListParser.loadFile(file));
            }
            catch (final ConfigException ex)
            {
                return refused(before, ex.getMessage());
            }
            catch (final IOException | RuntimeException ex)
            {
                return refused(before, file + ": " + ex);
            }
        }
        final NetworkTable next;
        try
        {
            next = NetworkTable.build(all, attributes, strings);
        }
        catch (final IllegalArgumentException ex)
        {
            return refused(before, (file == null ? "aggregation.networks" : file.toString()) + ": " + ex.getMessage());
        }
        stamp = before;
        table = next;
        loadedEpochMs = System.currentTimeMillis();
        reloads.incrementAndGet();
        LOGGER.info("networks: {} loaded ({} from {}), {} KiB of prefix trie", next.size(), all.size() - inline.size(),
            file == null ? "no file" : file, next.memoryBytes() >> 10);
        return null;
    }

    private String refused(final Object before, final String problem)
    {
        stamp = before;
        reloadErrors.incrementAndGet();
        if (table == null)
        {
            table = NetworkTable.empty();
        }
        return problem;
    }

    private static Object stampOf(final Path path)
    {
        try
        {
            final BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return List.of(a.size(), a.lastModifiedTime().toMillis(), String.valueOf(a.fileKey()));
        }
        catch (final IOException ex)
        {
            return "missing";
        }
    }

    /** Starts the daemon thread that calls {@link #reloadIfChanged} every reload interval; no-op without a file. */
    public synchronized void start()
    {
        if (file == null || thread != null)
        {
            return;
        }
        thread = new Thread(this::watch, "goflow-networks");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch()
    {
        while (!closed)
        {
            try
            {
                Thread.sleep(Math.max(1, reloadIntervalNs / 1_000_000L));
                reloadIfChanged();
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            catch (final RuntimeException ex)
            {
                reloadErrors.incrementAndGet();
                LOGGER.error("networks reload failed", ex);
            }
        }
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        if (thread != null)
        {
            thread.interrupt();
        }
    }
}
