package io.goflow.exporter.enrich.network;

import io.goflow.exporter.config.NetworkSettings;
import io.goflow.exporter.decoders.api.FlowRecord;

import java.util.List;

/**
 * One immutable version of the networks list: an IPv4 and an IPv6 {@link PrefixTrie} whose values
 * are entry numbers, and per entry the {@link LabelStrings} ids of its name and attribute values.
 * A reload builds a new table and swaps it in whole ({@link Networks}), so a record is classified by
 * exactly one version.
 *
 * <h2>Attributes</h2>
 * Only the attributes some view groups by are kept, in the order given at build time; an entry
 * without a value for one has the empty label there.
 *
 * <p>Thread-safe: immutable; {@link #lookup} allocates nothing.
 */
public final class NetworkTable
{
    /** Largest number of entries in one networks list. */
    public static final int MAX_ENTRIES = 1_000_000;
    /** Largest memory of both tries of one version, bytes. */
    public static final long MAX_TRIE_BYTES = 256L << 20;

    private static final NetworkTable EMPTY = new NetworkTable(
        new PrefixTrie.Builder(32, MAX_TRIE_BYTES).build(), new PrefixTrie.Builder(128, MAX_TRIE_BYTES).build(),
        new int[0], new int[0], 0);

    private final PrefixTrie ipv4;
    private final PrefixTrie ipv6;
    private final int[] nameIds;
    private final int[] attributeIds;
    private final int attributeCount;

    private NetworkTable(
        final PrefixTrie ipv4, final PrefixTrie ipv6, final int[] nameIds, final int[] attributeIds,
        final int attributeCount)
    {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.nameIds = nameIds;
        this.attributeIds = attributeIds;
        this.attributeCount = attributeCount;
    }

    /** @return a table without networks. */
    public static NetworkTable empty()
    {
        return EMPTY;
    }

    /**
     * @param attributes attribute names kept, in the order of {@link #attributeValueId}'s index.
     * @throws IllegalArgumentException when there are more than {@link #MAX_ENTRIES} entries, the
     *         tries would exceed {@link #MAX_TRIE_BYTES}, or the label strings are full.
     */
    public static NetworkTable build(
        final List<NetworkSettings> networks, final List<String> attributes, final LabelStrings strings)
    {
        if (networks.size() > MAX_ENTRIES)
        {
            throw new IllegalArgumentException(networks.size() + " networks, more than " + MAX_ENTRIES);
        }
        final PrefixTrie.Builder v4 = new PrefixTrie.Builder(32, MAX_TRIE_BYTES);
        final PrefixTrie.Builder v6 = new PrefixTrie.Builder(128, MAX_TRIE_BYTES);
        final int[] nameIds = new int[networks.size()];
        final int[] attributeIds = new int[networks.size() * attributes.size()];
        for (int i = 0; i < networks.size(); i++)
        {
            final NetworkSettings n = networks.get(i);
            (n.ipv4() ? v4 : v6).add(n.hi(), n.lo(), n.length(), i + 1);
            nameIds[i] = internOrThrow(strings, n.name());
            for (int a = 0; a < attributes.size(); a++)
            {
                final String value = n.attributes().get(attributes.get(a));
                attributeIds[i * attributes.size() + a] = value == null || value.isEmpty() ? 0 :
                    internOrThrow(strings, value) + 1;
            }
        }
        final PrefixTrie trie4 = v4.build();
        final PrefixTrie trie6 = buildWithin(v6, trie4);
        return new NetworkTable(trie4, trie6, nameIds, attributeIds, attributes.size());
    }

    private static PrefixTrie buildWithin(final PrefixTrie.Builder v6, final PrefixTrie trie4)
    {
        final PrefixTrie trie6 = v6.build();
        if (trie4.memoryBytes() + trie6.memoryBytes() > MAX_TRIE_BYTES)
        {
            throw new IllegalArgumentException("networks need " + (trie4.memoryBytes() + trie6.memoryBytes()) +
                " bytes of prefix trie, more than " + MAX_TRIE_BYTES);
        }
        return trie6;
    }

    private static int internOrThrow(final LabelStrings strings, final String text)
    {
        final int id = strings.intern(text);
        if (id == LabelStrings.NONE)
        {
            throw new IllegalArgumentException("label strings full (" + strings.size() + " held)");
        }
        return id;
    }

    /**
     * @return the entry of the longest network holding the address (128 bits, IPv4-mapped as in
     * {@link FlowRecord}), or -1 when none does.
     */
    public int lookup(final long hi, final long lo)
    {
        if (FlowRecord.isIpv4Mapped(hi, lo))
        {
            return ipv4.lookup(lo << 32, 0) - 1;
        }
        return ipv6.lookup(hi, lo) - 1;
    }

    /** @return the {@link LabelStrings} id of the entry's name. */
    public int nameId(final int entry)
    {
        return nameIds[entry];
    }

    /** @return the {@link LabelStrings} id plus one of the entry's value of attribute {@code attribute}, or 0. */
    public int attributeValueId(final int entry, final int attribute)
    {
        return attributeIds[entry * attributeCount + attribute];
    }

    /** @return the number of networks. */
    public int size()
    {
        return nameIds.length;
    }

    /** @return bytes held by the tries and id arrays. */
    public long memoryBytes()
    {
        return ipv4.memoryBytes() + ipv6.memoryBytes() + 4L * nameIds.length + 4L * attributeIds.length;
    }
}
