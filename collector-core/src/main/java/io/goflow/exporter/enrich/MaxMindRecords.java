package io.goflow.exporter.enrich;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;

/**
 * The few fields read from GeoLite2/GeoIP2 records, decoded by maxmind-db's constructor mapping
 * (keys not named here are skipped, not decoded). Public because the library instantiates them
 * reflectively through public constructors. Absent keys arrive as {@code null}.
 *
 * <p>Schema: Country/City databases hold {@code country.iso_code}; City adds
 * {@code city.geoname_id}, {@code city.names.en}, {@code location.latitude/longitude}. ASN
 * databases hold {@code autonomous_system_number} and {@code autonomous_system_organization}.
 */
public final class MaxMindRecords
{
    private MaxMindRecords()
    {
    }

    /** A Country or City database record. */
    public static final class Geo
    {
        final Country country;
        final City city;
        final Location location;

        @MaxMindDbConstructor
        public Geo(
            @MaxMindDbParameter(name = "country") final Country country,
            @MaxMindDbParameter(name = "city") final City city,
            @MaxMindDbParameter(name = "location") final Location location)
        {
            this.country = country;
            this.city = city;
            this.location = location;
        }

        /** @return the packed country code, {@link CountryCode#NONE} when the record has none. */
        int countryCode()
        {
            return country == null ? CountryCode.NONE : CountryCode.pack(country.isoCode);
        }

        /** @return the city's geoname id, 0 when the record has no city. */
        long cityId()
        {
            return city == null || city.geonameId == null ? 0 : city.geonameId;
        }
    }

    /** {@code country}. */
    public static final class Country
    {
        final String isoCode;

        @MaxMindDbConstructor
        public Country(@MaxMindDbParameter(name = "iso_code") final String isoCode)
        {
            this.isoCode = isoCode;
        }
    }

    /** {@code city}. */
    public static final class City
    {
        final Long geonameId;
        final Names names;

        @MaxMindDbConstructor
        public City(
            @MaxMindDbParameter(name = "geoname_id") final Long geonameId,
            @MaxMindDbParameter(name = "names") final Names names)
        {
            this.geonameId = geonameId;
            this.names = names;
        }

        String englishName()
        {
            return names == null || names.en == null ? "" : names.en;
        }
    }

    /** {@code city.names}: only the English name is kept. */
    public static final class Names
    {
        final String en;

        @MaxMindDbConstructor
        public Names(@MaxMindDbParameter(name = "en") final String en)
        {
            this.en = en;
        }
    }

    /** {@code location}, degrees. */
    public static final class Location
    {
        final Double latitude;
        final Double longitude;

        @MaxMindDbConstructor
        public Location(
            @MaxMindDbParameter(name = "latitude") final Double latitude,
            @MaxMindDbParameter(name = "longitude") final Double longitude)
        {
            this.latitude = latitude;
            this.longitude = longitude;
        }
    }

    /** An ASN database record. */
    public static final class Asn
    {
        final Long number;
        final String organization;

        @MaxMindDbConstructor
        public Asn(
            @MaxMindDbParameter(name = "autonomous_system_number") final Long number,
            @MaxMindDbParameter(name = "autonomous_system_organization") final String organization)
        {
            this.number = number;
            this.organization = organization;
        }

        /** @return the AS number, 0 when absent or out of the 32-bit range. */
        long asn()
        {
            return number == null || number < 0 || number > 0xFFFF_FFFFL ? 0 : number;
        }
    }
}
