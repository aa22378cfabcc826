package io.goflow.exporter.decode;

import java.nio.ByteBuffer;

/**
 * Hand-built NetFlow v9 datagrams (RFC 3954): one template with two fields and data records
 * against it. Layouts are commented per field.
 */
public final class V9Datagrams
{
    /** Template fields: IN_BYTES (type 1, 4 bytes), IN_PKTS (type 2, 4 bytes); record = 8 bytes. */
    public static final int RECORD_LENGTH = 8;

    private V9Datagrams()
    {
    }

    /** A datagram with only a template flowset (RFC 3954 s5.2) for {@code templateId}. */
    public static byte[] template(final int sourceId, final int sequence, final int templateId)
    {
        final ByteBuffer b = ByteBuffer.allocate(20 + 16);
        header(b, 1, sequence, sourceId);
        b.putShort((short)0);          // flowset ID 0: template flowset
        b.putShort((short)16);         // flowset length: 4 + 4 + 2 * 4
        b.putShort((short)templateId); // template ID (>= 256)
        b.putShort((short)2);          // field count
        b.putShort((short)1);          // IN_BYTES
        b.putShort((short)4);          //   length 4
        b.putShort((short)2);          // IN_PKTS
        b.putShort((short)4);          //   length 4
        return b.array();
    }

    /**
     * A datagram with one data flowset (RFC 3954 s5.3) of {@code bytes.length} records against
     * {@code templateId}; record i has IN_BYTES = bytes[i] and IN_PKTS = 1.
     */
    public static byte[] data(final int sourceId, final int sequence, final int templateId, final int... bytes)
    {
        final int setLength = 4 + bytes.length * RECORD_LENGTH;
        final ByteBuffer b = ByteBuffer.allocate(20 + setLength);
        header(b, bytes.length, sequence, sourceId);
        b.putShort((short)templateId); // flowset ID = template ID
        b.putShort((short)setLength);  // flowset length, header included
        for (final int v : bytes)
        {
            b.putInt(v);               // IN_BYTES
            b.putInt(1);               // IN_PKTS
        }
        return b.array();
    }

    private static void header(final ByteBuffer b, final int count, final int sequence, final int sourceId)
    {
        b.putShort((short)9);          // version
        b.putShort((short)count);      // count of records (templates + data) in the datagram
        b.putInt(60_000);              // sysUptime, ms
        b.putInt(1_700_000_000);       // unix secs
        b.putInt(sequence);            // package sequence
        b.putInt(sourceId);            // source ID
    }
}
