package io.goflow.exporter.tools.pcap;

import static io.goflow.exporter.tools.pcap.PcapDescriptor.*;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads the UDP datagrams of a classic pcap or pcapng capture, without copying: the file is mapped
 * and each {@link #next(UdpDatagram)} points the caller's {@link UdpDatagram} at the payload.
 *
 * <p>Formats: classic pcap in either byte order with microsecond or nanosecond timestamps; pcapng
 * with any number of sections (each with its own byte order) and interfaces (each with its own
 * link type, snap length, {@code if_tsresol} and {@code if_tsoffset}), enhanced, simple and
 * obsolete packet blocks. Link types: null/loopback (0, 108), Ethernet (1) with any stack of
 * 802.1Q / 802.1ad / 0x9100 tags, raw IP (101, 12, 14, 228, 229), Linux cooked SLL (113) and
 * SLL2 (276). Network: IPv4 honouring IHL, IPv6 walking hop-by-hop, routing, fragment,
 * destination-options and AH headers.
 *
 * <p>What is not a whole UDP datagram is skipped and counted: non-IP frames, non-UDP packets,
 * IP fragments (a first fragment is kept only when it holds the whole UDP datagram; there is no
 * reassembly), frames cut by the snap length, malformed headers and unsupported link types. A
 * capture truncated mid-record ends the iteration and is counted in {@link #truncatedRecords()}.
 *
 * <p>Not thread-safe. Captures up to 2 GiB.
 */
public final class PcapReader implements AutoCloseable
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MAX_INTERFACES = 1024;

    private final UnsafeBuffer buffer;
    private final MappedByteBuffer mapped;
    private final int limit;
    private final boolean pcapng;
    private ByteOrder order;
    private int position;

    private int classicLinkType;
    private boolean classicNanos;

    private int interfaceCount;
    private final int[] ifLinkType = new int[MAX_INTERFACES];
    private final int[] ifSnapLength = new int[MAX_INTERFACES];
    private final long[] ifUnitsPerSecond = new long[MAX_INTERFACES];
    private final long[] ifOffsetSeconds = new long[MAX_INTERFACES];

    private int frameOffset;
    private int frameLength;
    private int frameLinkType;
    private long frameTimestampNs;

    private long frames;
    private long datagrams;
    private long nonIp;
    private long nonUdp;
    private long fragments;
    private long snapTruncated;
    private long malformed;
    private long unsupportedLinkType;
    private long truncatedRecords;

    private PcapReader(final UnsafeBuffer buffer, final MappedByteBuffer mapped, final int offset, final int length)
        throws IOException
    {
        this.buffer = buffer;
        this.mapped = mapped;
        this.limit = offset + length;
        if (length < PCAPNG_BLOCK_MIN_LENGTH)
        {
            throw new IOException("not a pcap or pcapng capture: " + length + " bytes");
        }
        final int magicBe = buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
        final int magicLe = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
        if (magicBe == PCAPNG_SHB)
        {
            pcapng = true;
            position = offset;
        }
        else if (magicBe == PCAP_MAGIC_US || magicBe == PCAP_MAGIC_NS
            || magicLe == PCAP_MAGIC_US || magicLe == PCAP_MAGIC_NS)
        {
            if (length < PCAP_FILE_HEADER_LENGTH)
            {
                throw new IOException("pcap file header truncated");
            }
            pcapng = false;
            final boolean big = magicBe == PCAP_MAGIC_US || magicBe == PCAP_MAGIC_NS;
            order = big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            classicNanos = (big ? magicBe : magicLe) == PCAP_MAGIC_NS;
            classicLinkType = buffer.getInt(offset + PCAP_LINKTYPE_OFFSET, order) & 0xFFFF;
            position = offset + PCAP_FILE_HEADER_LENGTH;
        }
        else
        {
            throw new IOException(String.format("not a pcap or pcapng capture: magic %08x", magicBe));
        }
    }

    /**
     * Maps {@code path} read-only.
     *
     * @throws IOException when the file cannot be read or is not a pcap/pcapng capture; its message
     *                     names {@code path} once, with the reason ({@code "PATH: no such file"}).
     */
    public static PcapReader open(final Path path) throws IOException
    {
        if (Files.isDirectory(path))
        {
            throw new IOException(path + ": is a directory, not a file");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE)
            {
                throw new IOException("capture larger than 2 GiB: " + path);
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try
            {
                return new PcapReader(new UnsafeBuffer(mapped), mapped, 0, (int)size);
            }
            catch (final IOException ex)
            {
                IoUtil.unmap(mapped);
                throw new IOException(ex.getMessage() + ": " + path, ex);
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new IOException(path + ": no such file", ex);
        }
        catch (final AccessDeniedException ex)
        {
            throw new IOException(path + ": permission denied", ex);
        }
    }

    /**
     * Reads a capture held in memory; {@code buffer} must stay unchanged while the reader is used.
     *
     * @throws IOException when the bytes are not a pcap/pcapng capture.
     */
    public static PcapReader wrap(final DirectBuffer buffer, final int offset, final int length) throws IOException
    {
        final UnsafeBuffer view = new UnsafeBuffer(buffer, offset, length);
        return new PcapReader(view, null, 0, length);
    }

    /**
     * Advances to the next UDP datagram of the capture.
     *
     * @param out filled with a view of the datagram; untouched when this returns false.
     * @return false at the end of the capture.
     */
    public boolean next(final UdpDatagram out)
    {
        while (pcapng ? nextPcapngFrame() : nextClassicFrame())
        {
            frames++;
            if (decodeFrame(out))
            {
                datagrams++;
                out.frameNumber = frames;
                out.timestampNs = frameTimestampNs;
                return true;
            }
        }
        return false;
    }

    private boolean nextClassicFrame()
    {
        if (position >= limit)
        {
            return false;
        }
        if (limit - position < PCAP_RECORD_HEADER_LENGTH)
        {
            truncatedRecords++;
            position = limit;
            return false;
        }
        final long seconds = buffer.getInt(position, order) & 0xFFFF_FFFFL;
        final long fraction = buffer.getInt(position + 4, order) & 0xFFFF_FFFFL;
        final long capturedLength = buffer.getInt(position + 8, order) & 0xFFFF_FFFFL;
        final int dataOffset = position + PCAP_RECORD_HEADER_LENGTH;
        if (capturedLength > limit - dataOffset)
        {
            truncatedRecords++;
            position = limit;
            return false;
        }
        frameOffset = dataOffset;
        frameLength = (int)capturedLength;
        frameLinkType = classicLinkType;
        frameTimestampNs = seconds * NANOS_PER_SECOND + (classicNanos ? fraction : fraction * 1000);
        position = dataOffset + frameLength;
        return true;
    }

    private boolean nextPcapngFrame()
    {
        while (position < limit)
        {
            final int remaining = limit - position;
            if (remaining < PCAPNG_BLOCK_MIN_LENGTH)
            {
                truncatedRecords++;
                position = limit;
                return false;
            }
            final int rawType = buffer.getInt(position, ByteOrder.BIG_ENDIAN);
            if (rawType == PCAPNG_SHB)
            {
                if (!readSectionHeader(remaining))
                {
                    return false;
                }
                continue;
            }
            if (order == null)
            {
                truncatedRecords++;
                position = limit;
                return false;
            }
            final int type = buffer.getInt(position, order);
            final long blockLength = buffer.getInt(position + 4, order) & 0xFFFF_FFFFL;
            if (blockLength < PCAPNG_BLOCK_MIN_LENGTH || blockLength > remaining || (blockLength & 3) != 0)
            {
                truncatedRecords++;
                position = limit;
                return false;
            }
            final int block = position;
            final int bodyEnd = block + (int)blockLength - 4;
            position = block + (int)blockLength;
            if (type == PCAPNG_IDB)
            {
                readInterface(block + 8, bodyEnd);
            }
            else if (type == PCAPNG_EPB || type == PCAPNG_PB)
            {
                if (readPacketBlock(type, block + 8, bodyEnd))
                {
                    return true;
                }
            }
            else if (type == PCAPNG_SPB)
            {
                if (readSimplePacket(block + 8, bodyEnd))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean readSectionHeader(final int remaining)
    {
        if (remaining < 28)
        {
            truncatedRecords++;
            position = limit;
            return false;
        }
        final int magicBe = buffer.getInt(position + 8, ByteOrder.BIG_ENDIAN);
        if (magicBe == PCAPNG_BYTE_ORDER_MAGIC)
        {
            order = ByteOrder.BIG_ENDIAN;
        }
        else if (Integer.reverseBytes(magicBe) == PCAPNG_BYTE_ORDER_MAGIC)
        {
            order = ByteOrder.LITTLE_ENDIAN;
        }
        else
        {
            malformed++;
            position = limit;
            return false;
        }
        final long blockLength = buffer.getInt(position + 4, order) & 0xFFFF_FFFFL;
        if (blockLength < 28 || blockLength > remaining || (blockLength & 3) != 0)
        {
            truncatedRecords++;
            position = limit;
            return false;
        }
        interfaceCount = 0;
        position += (int)blockLength;
        return true;
    }

    private void readInterface(final int body, final int bodyEnd)
    {
        if (bodyEnd - body < 8 || interfaceCount == MAX_INTERFACES)
        {
            malformed++;
            return;
        }
        final int i = interfaceCount++;
        ifLinkType[i] = buffer.getShort(body, order) & 0xFFFF;
        ifSnapLength[i] = buffer.getInt(body + 4, order);
        ifUnitsPerSecond[i] = 1_000_000L;
        ifOffsetSeconds[i] = 0;
        int option = body + 8;
        while (bodyEnd - option >= 4)
        {
            final int code = buffer.getShort(option, order) & 0xFFFF;
            final int length = buffer.getShort(option + 2, order) & 0xFFFF;
            final int value = option + 4;
            if (code == 0 || length > bodyEnd - value)
            {
                break;
            }
            if (code == PCAPNG_OPT_IF_TSRESOL && length >= 1)
            {
                ifUnitsPerSecond[i] = unitsPerSecond(buffer.getByte(value));
            }
            else if (code == PCAPNG_OPT_IF_TSOFFSET && length >= 8)
            {
                ifOffsetSeconds[i] = buffer.getLong(value, order);
            }
            option = value + ((length + 3) & ~3);
        }
    }

    private static long unitsPerSecond(final byte resolution)
    {
        final int exponent = resolution & 0x7F;
        if ((resolution & 0x80) != 0)
        {
            return exponent >= 62 ? 1L << 62 : 1L << exponent;
        }
        long units = 1;
        for (int e = 0; e < exponent && e < 18; e++)
        {
            units *= 10;
        }
        return units;
    }

    private boolean readPacketBlock(final int type, final int body, final int bodyEnd)
    {
        if (bodyEnd - body < 20)
        {
            malformed++;
            return false;
        }
        final int interfaceId = type == PCAPNG_EPB
            ? buffer.getInt(body, order) : buffer.getShort(body, order) & 0xFFFF;
        final long capturedLength = buffer.getInt(body + 12, order) & 0xFFFF_FFFFL;
        if (interfaceId < 0 || interfaceId >= interfaceCount || capturedLength > bodyEnd - body - 20)
        {
            malformed++;
            return false;
        }
        final long high = buffer.getInt(body + 4, order) & 0xFFFF_FFFFL;
        final long low = buffer.getInt(body + 8, order) & 0xFFFF_FFFFL;
        frameOffset = body + 20;
        frameLength = (int)capturedLength;
        frameLinkType = ifLinkType[interfaceId];
        frameTimestampNs = toNanos((high << 32) | low, interfaceId);
        return true;
    }

    private boolean readSimplePacket(final int body, final int bodyEnd)
    {
        if (bodyEnd - body < 4 || interfaceCount == 0)
        {
            malformed++;
            return false;
        }
        final long originalLength = buffer.getInt(body, order) & 0xFFFF_FFFFL;
        long captured = Math.min(originalLength, bodyEnd - body - 4);
        if (ifSnapLength[0] > 0)
        {
            captured = Math.min(captured, ifSnapLength[0]);
        }
        frameOffset = body + 4;
        frameLength = (int)captured;
        frameLinkType = ifLinkType[0];
        frameTimestampNs = 0;
        return true;
    }

    private long toNanos(final long timestamp, final int interfaceId)
    {
        final long units = ifUnitsPerSecond[interfaceId];
        final long seconds = Long.divideUnsigned(timestamp, units);
        final long remainder = Long.remainderUnsigned(timestamp, units);
        final long fractionNs = units == NANOS_PER_SECOND
            ? remainder : (long)((double)remainder * NANOS_PER_SECOND / units);
        return (seconds + ifOffsetSeconds[interfaceId]) * NANOS_PER_SECOND + fractionNs;
    }

    private boolean decodeFrame(final UdpDatagram out)
    {
        final int offset = frameOffset;
        final int length = frameLength;
        switch (frameLinkType)
        {
            case LINKTYPE_ETHERNET:
                return decodeEthernet(out, offset, length);
            case LINKTYPE_LINUX_SLL:
                return decodeEtherType(out, offset, length, SLL_HEADER_LENGTH, SLL_PROTOCOL_OFFSET);
            case LINKTYPE_LINUX_SLL2:
                return decodeEtherType(out, offset, length, SLL2_HEADER_LENGTH, SLL2_PROTOCOL_OFFSET);
            case LINKTYPE_NULL:
            case LINKTYPE_LOOP:
                return decodeNull(out, offset, length, frameLinkType == LINKTYPE_LOOP);
            case LINKTYPE_RAW:
            case LINKTYPE_RAW_BSD12:
            case LINKTYPE_RAW_BSD14:
            case LINKTYPE_IPV4:
            case LINKTYPE_IPV6:
                if (length < 1)
                {
                    malformed++;
                    return false;
                }
                return decodeIp(out, offset, length, (buffer.getByte(offset) >> 4) & 0xF);
            default:
                unsupportedLinkType++;
                return false;
        }
    }

    private boolean decodeEthernet(final UdpDatagram out, final int offset, final int length)
    {
        if (length < ETHERNET_HEADER_LENGTH)
        {
            malformed++;
            return false;
        }
        int etherType = buffer.getShort(offset + ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        int next = offset + ETHERNET_HEADER_LENGTH;
        final int end = offset + length;
        for (int tags = 0; isVlanTag(etherType); tags++)
        {
            if (tags == MAX_VLAN_TAGS || end - next < VLAN_TAG_LENGTH)
            {
                malformed++;
                return false;
            }
            etherType = buffer.getShort(next + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            next += VLAN_TAG_LENGTH;
        }
        return decodeByEtherType(out, etherType, next, end - next);
    }

    private static boolean isVlanTag(final int etherType)
    {
        return etherType == ETHERTYPE_VLAN || etherType == ETHERTYPE_QINQ || etherType == ETHERTYPE_QINQ_OLD;
    }

    private boolean decodeEtherType(
        final UdpDatagram out, final int offset, final int length, final int headerLength, final int protocolOffset)
    {
        if (length < headerLength)
        {
            malformed++;
            return false;
        }
        final int etherType = buffer.getShort(offset + protocolOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        return decodeByEtherType(out, etherType, offset + headerLength, length - headerLength);
    }

    private boolean decodeByEtherType(final UdpDatagram out, final int etherType, final int offset, final int length)
    {
        if (etherType == ETHERTYPE_IPV4)
        {
            return decodeIp(out, offset, length, 4);
        }
        if (etherType == ETHERTYPE_IPV6)
        {
            return decodeIp(out, offset, length, 6);
        }
        nonIp++;
        return false;
    }

    private boolean decodeNull(final UdpDatagram out, final int offset, final int length, final boolean networkOrder)
    {
        if (length < NULL_HEADER_LENGTH)
        {
            malformed++;
            return false;
        }
        int family = buffer.getInt(offset, networkOrder ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (!networkOrder && (family & 0xFFFF_0000) != 0)
        {
            family = Integer.reverseBytes(family);
        }
        final int ipOffset = offset + NULL_HEADER_LENGTH;
        final int ipLength = length - NULL_HEADER_LENGTH;
        switch (family)
        {
            case 2:
                return decodeIp(out, ipOffset, ipLength, 4);
            case 10:
            case 24:
            case 28:
            case 30:
                return decodeIp(out, ipOffset, ipLength, 6);
            default:
                nonIp++;
                return false;
        }
    }

    private boolean decodeIp(final UdpDatagram out, final int offset, final int length, final int version)
    {
        if (version == 4)
        {
            return decodeIpv4(out, offset, length);
        }
        if (version == 6)
        {
            return decodeIpv6(out, offset, length);
        }
        nonIp++;
        return false;
    }

    private boolean decodeIpv4(final UdpDatagram out, final int offset, final int length)
    {
        if (length < IPV4_MIN_HEADER_LENGTH)
        {
            malformed++;
            return false;
        }
        final int versionIhl = buffer.getByte(offset) & 0xFF;
        final int headerLength = (versionIhl & 0xF) * 4;
        final int totalLength = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((versionIhl >> 4) != 4 || headerLength < IPV4_MIN_HEADER_LENGTH || totalLength < headerLength)
        {
            malformed++;
            return false;
        }
        if (totalLength > length)
        {
            snapTruncated++;
            return false;
        }
        final int flagsFragment = buffer.getShort(offset + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if ((flagsFragment & 0x1FFF) != 0)
        {
            fragments++;
            return false;
        }
        if ((buffer.getByte(offset + 9) & 0xFF) != PROTO_UDP)
        {
            nonUdp++;
            return false;
        }
        out.ipVersion = 4;
        out.srcAddrHi = 0;
        out.srcAddrLo = IPV4_MAPPED_PREFIX | (buffer.getInt(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
        out.dstAddrHi = 0;
        out.dstAddrLo = IPV4_MAPPED_PREFIX | (buffer.getInt(offset + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
        return decodeUdp(out, offset + headerLength, totalLength - headerLength, (flagsFragment & 0x2000) != 0);
    }

    private boolean decodeIpv6(final UdpDatagram out, final int offset, final int length)
    {
        if (length < IPV6_HEADER_LENGTH)
        {
            malformed++;
            return false;
        }
        final int payloadLength = buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (((buffer.getByte(offset) >> 4) & 0xF) != 6 || payloadLength == 0)
        {
            malformed++;
            return false;
        }
        if (payloadLength > length - IPV6_HEADER_LENGTH)
        {
            snapTruncated++;
            return false;
        }
        final int end = offset + IPV6_HEADER_LENGTH + payloadLength;
        int next = buffer.getByte(offset + 6) & 0xFF;
        int header = offset + IPV6_HEADER_LENGTH;
        boolean firstFragment = false;
        for (int i = 0; i < IPV6_MAX_EXTENSION_HEADERS && next != PROTO_UDP; i++)
        {
            if (end - header < 8)
            {
                malformed++;
                return false;
            }
            final int headerNext = buffer.getByte(header) & 0xFF;
            final int headerLength;
            switch (next)
            {
                case IPV6_HOP_BY_HOP:
                case IPV6_ROUTING:
                case IPV6_DEST_OPTIONS:
                    headerLength = ((buffer.getByte(header + 1) & 0xFF) + 1) * 8;
                    break;
                case IPV6_AH:
                    headerLength = ((buffer.getByte(header + 1) & 0xFF) + 2) * 4;
                    break;
                case IPV6_FRAGMENT:
                    final int offsetFlags = buffer.getShort(header + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                    if ((offsetFlags & 0xFFF8) != 0)
                    {
                        fragments++;
                        return false;
                    }
                    firstFragment = (offsetFlags & 1) != 0;
                    headerLength = 8;
                    break;
                default:
                    nonUdp++;
                    return false;
            }
            if (headerLength > end - header)
            {
                malformed++;
                return false;
            }
            header += headerLength;
            next = headerNext;
        }
        if (next != PROTO_UDP)
        {
            nonUdp++;
            return false;
        }
        out.ipVersion = 6;
        out.srcAddrHi = buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN);
        out.srcAddrLo = buffer.getLong(offset + 16, ByteOrder.BIG_ENDIAN);
        out.dstAddrHi = buffer.getLong(offset + 24, ByteOrder.BIG_ENDIAN);
        out.dstAddrLo = buffer.getLong(offset + 32, ByteOrder.BIG_ENDIAN);
        return decodeUdp(out, header, end - header, firstFragment);
    }

    private boolean decodeUdp(final UdpDatagram out, final int offset, final int length, final boolean firstFragment)
    {
        if (length < UDP_HEADER_LENGTH)
        {
            if (firstFragment)
            {
                fragments++;
            }
            else
            {
                malformed++;
            }
            return false;
        }
        final int udpLength = buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (udpLength < UDP_HEADER_LENGTH)
        {
            malformed++;
            return false;
        }
        if (udpLength > length)
        {
            if (firstFragment)
            {
                fragments++;
            }
            else
            {
                malformed++;
            }
            return false;
        }
        out.buffer = buffer;
        out.srcPort = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        out.dstPort = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        out.payloadOffset = offset + UDP_HEADER_LENGTH;
        out.payloadLength = udpLength - UDP_HEADER_LENGTH;
        return true;
    }

    /** Frames (packet records) read so far. */
    public long frames()
    {
        return frames;
    }

    /** UDP datagrams returned so far. */
    public long datagrams()
    {
        return datagrams;
    }

    /** Frames that carried neither IPv4 nor IPv6. */
    public long nonIp()
    {
        return nonIp;
    }

    /** IP packets that were not UDP. */
    public long nonUdp()
    {
        return nonUdp;
    }

    /** IP fragments skipped: every non-first fragment, and first fragments without the whole datagram. */
    public long fragments()
    {
        return fragments;
    }

    /** Packets whose IP length exceeds what was captured (snap length). */
    public long snapTruncated()
    {
        return snapTruncated;
    }

    /** Frames with an inconsistent link, IP or UDP header, or a malformed pcapng block. */
    public long malformed()
    {
        return malformed;
    }

    /** Frames of a link type this reader does not decode. */
    public long unsupportedLinkType()
    {
        return unsupportedLinkType;
    }

    /** 1 when the capture ends inside a record or block (iteration stopped there), else 0. */
    public long truncatedRecords()
    {
        return truncatedRecords;
    }

    /** Frames read but not returned as datagrams, whatever the reason. */
    public long skipped()
    {
        return frames - datagrams;
    }

    @Override
    public void close()
    {
        if (mapped != null)
        {
            IoUtil.unmap(mapped);
        }
    }
}
