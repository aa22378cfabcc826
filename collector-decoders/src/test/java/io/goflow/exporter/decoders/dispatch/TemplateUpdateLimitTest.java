package io.goflow.exporter.decoders.dispatch;

import io.goflow.exporter.decoders.api.DatagramSource;
import io.goflow.exporter.decoders.api.DecodeCounters;
import io.goflow.exporter.decoders.api.DecodeError;
import io.goflow.exporter.decoders.api.DecoderSettings;
import io.goflow.exporter.decoders.api.FlowRecord;
import io.goflow.exporter.decoders.api.FlowType;
import io.goflow.exporter.decoders.api.ListenerProtocol;
import io.goflow.exporter.decoders.template.RecordingSink;
import io.goflow.exporter.decoders.template.StateBudget;
import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12, template-churn protection: {@code template_updates_per_second} limits new and changed
 * templates (and IPFIX withdrawals) per stream, never identical re-sends and never data. Time is
 * the receive time given to {@link DatagramDecoder#decode}, stepped explicitly.
 *
 * <p>Most tests run with {@code max_templates_per_exporter: 16} and {@code template_updates_per_second: 10}:
 * a burst of 2 x 16 = 32 updates, then one every 100 ms. The template is one of two definitions of
 * the same 12 bytes (RFC 7011 IE 7 sourceTransportPort, 11 destinationTransportPort, 1
 * octetDeltaCount, 2 packetDeltaCount; v9 uses the same type numbers, RFC 3954 section 8), so a
 * record tells which definition decoded it: A reads {@link #RECORD} as ports 80 -> 443, 1000 bytes,
 * 10 packets; B as ports 443 -> 80, 10 bytes, 1000 packets.
 */
class TemplateUpdateLimitTest
{
    private static final long SEC = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000L * SEC;
    private static final long EXPORTER_LO = FlowRecord.ipv4MappedLo(0xC000_0201);
    private static final long OTHER_EXPORTER_LO = FlowRecord.ipv4MappedLo(0xC000_0202);
    private static final int DOMAIN = 7;
    private static final int TEMPLATE_ID = 256;
    private static final int BURST = 32;
    private static final long INTERVAL_NS = 100 * MS;
    private static final int[] A = {7, 2, 11, 2, 1, 4, 2, 4};
    private static final int[] B = {11, 2, 7, 2, 2, 4, 1, 4};
    /** Ports 0x0050, 0x01BB; counters 1000, 10. */
    private static final String RECORD = "0050 01BB 000003E8 0000000A";

    private final DatagramSource source = new DatagramSource();
    private final DecodeCounters counters = new DecodeCounters();
    private final RecordingSink sink = new RecordingSink();
    private DecoderSettings settings = limited(10);
    private DatagramDecoder decoder = new DatagramDecoder(settings, counters);

    private static DecoderSettings limited(final int updatesPerSecond)
    {
        final DecoderSettings d = DecoderSettings.defaults();
        return new DecoderSettings(false, d.maxExporters(), 16, d.templateTimeoutNs(), d.pendingBytesPerExporter(),
            d.pendingTimeoutNs(), d.maxRecordsPerDatagram(), 0, Map.of(), d.maxStreamsPerAddress(),
            d.templateBytesTotal(), d.templateBytesPerAddress(), d.pendingBytesTotal(), updatesPerSecond);
    }

    private void use(final DecoderSettings s)
    {
        settings = s;
        decoder = new DatagramDecoder(s, counters);
    }

    /** IPFIX message header (RFC 7011 section 3.1); {@link #send} patches the length. */
    private static ByteFixture ipfix(final int domain)
    {
        return new ByteFixture().u16(10).u16(0).u32(T0 / SEC).u32(0).u32(domain);
    }

    /** NetFlow v9 header (RFC 3954 section 5.1); the count field is not checked against the sets. */
    private static ByteFixture v9(final int sourceId)
    {
        return new ByteFixture().u16(9).u16(1).u32(1000).u32(T0 / SEC).u32(0).u32(sourceId);
    }

    /** A template set (IPFIX set id 2, v9 flowset id 0) with one template of (type, length) pairs. */
    private static ByteFixture template(final ByteFixture w, final boolean v9, final int templateId, final int[] fields)
    {
        w.u16(v9 ? 0 : 2).u16(8 + 2 * fields.length).u16(templateId).u16(fields.length / 2);
        for (final int f : fields)
        {
            w.u16(f);
        }
        return w;
    }

    /** IPFIX template withdrawal (RFC 7011 section 8.1: field count 0). */
    private static ByteFixture withdrawal(final ByteFixture w, final int templateId)
    {
        return w.u16(2).u16(8).u16(templateId).u16(0);
    }

    private static ByteFixture data(final ByteFixture w)
    {
        return w.u16(TEMPLATE_ID).u16(4 + 12).hex(RECORD);
    }

    private void send(final ByteFixture w, final long addrLo, final long nowNs)
    {
        final byte[] b = w.toArray();
        if (b[1] == 10)
        {
            b[2] = (byte)(b.length >>> 8);
            b[3] = (byte)b.length;
        }
        decoder.decode(
            source.set(ListenerProtocol.AUTO, 0, addrLo, 4739, nowNs), new UnsafeBuffer(b), 0, b.length, sink);
    }

    private long refused(final FlowType type)
    {
        return counters.errors(type, DecodeError.TEMPLATE_RATE);
    }

    /** Asserts the last record decoded with definition A (true) or B (false). */
    private void assertLastRecordDecodedWith(final boolean a)
    {
        final FlowRecord r = sink.flow(sink.flows.size() - 1);
        assertEquals(a ? 80 : 443, r.srcPort);
        assertEquals(a ? 443 : 80, r.dstPort);
        assertEquals(a ? 1000 : 10, r.bytes);
        assertEquals(a ? 10 : 1000, r.packets);
    }

    /**
     * 41 messages 1 ms apart alternate definitions A and B of template 256. Each of the first 32 is
     * an update (A new, then each a change) and fits the burst; the 33rd (A) is refused, so B stays
     * and every later B is an identical re-send (free), every later A refused: 5 refusals. The data
     * set in the last message, behind a refused A, decodes with B.
     */
    @Test
    void shouldRefuseChurnBeyondTheBurstAndKeepDecodingDataWithTheOldDefinition()
    {
        churn41(false);
        assertEquals(5, refused(FlowType.IPFIX));
        assertEquals(5, decoder.exporters().budget().refusals(StateBudget.Limit.TEMPLATE_UPDATES_PER_SECOND));
        assertEquals(1, sink.flows.size());
        assertLastRecordDecodedWith(false);
        assertEquals("ipfix 192.0.2.1 domain 7", decoder.exporters().lastTemplateRateRefusal());
    }

    /** The same churn over NetFlow v9: the limit sits in the template store both decoders share. */
    @Test
    void shouldRefuseV9ChurnBeyondTheBurst()
    {
        churn41(true);
        assertEquals(5, refused(FlowType.NETFLOW_V9));
        assertEquals(1, sink.flows.size());
        assertLastRecordDecodedWith(false);
    }

    /** 41 messages 1 ms apart alternating A and B, the last with a data set. */
    private void churn41(final boolean v9)
    {
        for (int k = 0; k <= 40; k++)
        {
            final ByteFixture w = template(v9 ? v9(DOMAIN) : ipfix(DOMAIN), v9, TEMPLATE_ID, k % 2 == 0 ? A : B);
            send(k == 40 ? data(w) : w, EXPORTER_LO, T0 + k * MS);
        }
    }

    /**
     * 100,000 messages 1 µs apart, each re-sending all 8 templates and 8 options templates unchanged
     * with a data set: 1.6 million re-sends in 0.1 s, none an update, none refused, every record
     * decoded. The boot (16 new templates at T0) spent 16 of the 32 and 0.1 s gave one back, so
     * exactly 17 updates are left afterwards: the re-sends spent nothing.
     */
    @Test
    void shouldNeverLimitIdenticalResends()
    {
        final ByteFixture w = ipfix(DOMAIN);
        for (int t = 0; t < 8; t++)
        {
            template(w, false, TEMPLATE_ID + t, A);
        }
        for (int t = 0; t < 8; t++)
        {
            // options template set (id 3): template id, field count 2, scope count 1, IE 149, IE 34
            w.u16(3).u16(4 + 6 + 8).u16(TEMPLATE_ID + 8 + t).u16(2).u16(1).u16(149).u16(4).u16(34).u16(4);
        }
        data(w);
        for (int i = 0; i < 100_000; i++)
        {
            send(w, EXPORTER_LO, T0 + i * 1000L);
        }
        assertEquals(0, refused(FlowType.IPFIX));
        assertEquals(0, counters.errors(FlowType.IPFIX, DecodeError.TEMPLATE_LIMIT));
        assertEquals(100_000, sink.flows.size());
        assertLastRecordDecodedWith(true);

        final long later = T0 + INTERVAL_NS;
        for (int t = 0; t < 17; t++)
        {
            send(template(ipfix(DOMAIN), false, TEMPLATE_ID + t % 8, t < 8 || t == 16 ? B : A), EXPORTER_LO, later);
        }
        assertEquals(0, refused(FlowType.IPFIX), "re-sends spent nothing: 32 - 16 + 1 updates are left");
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID + 1, B), EXPORTER_LO, later);
        assertEquals(1, refused(FlowType.IPFIX), "and no more");
    }

    /**
     * Defaults ({@code max_templates_per_exporter} 1024, 100 updates/s, burst 2048): a router that
     * boots and announces 1,024 templates, then redefines them all in the same instant, is never
     * limited; the 2,049th update is.
     */
    @Test
    void shouldLetARouterBootAndRedefineEveryTemplateUnderTheDefaults()
    {
        use(DecoderSettings.defaults());
        for (int round = 0; round < 2; round++)
        {
            for (int t = 0; t < 1024; t++)
            {
                send(template(ipfix(DOMAIN), false, TEMPLATE_ID + t, round == 0 ? A : B), EXPORTER_LO, T0);
            }
        }
        assertEquals(0, refused(FlowType.IPFIX));
        assertEquals(0, counters.errors(FlowType.IPFIX, DecodeError.TEMPLATE_LIMIT));
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID, A), EXPORTER_LO, T0);
        assertEquals(1, refused(FlowType.IPFIX));
    }

    /**
     * Tokens refill at the configured rate, measured on the receive times: after the burst is spent
     * at T0, an update 99 ms later is refused, one at 100 ms accepted, the next at once refused; after
     * 32 intervals the whole burst is back.
     */
    @Test
    void shouldRefillAtTheConfiguredRate()
    {
        for (int k = 0; k < BURST; k++)
        {
            send(template(ipfix(DOMAIN), false, TEMPLATE_ID, k % 2 == 0 ? A : B), EXPORTER_LO, T0);
        }
        assertEquals(0, refused(FlowType.IPFIX));
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID, A), EXPORTER_LO, T0 + INTERVAL_NS - MS);
        assertEquals(1, refused(FlowType.IPFIX));
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID, A), EXPORTER_LO, T0 + INTERVAL_NS);
        assertEquals(1, refused(FlowType.IPFIX));
        send(data(template(ipfix(DOMAIN), false, TEMPLATE_ID, B)), EXPORTER_LO, T0 + INTERVAL_NS);
        assertEquals(2, refused(FlowType.IPFIX));
        assertLastRecordDecodedWith(true);

        final long refilled = T0 + (BURST + 1) * INTERVAL_NS;
        for (int k = 0; k < BURST; k++)
        {
            send(template(ipfix(DOMAIN), false, TEMPLATE_ID, k % 2 == 0 ? B : A), EXPORTER_LO, refilled);
        }
        assertEquals(2, refused(FlowType.IPFIX));
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID, B), EXPORTER_LO, refilled);
        assertEquals(3, refused(FlowType.IPFIX));
    }

    /** The epoch clock stepping back an hour costs at most one interval, not an hour, of updates. */
    @Test
    void shouldRecoverWithinOneIntervalWhenTheClockStepsBack()
    {
        for (int k = 0; k <= BURST; k++)
        {
            send(template(ipfix(DOMAIN), false, TEMPLATE_ID, k % 2 == 0 ? A : B), EXPORTER_LO, T0);
        }
        assertEquals(1, refused(FlowType.IPFIX));
        final long back = T0 - 3600 * SEC;
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID, A), EXPORTER_LO, back);
        assertEquals(2, refused(FlowType.IPFIX));
        send(data(template(ipfix(DOMAIN), false, TEMPLATE_ID, A)), EXPORTER_LO, back + INTERVAL_NS);
        assertEquals(2, refused(FlowType.IPFIX));
        assertLastRecordDecodedWith(true);
    }

    /**
     * One v9 exporter spends its burst and is refused; at the same instant another exporter address,
     * and another source id of the same address (another stream), make their full burst.
     */
    @Test
    void shouldNotLimitOtherStreamsWhenOneChurns()
    {
        for (int k = 0; k <= BURST; k++)
        {
            send(template(v9(DOMAIN), true, TEMPLATE_ID, k % 2 == 0 ? A : B), EXPORTER_LO, T0);
        }
        assertEquals(1, refused(FlowType.NETFLOW_V9));
        for (int k = 0; k < BURST; k++)
        {
            send(template(v9(DOMAIN), true, TEMPLATE_ID, k % 2 == 0 ? A : B), OTHER_EXPORTER_LO, T0);
            send(template(v9(DOMAIN + 1), true, TEMPLATE_ID, k % 2 == 0 ? A : B), EXPORTER_LO, T0);
        }
        assertEquals(1, refused(FlowType.NETFLOW_V9));
        send(data(v9(DOMAIN)), OTHER_EXPORTER_LO, T0);
        assertLastRecordDecodedWith(false);
        send(data(v9(DOMAIN)), EXPORTER_LO, T0);
        assertLastRecordDecodedWith(false);
    }

    /**
     * IPFIX withdrawals are updates: define 256 as B, change it to A, then withdraw and redefine it
     * in turn at one instant. The 33rd update is a withdrawal: refused, A stays and its data decodes.
     */
    @Test
    void shouldCountWithdrawalsAsUpdatesAndKeepTheTemplateWhenRefused()
    {
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID, B), EXPORTER_LO, T0);
        send(template(ipfix(DOMAIN), false, TEMPLATE_ID, A), EXPORTER_LO, T0);
        for (int k = 3; k <= BURST + 1; k++)
        {
            final ByteFixture w = ipfix(DOMAIN);
            send(k % 2 == 1 ? withdrawal(w, TEMPLATE_ID) : template(w, false, TEMPLATE_ID, A), EXPORTER_LO, T0);
        }
        assertEquals(1, refused(FlowType.IPFIX));
        send(withdrawal(ipfix(DOMAIN), TEMPLATE_ID + 1), EXPORTER_LO, T0);
        assertEquals(1, refused(FlowType.IPFIX), "withdrawing an unknown template changes nothing and costs nothing");
        send(data(ipfix(DOMAIN)), EXPORTER_LO, T0);
        assertEquals(1, sink.flows.size());
        assertLastRecordDecodedWith(true);
    }

    /** {@code template_updates_per_second: 0} disables the limit. */
    @Test
    void shouldNotLimitWhenRateIsZero()
    {
        use(limited(0));
        for (int k = 0; k < 10_000; k++)
        {
            send(template(ipfix(DOMAIN), false, TEMPLATE_ID, k % 2 == 0 ? A : B), EXPORTER_LO, T0);
        }
        assertEquals(0, refused(FlowType.IPFIX));
        send(data(ipfix(DOMAIN)), EXPORTER_LO, T0);
        assertLastRecordDecodedWith(false);
    }
}
