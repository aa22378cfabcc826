package io.goflow.exporter.enrich;

/**
 * ISO 3166-1 alpha-2 codes packed in an int as {@code (c0 << 8) | c1}, the layout of
 * {@code FlowRecord.srcCountry/dstCountry}; 0 means "no country".
 */
public final class CountryCode
{
    /** No country. */
    public static final int NONE = 0;

    private CountryCode()
    {
    }

    /**
     * @return the packed code, or {@link #NONE} when {@code isoCode} is not two ASCII letters
     *         (upper-cased on the way in).
     */
    public static int pack(final String isoCode)
    {
        if (isoCode == null || isoCode.length() != 2)
        {
            return NONE;
        }
        final char c0 = Character.toUpperCase(isoCode.charAt(0));
        final char c1 = Character.toUpperCase(isoCode.charAt(1));
        if (c0 < 'A' || c0 > 'Z' || c1 < 'A' || c1 > 'Z')
        {
            return NONE;
        }
        return (c0 << 8) | c1;
    }

    /** @return the two-letter code, or the empty string for {@link #NONE}. */
    public static String unpack(final int packed)
    {
        if (packed == NONE)
        {
            return "";
        }
        return new String(new char[] {(char)((packed >>> 8) & 0xFF), (char)(packed & 0xFF)});
    }
}
