package io.goflow.exporter.decoders.ipfix;

/**
 * IPFIX layout constants, RFC 7011.
 *
 * <pre>
 * Message header (section 3.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |       Version Number (10)     |  Length (message, incl. hdr)  |
 * +-------------------------------+-------------------------------+
 * |                Export Time (s since UNIX epoch)               |
 * +---------------------------------------------------------------+
 * |       Sequence Number (data records sent, modulo 2^32)        |
 * +---------------------------------------------------------------+
 * |                    Observation Domain ID                      |
 * +---------------------------------------------------------------+
 *
 * Set header (section 3.3.2): ID 2 template, 3 options template, 256+ data
 * +-------------------------------+-------------------------------+
 * |            Set ID             |     Length (incl. header)     |
 * +-------------------------------+-------------------------------+
 *
 * Template record header (section 3.4.1) / options template record header (section 3.4.2.2)
 * +-------------------------------+-------------------------------+
 * |          Template ID          |          Field Count          |
 * +-------------------------------+-------------------------------+
 * |  Scope Field Count (options)  |
 * +-------------------------------+
 *
 * Field specifier (section 3.2): enterprise bit E, then the PEN when E = 1
 * +-+-----------------------------+-------------------------------+
 * |E|  Information Element ident. |         Field Length          |
 * +-+-----------------------------+-------------------------------+
 * |                 Enterprise Number (when E = 1)                |
 * +---------------------------------------------------------------+
 *
 * Variable-length field (section 7): length 255 announces a 2-byte length
 * +---------------+----------------                 +---------------+-------------------------------+-----
 * | Length (<255) | value ...          or           |      255      |      Length (0-65535)         | value
 * +---------------+----------------                 +---------------+-------------------------------+-----
 * </pre>
 *
 * <p>Withdrawal (section 8.1): a template record with Field Count 0 withdraws its template; template
 * ID 2 in a template set withdraws every template, ID 3 in an options template set every options
 * template.
 *
 * <p>The set walk shared with v9 ({@link io.goflow.exporter.decoders.template.TemplateSetWalker}) reads
 * the set, template record and field specifier layouts; the IPFIX differences (set IDs, enterprise
 * bit, scope field count, withdrawals) are given to it as a
 * {@link io.goflow.exporter.decoders.template.SetLayout}.
 */
public final class IpfixDescriptor
{
    public static final int VERSION = 10;

    public static final int VERSION_OFFSET = 0;
    public static final int LENGTH_OFFSET = VERSION_OFFSET + 2;
    public static final int EXPORT_TIME_OFFSET = LENGTH_OFFSET + 2;
    public static final int SEQUENCE_OFFSET = EXPORT_TIME_OFFSET + 4;
    public static final int OBSERVATION_DOMAIN_OFFSET = SEQUENCE_OFFSET + 4;
    public static final int HEADER_LENGTH = OBSERVATION_DOMAIN_OFFSET + 4;

    /** Set IDs; the set, template record and field specifier offsets are in TemplateSetWalker. */
    public static final int TEMPLATE_SET_ID = 2;
    public static final int OPTIONS_TEMPLATE_SET_ID = 3;

    private IpfixDescriptor()
    {
    }
}
