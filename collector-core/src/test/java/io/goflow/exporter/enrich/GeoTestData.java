package io.goflow.exporter.enrich;

import io.goflow.exporter.config.EnrichmentSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MaxMind's test databases in {@code shared/testdata/geoip} and their JSON sources. The JSON is
 * read with SnakeYAML (JSON is YAML) and searched by longest prefix here, independently of
 * maxmind-db, so that tests compare our lookups with what MaxMind says the database holds.
 */
final class GeoTestData
{
    static final String CITY = "GeoLite2-City-Test";
    static final String GEOIP2_CITY = "GeoIP2-City-Test";
    static final String COUNTRY = "GeoLite2-Country-Test";
    static final String ASN = "GeoLite2-ASN-Test";

    private GeoTestData()
    {
    }

    static Path sharedDir()
    {
        final String property = System.getProperty("shared.dir");
        if (property != null && Files.isDirectory(Path.of(property)))
        {
            return Path.of(property);
        }
        for (final String candidate : new String[] {"../shared", "../../shared", "../../../shared"})
        {
            if (Files.isDirectory(Path.of(candidate)))
            {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("shared dir not found; set -Dshared.dir");
    }

    static Path mmdb(final String name)
    {
        return sharedDir().resolve("testdata/geoip/" + name + ".mmdb");
    }

    static EnrichmentSettings settings(final Path geoip, final Path asn, final int cacheSize, final String asnSource)
    {
        return new EnrichmentSettings(
            true, geoip.toString(), true, asn.toString(), cacheSize, asnSource,
            EnrichmentSettings.MAX_AGE_NS_DEFAULT, false, EnrichmentSettings.RELOAD_INTERVAL_NS_DEFAULT,
            EnrichmentSettings.MAX_CITY_SERIES_DEFAULT);
    }

    /** A FLOW record from {@code src} to {@code dst} (textual addresses, IPv4 stored mapped). */
    static FlowRecord flow(final String src, final String dst)
    {
        final FlowRecord r = new FlowRecord();
        final long[] s = address(src);
        final long[] d = address(dst);
        r.srcIpv6(s[0], s[1]);
        r.dstIpv6(d[0], d[1]);
        r.bytes = 1000;
        r.packets = 10;
        return r;
    }

    /** @return {hi, lo} of an address, IPv4 as {@code ::ffff:a.b.c.d}. */
    static long[] address(final String text)
    {
        try
        {
            final byte[] b = InetAddress.getByName(text).getAddress();
            if (b.length == 4)
            {
                final int v4 = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
                return new long[] {0, FlowRecord.ipv4MappedLo(v4)};
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++)
            {
                hi = (hi << 8) | (b[i] & 0xFF);
                lo = (lo << 8) | (b[8 + i] & 0xFF);
            }
            return new long[] {hi, lo};
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(text, ex);
        }
    }

    /** One MaxMind JSON source: a list of {network: record}. */
    static final class Source
    {
        private final List<BigInteger[]> ranges = new ArrayList<>();
        private final List<Map<String, Object>> records = new ArrayList<>();

        @SuppressWarnings("unchecked")
        Source(final String name)
        {
            final LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(16 * 1024 * 1024);
            try (Reader in = Files.newBufferedReader(
                sharedDir().resolve("testdata/geoip/" + name + ".json"), StandardCharsets.UTF_8))
            {
                final List<Map<String, Object>> list = (List<Map<String, Object>>)new Yaml(options).load(in);
                for (final Map<String, Object> entry : list)
                {
                    for (final Map.Entry<String, Object> e : entry.entrySet())
                    {
                        ranges.add(range(e.getKey()));
                        records.add((Map<String, Object>)e.getValue());
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        /** @return the record of the most specific network holding {@code address}, or null. */
        Map<String, Object> find(final String address)
        {
            final BigInteger a = key(address);
            Map<String, Object> best = null;
            BigInteger bestSize = null;
            for (int i = 0; i < ranges.size(); i++)
            {
                final BigInteger[] r = ranges.get(i);
                if (a.compareTo(r[0]) >= 0 && a.compareTo(r[1]) <= 0)
                {
                    final BigInteger size = r[1].subtract(r[0]);
                    if (bestSize == null || size.compareTo(bestSize) < 0)
                    {
                        best = records.get(i);
                        bestSize = size;
                    }
                }
            }
            return best;
        }

        /** @return the value at a dotted path such as {@code city.names.en}, or null. */
        @SuppressWarnings("unchecked")
        static Object at(final Map<String, Object> record, final String path)
        {
            Object node = record;
            for (final String part : path.split("\\."))
            {
                if (!(node instanceof Map))
                {
                    return null;
                }
                node = ((Map<String, Object>)node).get(part);
            }
            return node;
        }

        /** IPv4 networks in the JSON are IPv4; as in MaxMind's IPv6 trees they live at ::/96. */
        private static BigInteger[] range(final String cidr)
        {
            final int slash = cidr.indexOf('/');
            final String host = cidr.substring(0, slash);
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            final BigInteger base = key(host);
            if (!host.contains(":"))
            {
                prefix += 96;
            }
            final BigInteger span = BigInteger.ONE.shiftLeft(128 - prefix).subtract(BigInteger.ONE);
            return new BigInteger[] {base, base.add(span)};
        }

        private static BigInteger key(final String address)
        {
            try
            {
                return new BigInteger(1, InetAddress.getByName(address).getAddress());
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException(address, ex);
            }
        }
    }
}
