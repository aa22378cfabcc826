package io.goflow.exporter.enrich;

import com.maxmind.db.ClosedDatabaseException;
import com.maxmind.db.Reader;
import io.goflow.exporter.decoders.api.FlowRecord;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;

/**
 * The enricher of one decode shard: fills country, ASN and city of both ends of a flow from the
 * shard's {@link AddressCache}, falling back to the databases on a miss.
 *
 * <h2>Cached value layout</h2>
 * <pre>
 *   bits 63..32  AS number from the ASN database (unsigned 32 bits, 0 = none)
 *   bits 31..16  country, {@link CountryCode} packing (0 = none)
 *   bit  1       the city has a Geomap series (admitted by the city registry)
 *   bit  0       {@link AddressCache#OCCUPIED}
 * </pre>
 * Negative results (address in no network) are cached as a value with only {@code OCCUPIED} set.
 * Special addresses ({@link SpecialAddresses}) bypass the cache and are never looked up.
 *
 * <h2>Threads</h2>
 * Owned by one shard thread. The only shared reads on the cached path are the service's
 * generation (one volatile load per record): when a database is swapped the generation moves and
 * the shard empties its cache before its next lookup. Counters are opaque single-writer fields,
 * read at scrape.
 */
final class ShardEnricher implements FlowEnricher
{
    static final long CITY_SERIES = 2L;
    private static final int COUNTRY_SHIFT = 16;
    private static final int ASN_SHIFT = 32;

    private static final VarHandle LOOKUP_ERRORS;
    private static final VarHandle CITY_OVERFLOW_FLOWS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOOKUP_ERRORS = lookup.findVarHandle(ShardEnricher.class, "lookupErrors", long.class);
            CITY_OVERFLOW_FLOWS = lookup.findVarHandle(ShardEnricher.class, "cityOverflowFlows", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final EnrichmentService service;
    private final DatabaseSlot geo;
    private final DatabaseSlot asn;
    private final AsnSource asnSource;
    private final AddressCache cache;
    private final CityTable cities;
    private final boolean citySeries;
    private final byte[] ipv4Bytes = new byte[4];
    private final byte[] ipv6Bytes = new byte[16];
    private long generation = Long.MIN_VALUE;
    private long resolvedValue;
    private long resolvedCityId;
    private long lookupErrors;
    private long cityOverflowFlows;

    /** @param maxCitySeries Geomap series cap; 0 disables the city table. */
    ShardEnricher(
        final EnrichmentService service,
        final DatabaseSlot geo,
        final DatabaseSlot asn,
        final AsnSource asnSource,
        final int cacheSize,
        final int maxCitySeries)
    {
        this.service = service;
        this.geo = geo;
        this.asn = asn;
        this.asnSource = asnSource;
        this.cache = new AddressCache(cacheSize);
        this.citySeries = maxCitySeries > 0;
        this.cities = new CityTable(citySeries ? maxCitySeries : 0);
    }

    @Override
    public void enrich(final FlowRecord record)
    {
        if (record.kind != FlowRecord.Kind.FLOW)
        {
            return;
        }
        final long currentGeneration = service.generation();
        if (currentGeneration != generation)
        {
            cache.clear();
            generation = currentGeneration;
        }

        resolve(record.srcAddrPresent, record.srcAddrHi, record.srcAddrLo);
        long value = resolvedValue;
        record.srcCountry = country(value);
        record.srcCityId = resolvedCityId;
        record.srcAsn = chooseAsn(asn(value), record.srcAs);
        countCity(value, resolvedCityId, CityTable.SRC, record);

        resolve(record.dstAddrPresent, record.dstAddrHi, record.dstAddrLo);
        value = resolvedValue;
        record.dstCountry = country(value);
        record.dstCityId = resolvedCityId;
        record.dstAsn = chooseAsn(asn(value), record.dstAs);
        countCity(value, resolvedCityId, CityTable.DST, record);
    }

    AddressCache cache()
    {
        return cache;
    }

    CityTable cities()
    {
        return cities;
    }

    /** @return database lookups that failed (damaged file, file rewritten under the mapping); any thread. */
    long lookupErrors()
    {
        return (long)LOOKUP_ERRORS.getOpaque(this);
    }

    /** @return flows whose city was refused a Geomap series (over max_city_series); any thread. */
    long cityOverflowFlows()
    {
        return (long)CITY_OVERFLOW_FLOWS.getOpaque(this);
    }

    static int country(final long value)
    {
        return (int)(value >>> COUNTRY_SHIFT) & 0xFFFF;
    }

    static long asn(final long value)
    {
        return value >>> ASN_SHIFT;
    }

    private long chooseAsn(final long databaseAsn, final long flowAsn)
    {
        switch (asnSource)
        {
            case DATABASE:
                return databaseAsn;
            case FLOW:
                return flowAsn;
            default:
                return databaseAsn != 0 ? databaseAsn : flowAsn;
        }
    }

    private void countCity(final long value, final long cityId, final int side, final FlowRecord record)
    {
        if (cityId == 0)
        {
            return;
        }
        if ((value & CITY_SERIES) == 0 || !cities.add(cityId, side, record.scaledBytes(), record.scaledPackets()))
        {
            CITY_OVERFLOW_FLOWS.setOpaque(this, cityOverflowFlows + 1);
        }
    }

    private void resolve(final boolean present, final long hi, final long lo)
    {
        resolvedValue = 0;
        resolvedCityId = 0;
        if (!present || SpecialAddresses.isSpecial(hi, lo) || (!geo.loaded() && !asn.loaded()))
        {
            return;
        }
        final long cached = cache.get(hi, lo);
        if (cached != AddressCache.MISSING)
        {
            resolvedValue = cached;
            resolvedCityId = cache.lastCityId();
            return;
        }
        lookup(hi, lo);
        cache.put(hi, lo, resolvedValue | AddressCache.OCCUPIED, resolvedCityId);
    }

    /** The uncached path: may allocate (address object, decoded records). */
    private void lookup(final long hi, final long lo)
    {
        final InetAddress address = toInetAddress(hi, lo);
        long value = 0;
        long cityId = 0;
        final MaxMindRecords.Geo g = (MaxMindRecords.Geo)get(geo, address, MaxMindRecords.Geo.class);
        if (g != null)
        {
            value |= (long)g.countryCode() << COUNTRY_SHIFT;
            cityId = g.cityId();
            if (cityId != 0 && citySeries && service.cityRegistry().admit(cityId, cityInfo(g)))
            {
                value |= CITY_SERIES;
            }
        }
        final MaxMindRecords.Asn a = (MaxMindRecords.Asn)get(asn, address, MaxMindRecords.Asn.class);
        if (a != null)
        {
            final long number = a.asn();
            value |= number << ASN_SHIFT;
            if (number != 0)
            {
                service.asnRegistry().admit(number, a.organization == null ? "" : a.organization);
            }
        }
        resolvedValue = value;
        resolvedCityId = cityId;
    }

    private Object get(final DatabaseSlot slot, final InetAddress address, final Class<?> type)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            final Reader reader = slot.reader();
            if (reader == null)
            {
                return null;
            }
            try
            {
                return reader.get(address, type);
            }
            catch (final ClosedDatabaseException ex)
            {
                continue;
            }
            catch (final IOException | RuntimeException | InternalError ex)
            {
                LOOKUP_ERRORS.setOpaque(this, lookupErrors + 1);
                service.logLookupError(slot, ex);
                return null;
            }
        }
        return null;
    }

    private static CityInfo cityInfo(final MaxMindRecords.Geo g)
    {
        final MaxMindRecords.Location location = g.location;
        return new CityInfo(
            g.city.englishName(),
            CountryCode.unpack(g.countryCode()),
            location == null || location.latitude == null ? 0.0 : location.latitude,
            location == null || location.longitude == null ? 0.0 : location.longitude);
    }

    private InetAddress toInetAddress(final long hi, final long lo)
    {
        try
        {
            if (FlowRecord.isIpv4Mapped(hi, lo))
            {
                final byte[] b = ipv4Bytes;
                b[0] = (byte)(lo >>> 24);
                b[1] = (byte)(lo >>> 16);
                b[2] = (byte)(lo >>> 8);
                b[3] = (byte)lo;
                return InetAddress.getByAddress(b);
            }
            final byte[] b = ipv6Bytes;
            for (int i = 0; i < 8; i++)
            {
                b[i] = (byte)(hi >>> (56 - 8 * i));
                b[8 + i] = (byte)(lo >>> (56 - 8 * i));
            }
            return InetAddress.getByAddress(b);
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException("4 or 16 bytes are always a valid address", ex);
        }
    }
}
