package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.DecodeError;

/**
 * A (options) template compiled at arrival into a compact program that the record walker
 * ({@link DataSetDecoder}) executes for every data record, so that decoding a record does not look
 * anything up per field.
 *
 * <p>The definition is kept as received, as {@code (elementId, length, enterprise)} triples, so
 * that a re-announced identical template (exporters resend them every few seconds) only refreshes
 * {@link #lastSeenNs()} and allocates nothing. The program holds one {@code int} per field,
 * {@code (action << 16) | length}, with {@link InformationElementDescriptor#VARIABLE_LENGTH} as
 * the length of an IPFIX variable-length field (RFC 7011 section 7).
 *
 * <p>Validation ({@link #validate}; RFC 7011 section 8.1, RFC 3954 section 5.2): a template with no
 * field, a record length of 0 (it could never advance through a set), or a minimum record length
 * that cannot fit in one message is {@link DecodeError#BAD_TEMPLATE}. Two bounds keep the cost of
 * walking its records proportional to the bytes they occupy, whatever the sender announces:
 * <ul>
 *   <li>at most {@value #MAX_FIELDS} fields ({@link DecodeError#TOO_MANY_FIELDS}): the largest
 *       template of the shared captures has 47 (ntop nProbe), routers send well under 100;</li>
 *   <li>at most {@value #MAX_FIELDS_PER_RECORD_BYTE} fields per byte of the minimum record length
 *       ({@link DecodeError#SPARSE_TEMPLATE}): zero-length fields are accepted (Juniper SRX options,
 *       the {@code 0length_fields} capture: 3 of 21) but a record cannot be mostly zero-length
 *       fields, so a data set of {@code n} bytes costs at most {@code 2n} field reads. The sparsest
 *       real template in the captures has one field per byte (YAF, variable-length fields).</li>
 * </ul>
 *
 * <p>Owned by the decoding thread.
 */
public final class Template
{
    public static final int KIND_DATA = 0;
    public static final int KIND_OPTIONS = 1;
    /** Largest record that fits one message: 65535 less the IPFIX header (16) and set header (4). */
    public static final int MAX_RECORD_LENGTH = 65535 - 16 - 4;
    /** Most fields in one template; more is {@link DecodeError#TOO_MANY_FIELDS}. */
    public static final int MAX_FIELDS = 512;
    /** Most fields per byte of minimum record length; more is {@link DecodeError#SPARSE_TEMPLATE}. */
    public static final int MAX_FIELDS_PER_RECORD_BYTE = 2;
    /** Enterprise value marking a v9 options scope field (scope types are not elements): skipped. */
    public static final int SCOPE_FIELD = -1;
    /** Ints per definition entry: element id, length, enterprise. */
    public static final int DEFINITION_STRIDE = 3;

    private final int templateId;
    private final int kind;
    private final int scopeFieldCount;
    private final int fieldCount;
    private final int[] definition;
    private final int[] program;
    private final int minRecordLength;
    private final boolean variableLength;
    private final boolean hasReverse;
    private long lastSeenNs;

    private Template(
        final int templateId,
        final int kind,
        final int scopeFieldCount,
        final int[] definition,
        final int fieldCount,
        final long nowNs)
    {
        this.templateId = templateId;
        this.kind = kind;
        this.scopeFieldCount = scopeFieldCount;
        this.fieldCount = fieldCount;
        this.definition = java.util.Arrays.copyOf(definition, fieldCount * DEFINITION_STRIDE);
        this.program = new int[fieldCount];
        int min = 0;
        boolean varLen = false;
        boolean reverse = false;
        for (int i = 0; i < fieldCount; i++)
        {
            final int elementId = definition[i * DEFINITION_STRIDE];
            final int length = definition[i * DEFINITION_STRIDE + 1];
            final int enterprise = definition[i * DEFINITION_STRIDE + 2];
            final int action = enterprise == SCOPE_FIELD ?
                FieldAction.SKIP : FieldAction.forElement(enterprise & 0xFFFF_FFFFL, elementId);
            program[i] = (action << 16) | length;
            if (length == InformationElementDescriptor.VARIABLE_LENGTH)
            {
                varLen = true;
                min += 1;
            }
            else
            {
                min += length;
            }
            reverse |= FieldAction.isReverse(action);
        }
        this.minRecordLength = min;
        this.variableLength = varLen;
        this.hasReverse = reverse;
        this.lastSeenNs = nowNs;
    }

    /**
     * @param definition            {@code fieldCount} triples (element id, length, enterprise).
     * @param allowVariableLength   true for IPFIX; in v9 a length of 65535 is a plain length.
     * @return null when the template can be compiled and used, else why it is refused.
     */
    public static DecodeError validate(final int[] definition, final int fieldCount, final boolean allowVariableLength)
    {
        if (fieldCount <= 0)
        {
            return DecodeError.BAD_TEMPLATE;
        }
        if (fieldCount > MAX_FIELDS)
        {
            return DecodeError.TOO_MANY_FIELDS;
        }
        long min = 0;
        for (int i = 0; i < fieldCount; i++)
        {
            final int length = definition[i * DEFINITION_STRIDE + 1];
            min += allowVariableLength && length == InformationElementDescriptor.VARIABLE_LENGTH ? 1 : length;
        }
        if (min <= 0 || min > MAX_RECORD_LENGTH)
        {
            return DecodeError.BAD_TEMPLATE;
        }
        return fieldCount > min * MAX_FIELDS_PER_RECORD_BYTE ? DecodeError.SPARSE_TEMPLATE : null;
    }

    /** Compiles a definition already checked by {@link #validate}. Allocates; template arrival only. */
    public static Template compile(
        final int templateId,
        final int kind,
        final int scopeFieldCount,
        final int[] definition,
        final int fieldCount,
        final long nowNs)
    {
        return new Template(templateId, kind, scopeFieldCount, definition, fieldCount, nowNs);
    }

    /** @return true when this template was announced with exactly this definition. */
    public boolean sameDefinition(
        final int kind, final int scopeFieldCount, final int[] definition, final int fieldCount)
    {
        if (kind != this.kind || scopeFieldCount != this.scopeFieldCount || fieldCount != this.fieldCount)
        {
            return false;
        }
        for (int i = 0, n = fieldCount * DEFINITION_STRIDE; i < n; i++)
        {
            if (definition[i] != this.definition[i])
            {
                return false;
            }
        }
        return true;
    }

    public int templateId()
    {
        return templateId;
    }

    /** @return {@link #KIND_DATA} or {@link #KIND_OPTIONS}. */
    public int kind()
    {
        return kind;
    }

    public int fieldCount()
    {
        return fieldCount;
    }

    /** @return one {@code (action << 16) | length} per field; not to be modified. */
    int[] program()
    {
        return program;
    }

    /** @return bytes of the shortest possible record (variable-length fields count 1). */
    public int minRecordLength()
    {
        return minRecordLength;
    }

    public boolean hasVariableLength()
    {
        return variableLength;
    }

    /** @return true when the template carries RFC 5103 reverse fields. */
    public boolean hasReverse()
    {
        return hasReverse;
    }

    /** @return receive time (epoch ns) of the last announcement. */
    public long lastSeenNs()
    {
        return lastSeenNs;
    }

    void lastSeenNs(final long nowNs)
    {
        lastSeenNs = nowNs;
    }
}
