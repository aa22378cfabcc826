package io.goflow.exporter.config;

/**
 * One entry of {@code aggregation.interfaces}: a router's interface named and sized by hand. These
 * win over names and speeds learned from NetFlow v9/IPFIX options data and sFlow counter samples.
 *
 * @param exporter  the exporter address as written (the sFlow agent address, otherwise the source
 *                  address of the datagrams).
 * @param hi        the exporter address, high 64 bits, IPv4-mapped as the records carry it.
 * @param lo        low 64 bits.
 * @param index     SNMP ifIndex.
 * @param name      interface name, label value of {@code in_if_name}/{@code out_if_name}; may be "".
 * @param speedBps  link speed in bits per second, 0 when not given.
 */
public record InterfaceSettings(String exporter, long hi, long lo, long index, String name, long speedBps)
{
}
