package io.goflow.exporter.config;

import io.goflow.exporter.decoders.api.DecoderSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loads the YAML configuration into one immutable {@link Settings} and validates it completely
 * before anything starts. Every key is optional (defaults on the section records). The file is
 * composed to SnakeYAML nodes, never constructed to objects, so each error carries the line of the
 * key or value it is about; all errors are collected and thrown together as a
 * {@link ConfigException}, each rendered as {@code <file>:<line>: <key.path>: <message>}.
 *
 * <p>Each section is bound by its {@link SectionBinder} ({@link ServerBinder}, {@link PerformanceBinder},
 * {@link AggregationBinder}, {@link EnrichmentBinder}, {@link MetricsBinder}, {@link LoggingBinder},
 * {@link DecoderBinder}), which holds its keys, defaults and ranges; the ranges are listed in
 * {@code docs/configuration.md}.
 */
public final class ConfigLoader
{
    private static final List<String> TOP_KEYS =
        List.of("server", "performance", "aggregation", "enrichment", "metrics", "logging", "decoder");

    private final YamlFields y;

    private ConfigLoader(final String sourceName)
    {
        this.y = new YamlFields(sourceName);
    }

    /**
     * Reads and validates a configuration file.
     *
     * @throws IOException     when the file cannot be read (a runtime failure, not a config error).
     * @throws ConfigException with every validation error found.
     */
    public static Settings load(final Path path) throws IOException, ConfigException
    {
        final String text;
        try
        {
            text = Files.readString(path, StandardCharsets.UTF_8);
        }
        catch (final CharacterCodingException ex)
        {
            throw new ConfigException(List.of(new ConfigError(path.toString(), 0, "(yaml)", "not UTF-8 text")));
        }
        return loadString(text, path.toString());
    }

    /**
     * Validates YAML text; {@code sourceName} prefixes every error. Empty text gives the defaults.
     *
     * @throws ConfigException with every validation error found.
     */
    public static Settings loadString(final String yaml, final String sourceName) throws ConfigException
    {
        return new ConfigLoader(sourceName).parse(yaml);
    }

    /** @return true when {@code yaml} holds no document (nothing but blanks and comments). */
    public static boolean isEmptyDocument(final String yaml)
    {
        try
        {
            return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml)) == null;
        }
        catch (final YAMLException ex)
        {
            return false;
        }
    }

    private Settings parse(final String yaml) throws ConfigException
    {
        final Node root;
        try
        {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true);
            options.setMaxAliasesForCollections(50);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        }
        catch (final MarkedYAMLException ex)
        {
            final Mark mark = ex.getProblemMark() != null ? ex.getProblemMark() : ex.getContextMark();
            final String problem = ex.getProblem() != null ? ex.getProblem() : ex.getMessage();
            throw new ConfigException(List.of(new ConfigError(
                y.source(), mark == null ? 0 : mark.getLine() + 1, "(yaml)", "syntax error: " + problem)));
        }
        catch (final YAMLException ex)
        {
            throw new ConfigException(List.of(new ConfigError(y.source(), 0, "(yaml)", ex.getMessage())));
        }

        final YamlFields.Section top = y.section(root, "", TOP_KEYS);
        final ServerSettings server = new ServerBinder(y).bind(top.value("server"), "server");
        final PerformanceSettings performance = new PerformanceBinder(y).bind(top.value("performance"), "performance");
        final AggregationSettings aggregation = new AggregationBinder(y).bind(top.value("aggregation"), "aggregation");
        final EnrichmentSettings enrichment = new EnrichmentBinder(y).bind(top.value("enrichment"), "enrichment");
        final MetricsSettings metrics = new MetricsBinder(y).bind(top.value("metrics"), "metrics");
        final LoggingSettings logging = new LoggingBinder(y).bind(top.value("logging"), "logging");
        final DecoderSettings decoder = new DecoderBinder(y).bind(top.value("decoder"), "decoder");

        if (!y.errors().isEmpty())
        {
            final List<ConfigError> sorted = new ArrayList<>(y.errors());
            sorted.sort(Comparator.comparingInt(ConfigError::line));
            throw new ConfigException(sorted);
        }
        return new Settings(server, performance, aggregation, enrichment, metrics, logging, decoder);
    }
}
