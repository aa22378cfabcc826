package io.goflow.exporter.decoders.netflow9;

/**
 * NetFlow v9 layout constants, RFC 3954.
 *
 * <pre>
 * Packet header (section 5.1):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |       Version Number (9)      |             Count             |
 * +-------------------------------+-------------------------------+
 * |                    sysUpTime (ms since boot)                  |
 * +---------------------------------------------------------------+
 * |                    UNIX Secs (export time)                    |
 * +---------------------------------------------------------------+
 * |          Sequence Number (export packets, modulo 2^32)        |
 * +---------------------------------------------------------------+
 * |                           Source ID                           |
 * +---------------------------------------------------------------+
 *
 * FlowSet header (sections 5.2-5.4): ID 0 template, 1 options template, 256+ data
 * +-------------------------------+-------------------------------+
 * |          FlowSet ID           |     Length (incl. header)     |
 * +-------------------------------+-------------------------------+
 *
 * Template record (section 5.2), fields repeated Field Count times
 * +-------------------------------+-------------------------------+
 * |          Template ID          |          Field Count          |
 * +-------------------------------+-------------------------------+
 * |          Field Type           |          Field Length         |
 * +-------------------------------+-------------------------------+
 *
 * Options template record (section 6.1): scope fields then option fields, (type, length) each
 * +-------------------------------+-------------------------------+
 * |          Template ID          |  Option Scope Length (bytes)  |
 * +-------------------------------+-------------------------------+
 * |     Option Length (bytes)     |  Scope 1 Field Type ...       |
 * +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>The FlowSet walk shared with IPFIX ({@link io.goflow.exporter.decoders.template.TemplateSetWalker})
 * reads these layouts; the v9 differences (FlowSet IDs, options lengths in bytes, no enterprise bit, no
 * withdrawal) are given to it as a {@link io.goflow.exporter.decoders.template.SetLayout}.
 */
public final class Netflow9Descriptor
{
    public static final int VERSION = 9;

    public static final int VERSION_OFFSET = 0;
    public static final int COUNT_OFFSET = VERSION_OFFSET + 2;
    public static final int SYS_UPTIME_OFFSET = COUNT_OFFSET + 2;
    public static final int UNIX_SECS_OFFSET = SYS_UPTIME_OFFSET + 4;
    public static final int SEQUENCE_OFFSET = UNIX_SECS_OFFSET + 4;
    public static final int SOURCE_ID_OFFSET = SEQUENCE_OFFSET + 4;
    public static final int HEADER_LENGTH = SOURCE_ID_OFFSET + 4;

    /** FlowSet IDs; the FlowSet, template record and field offsets are in TemplateSetWalker. */
    public static final int TEMPLATE_SET_ID = 0;
    public static final int OPTIONS_TEMPLATE_SET_ID = 1;

    private Netflow9Descriptor()
    {
    }
}
