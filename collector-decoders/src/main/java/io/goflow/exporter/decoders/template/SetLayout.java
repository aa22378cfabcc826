package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.api.FlowType;

/**
 * What differs between the NetFlow v9 (RFC 3954) and IPFIX (RFC 7011) set layouts, as data for the
 * one {@link TemplateSetWalker}. Both share the 4-byte set header (ID, length incl. header), data set
 * IDs 256 and up, the 4-byte template record header (template ID, field count) and the 4-byte field
 * specifier (element ID, length); the rest is here.
 *
 * <pre>
 * Options template record header:
 *   v9 (scopeLengthsInBytes):  | Template ID | Scope Length (bytes) | Option Length (bytes) |
 *   IPFIX:                     | Template ID | Field Count          | Scope Field Count     |
 *
 * Field specifier:
 *   v9:                        | Field Type (16 bits)                 | Field Length |
 *   IPFIX (enterpriseBit):     | E | Element ID (15 bits)             | Field Length | PEN (when E = 1)
 * </pre>
 *
 * @param type                 the protocol, for counters.
 * @param headerLength         bytes of message header before the first set.
 * @param templateSetId        set ID of a template set (v9 0, IPFIX 2).
 * @param optionsTemplateSetId set ID of an options template set (v9 1, IPFIX 3).
 * @param enterpriseBit        field specifiers carry the enterprise bit and, when set, a 4-byte PEN.
 * @param withdrawals          a template record with field count 0 withdraws (RFC 7011 section 8.1).
 * @param scopeLengthsInBytes  options template header gives scope and option lengths in bytes and
 *                             scope fields are marked {@link Template#SCOPE_FIELD} (v9); otherwise it
 *                             gives field count and scope field count.
 */
public record SetLayout(
    FlowType type,
    int headerLength,
    int templateSetId,
    int optionsTemplateSetId,
    boolean enterpriseBit,
    boolean withdrawals,
    boolean scopeLengthsInBytes)
{
}
