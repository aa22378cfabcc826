package io.goflow.exporter.acceptance;

import io.goflow.exporter.decoders.testsupport.KnownDifferences;

/**
 * The decoders' one list of captures we knowingly decode differently from Wireshark
 * ({@link KnownDifferences}, from the collector-decoders test-jar), as the acceptance suite applies
 * it to scraped metrics. Kinds are matched by name so the suite keeps compiling while the list
 * grows new kinds.
 */
final class KnownDecodeDifferences
{
    /** What a capture's comparison with its truth can be. */
    enum Mode
    {
        /** Totals and 5-tuples equal the truth. */
        EXACT,
        /**
         * We decode records Wireshark does not (decoders' {@code SUPERSET}), or reverse records the
         * truth does not sum ({@code REVERSE_NOT_IN_TRUTH}; metrics cannot tell a reverse record
         * from a forward one): every truth 5-tuple is there with at least its values, totals at
         * least the truth's.
         */
        SUPERSET,
        /**
         * Wireshark could not decode everything (truth reports errors), or we knowingly refuse the
         * capture ({@code WHOLE_CAPTURE}): the collector must stay healthy and either count
         * errors or show at least the truth.
         */
        ROBUSTNESS
    }

    private KnownDecodeDifferences()
    {
    }

    static Mode mode(final String captureFile, final Truth truth)
    {
        Mode mode = truth.hasDecodeErrors() ? Mode.ROBUSTNESS : Mode.EXACT;
        for (final KnownDifferences.Difference d : KnownDifferences.ALL)
        {
            if (!d.capture().equals(captureFile))
            {
                continue;
            }
            final String kind = d.kind().name();
            if ("WHOLE_CAPTURE".equals(kind))
            {
                mode = Mode.ROBUSTNESS;
            }
            else if (("SUPERSET".equals(kind) || "REVERSE_NOT_IN_TRUTH".equals(kind)) && mode == Mode.EXACT)
            {
                mode = Mode.SUPERSET;
            }
        }
        return mode;
    }

    /** @return the reasons listed for {@code captureFile}, for failure messages; empty when none. */
    static String reasons(final String captureFile)
    {
        final StringBuilder sb = new StringBuilder();
        for (final KnownDifferences.Difference d : KnownDifferences.ALL)
        {
            if (d.capture().equals(captureFile))
            {
                sb.append("\n  known difference ").append(d.kind().name()).append(": ").append(d.reason());
            }
        }
        return sb.toString();
    }

    /** @return a truth 5-tuple key as the decoders are known to produce it. */
    static String remap5Tuple(final String captureFile, final String key)
    {
        for (final KnownDifferences.Difference d : KnownDifferences.ALL)
        {
            if (d.capture().equals(captureFile) && "FIVE_TUPLE_KEY".equals(d.kind().name()) && key.equals(d.truthValue()))
            {
                return d.ourValue();
            }
        }
        return key;
    }
}
