package io.goflow.exporter.acceptance;

import org.apache.logging.log4j.layout.template.json.util.JsonReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query of {@code docs/queries.md} and every panel query of
 * {@code grafana/goflow-exporter.json} against a real Prometheus scraping a collector of the built
 * distribution; the ones the truth files can check are compared with them.
 *
 * <p>Data: two identical passes of softflowd v9 (unsampled and 1-in-10), a MikroTik IPFIX capture, two sFlow counter-sample
 * captures, {@link SyntheticExports#GEO_FLOWS} and {@value #GARBAGE} datagrams of an unknown version. Pass 1
 * creates every series before Prometheus starts; pass 2 is scraped. So every counter series has
 * its first sample at the same scrape, {@code rate()} is pass 2's increase times one common
 * extrapolation factor, and ratios and rankings of rates equal those of the truth exactly.
 *
 * <p>The collector runs the spec's eleven dimensions (no {@code exporter}, so the captures share
 * series) and one 5-minute window: about 6,000 series, which a 1-second scrape must take.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusQueriesIT
{
    private static final String[] CAPTURES = {
        "exports/softflowd_v9.pcap", "exports/softflowd_v9_sampled10.pcap", "vendor/ls_ipfix_mikrotik.pcap",
        "vendor/lsf_sflow_counters.pcap", "vendor/lsf_sflow_1_counters.pcap"};
    private static final int GARBAGE = 30;
    private static final int RATE = 4000;
    /** {@code aggregation.bandwidth_window} of this test's collector, seconds. */
    private static final double BANDWIDTH_WINDOW_S = 300;
    private static final double EXACT = 1e-9;

    private CollectorProcess collector;
    private PrometheusServer prometheus;
    private long sent;
    private long datagramsPerPass;

    @BeforeAll
    void feedAndScrape() throws Exception
    {
        final Path geo = SharedData.testdata("geoip");
        collector = CollectorProcess.start("queries", new CollectorProcess.Config()
            .dimensions("src_addr", "dst_addr", "protocol", "src_port", "dst_port", "in_if", "out_if",
                "src_country", "dst_country", "src_asn", "dst_asn", "exporter", "src_net", "dst_net", "dst_net_role",
                "in_if_name", "out_if_name")
            .aggregationExtra("""
                  networks:
                    - {prefix: 10.10.0.0/16, name: campus, role: internal}
                    - {prefix: 192.168.0.0/16, name: lan, role: internal}
                  interfaces:
                    - {exporter: 127.3.3.1, index: 13, name: ether13, speed: 1G}
                    - {exporter: 127.3.3.1, index: 7, name: ether7, speed: 1G}
                """)
            .windows("5m", "5m")
            .label(MetricNames.COLLECTOR_ID, "solo")
            .enrichment(geo.resolve("GeoLite2-City-Test.mmdb"), geo.resolve("GeoLite2-ASN-Test.mmdb")));
        pass(0);
        collector.awaitQuiet(sent, Duration.ofSeconds(60), MetricNames.RECEIVED_PACKETS);
        prometheus = PrometheusServer.start(List.of(collector), List.of(SharedData.projectRoot().resolve("conf/alerts.yml")));
        prometheus.awaitScrapesAfter(Instant.now(), 2);
        pass(1);
        collector.awaitQuiet(sent, Duration.ofSeconds(60), MetricNames.RECEIVED_PACKETS);
        prometheus.awaitScrapesAfter(Instant.now(), 2);
    }

    private void pass(final int n) throws Exception
    {
        final long before = sent;
        for (int i = 0; i < CAPTURES.length; i++)
        {
            sent += PcapReplayer.send(PcapReplayer.read(SharedData.testdata(CAPTURES[i])), collector.ipv4(),
                InetAddress.getByName("127.3." + (i + 1) + ".1"), RATE);
        }
        final InetAddress fake = InetAddress.getByName("192.0.2.99");
        final List<PcapReplayer.Datagram> extra = new ArrayList<>();
        extra.add(new PcapReplayer.Datagram(fake, 2055, SyntheticExports.netflowV5(SyntheticExports.GEO_FLOWS,
            n * SyntheticExports.GEO_FLOWS.size(), Instant.now().getEpochSecond())));
        sent += PcapReplayer.send(extra, collector.ipv4(), InetAddress.getByName("127.3.20.1"), RATE);
        final List<PcapReplayer.Datagram> garbage = new ArrayList<>();
        for (int i = 0; i < GARBAGE; i++)
        {
            garbage.add(new PcapReplayer.Datagram(fake, 2055, SyntheticExports.badVersion()));
        }
        sent += PcapReplayer.send(garbage, collector.ipv4(), InetAddress.getByName("127.3.21.1"), RATE);
        datagramsPerPass = sent - before;
    }

    @AfterAll
    void stop() throws Exception
    {
        if (prometheus != null)
        {
            prometheus.close();
        }
        if (collector != null)
        {
            collector.close();
        }
    }

    @Test
    void shouldParseAndReturnDataWhenEveryDocumentedQueryRuns() throws Exception
    {
        final List<String> queries = PrometheusServer.queriesOf(SharedData.projectRoot().resolve("docs/queries.md"));
        assertTrue(queries.size() > 60, "docs/queries.md: only " + queries.size() + " queries found in ```promql blocks");
        assertAllReturnData("docs/queries.md", queries);
    }

    /** Also draws the panels' data to {@code target/dashboard-preview.svg} ({@link DashboardPreview}). */
    @Test
    @SuppressWarnings("unchecked")
    void shouldParseAndReturnDataWhenEveryDashboardPanelQueryRuns() throws Exception
    {
        final Map<String, Object> dash = (Map<String, Object>)JsonReader.read(
            Files.readString(SharedData.projectRoot().resolve("grafana/goflow-exporter.json")));
        final List<String> queries = new ArrayList<>();
        final List<DashboardPreview.Panel> preview = new ArrayList<>();
        for (final Map<String, Object> panel : (List<Map<String, Object>>)dash.get("panels"))
        {
            final List<PrometheusServer.Sample> samples = new ArrayList<>();
            for (final Map<String, Object> target : (List<Map<String, Object>>)panel.getOrDefault("targets", List.of()))
            {
                final String q = substituteVariables((String)target.get("expr"));
                queries.add(q);
                samples.addAll(prometheus.query(q).samples());
            }
            if (!"row".equals(panel.get("type")))
            {
                final Map<String, Object> defaults = (Map<String, Object>)((Map<String, Object>)panel.get("fieldConfig")).get("defaults");
                preview.add(new DashboardPreview.Panel((String)panel.get("title"), (String)panel.get("type"), (String)defaults.get("unit"), samples));
            }
        }
        DashboardPreview.write(preview, java.nio.file.Paths.get("target", "dashboard-preview.svg"));
        assertTrue(queries.size() >= 20, "dashboard: only " + queries.size() + " panel queries");
        assertTrue(queries.stream().anyMatch(q -> q.contains("flow_interface_in_octets_total")), "an sFlow interface counter panel");
        final String text = Files.readString(SharedData.projectRoot().resolve("grafana/goflow-exporter.json"));
        assertTrue(!java.util.regex.Pattern.compile("\\bflow_[a-z]").matcher(text.replaceAll("\"description\": \"[^\"]*\"", ""))
            .find(), "every metric name goes through the $namespace variable");
        assertAllReturnData("grafana/goflow-exporter.json", queries);
    }

    /**
     * Grafana's "All" of the multi-value variables ({@code allValue: ".*"}) and the namespace
     * textbox's default ({@code flow}).
     */
    static String substituteVariables(final String expr)
    {
        String out = expr.replace("${namespace}", "flow").replace("$namespace", "flow");
        for (final String multi : new String[] {"collector", "window", "exporter"})
        {
            out = out.replace("${" + multi + "}", ".*").replace("$" + multi, ".*");
        }
        return out;
    }

    private void assertAllReturnData(final String source, final List<String> queries) throws Exception
    {
        final List<String> bad = new ArrayList<>();
        for (final String q : queries)
        {
            final PrometheusServer.Result r = prometheus.query(q);
            if (r.error() != null)
            {
                bad.add("ERROR " + r.error() + "\n    " + q);
            }
            else if (r.empty())
            {
                bad.add("EMPTY\n    " + q);
            }
        }
        assertTrue(bad.isEmpty(), source + ": " + bad.size() + " of " + queries.size() + " queries fail:\n" + String.join("\n", bad));
    }

    private List<Truth> truths()
    {
        final List<Truth> out = new ArrayList<>();
        for (final String c : CAPTURES)
        {
            out.add(Truth.of(SharedData.testdata(c)));
        }
        return out;
    }

    @Test
    void shouldEqualTruthTotalsWhenTotalQueriesRun() throws Exception
    {
        long flows = SyntheticExports.GEO_FLOWS.size();
        long bytes = SyntheticExports.GEO_FLOWS.stream().mapToLong(SyntheticExports.Flow::bytes).sum();
        long packets = SyntheticExports.GEO_FLOWS.stream().mapToLong(SyntheticExports.Flow::packets).sum();
        for (final Truth t : truths())
        {
            final FlowExpectations.Totals e = FlowExpectations.totals(t);
            flows += e.flows();
            bytes += e.bytes();
            packets += e.packets();
        }
        assertEquals(2 * flows, prometheus.query(documented("sum(flow_flows_total)")).single(), "sum(flow_flows_total), two passes");
        assertEquals(2 * bytes, prometheus.query(documented("sum(flow_bytes_total)")).single(), "sum(flow_bytes_total), two passes");
        assertEquals(2 * packets, prometheus.query(documented("sum(flow_packets_total)")).single(), "sum(flow_packets_total), two passes");
    }

    @Test
    void shouldEqualTruthProtocolSplitWhenProtocolQueriesRun() throws Exception
    {
        final Map<String, Double> bytes = new HashMap<>();
        for (final Truth t : truths())
        {
            t.section("by_protocol").forEach((p, v) -> bytes.merge(p, (double)Truth.value(v, "bytes_scaled"), Double::sum));
        }
        SyntheticExports.GEO_FLOWS.forEach(f -> bytes.merge(String.valueOf(f.protocol()), (double)f.bytes(), Double::sum));
        final Map<String, Double> total = byLabel(prometheus.query(documented("sum by (protocol) (flow_bytes_total)")), "protocol");
        final Map<String, Double> twice = bytes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> 2 * e.getValue()));
        assertEquals(twice, total, "sum by (protocol) (flow_bytes_total) against by_protocol of the truth files");

        final double all = bytes.values().stream().mapToDouble(Double::doubleValue).sum();
        final Map<String, Double> percent = byLabel(prometheus.query(documented(
            "sum(rate(flow_bytes_total[5m])) by (protocol) / ignoring(protocol) group_left sum(rate(flow_bytes_total[5m])) * 100")), "protocol");
        assertEquals(bytes.keySet(), percent.keySet(), "protocol distribution: protocols");
        for (final Map.Entry<String, Double> e : bytes.entrySet())
        {
            assertEquals(100 * e.getValue() / all, percent.get(e.getKey()), 1e-6, "protocol distribution (%) of protocol " + e.getKey());
        }
    }

    @Test
    void shouldEqualTruthAveragePacketSizeWhenRatesAreDivided() throws Exception
    {
        double bytes = 0;
        double packets = 0;
        for (final Truth t : truths())
        {
            final FlowExpectations.Totals e = FlowExpectations.totals(t);
            bytes += e.bytes();
            packets += e.packets();
        }
        for (final SyntheticExports.Flow f : SyntheticExports.GEO_FLOWS)
        {
            bytes += f.bytes();
            packets += f.packets();
        }
        final double got = prometheus.query(documented("sum(rate(flow_bytes_total[5m])) / sum(rate(flow_packets_total[5m]))")).single();
        assertEquals(bytes / packets, got, bytes / packets * EXACT, "average packet size");
    }

    @Test
    void shouldRankTruthTopTalkersWhenTopkRuns() throws Exception
    {
        final Map<String, Double> bySrc = new HashMap<>();
        for (final Truth t : truths())
        {
            t.by5Tuple().forEach((k, v) -> bySrc.merge(k.split("\\|")[0], (double)Truth.value(v, "bytes_scaled"), Double::sum));
        }
        SyntheticExports.GEO_FLOWS.forEach(f -> bySrc.merge(f.src(), (double)f.bytes(), Double::sum));
        final List<Map.Entry<String, Double>> ranked = bySrc.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).toList();
        assertTrue(ranked.get(9).getValue() > ranked.get(10).getValue(), "truth has a tie at rank 10; pick other data");
        final Map<String, Double> expected = new HashMap<>();
        ranked.subList(0, 10).forEach(e -> expected.put(e.getKey(), e.getValue()));

        final Map<String, Double> got = byLabel(prometheus.query(documented("topk(10, sum(rate(flow_bytes_total[5m])) by (src_addr))")), "src_addr");
        assertEquals(expected.keySet(), got.keySet(), "top 10 sources by bytes");
        final double scale = got.get(ranked.get(0).getKey()) / ranked.get(0).getValue();
        for (final Map.Entry<String, Double> e : expected.entrySet())
        {
            assertEquals(e.getValue() * scale, got.get(e.getKey()), e.getValue() * scale * 1e-6, "top source " + e.getKey() + " relative to the first");
        }
    }

    @Test
    void shouldEqualGarbageShareWhenDropRateIsQueried() throws Exception
    {
        final double got = prometheus.query(documented(
            "sum(rate(flow_dropped_packets_total[1m])) / sum(rate(flow_received_packets_total[1m])) * 100")).single();
        final Scrape s = collector.scrape(MetricNames.DROPPED_PACKETS, MetricNames.DROPPED_RECORDS);
        assertEquals(100.0 * GARBAGE / datagramsPerPass, got, 1e-6,
            "drop rate: " + GARBAGE + " datagrams of an unknown version of " + datagramsPerPass
                + " datagrams per pass; collector counts: dropped packets by reason "
                + s.sumBy(MetricNames.DROPPED_PACKETS, x -> true, "reason") + ", dropped records by reason "
                + s.sumBy(MetricNames.DROPPED_RECORDS, x -> true, "reason"));
    }

    @Test
    void shouldSplitInternationalAndDomesticWhenCountryPairQueriesRun() throws Exception
    {
        double international = 0;
        double domestic = 0;
        for (final SyntheticExports.Flow f : SyntheticExports.GEO_FLOWS)
        {
            if (f.srcCountry().equals(f.dstCountry()))
            {
                domestic += bps(f.bytes());
            }
            else
            {
                international += bps(f.bytes());
            }
        }
        final List<String> q = queriesContaining("flow_bandwidth_bps{src_country!=\"\",dst_country!=\"\"}");
        assertEquals(2, q.size(), "docs/queries.md: the international and the domestic query");
        assertEquals(international, prometheus.query(q.get(0)).single(), international * 1e-6, "international bps: " + q.get(0));
        assertEquals(domestic, prometheus.query(q.get(1)).single(), domestic * 1e-6, "domestic bps: " + q.get(1));
    }

    @Test
    void shouldListOnlyDistinctAsnPairsWhenPeeringQueryRuns() throws Exception
    {
        final Map<String, Double> expected = new HashMap<>();
        for (final SyntheticExports.Flow f : SyntheticExports.GEO_FLOWS)
        {
            if (!f.srcAsn().equals(f.dstAsn()))
            {
                expected.merge(f.srcAsn() + "|" + f.dstAsn(), bps(f.bytes()), Double::sum);
            }
        }
        final List<String> q = queriesContaining("flow_bandwidth_bps{src_asn!=\"\",dst_asn!=\"\"}");
        assertEquals(1, q.size(), "docs/queries.md: the peering query");
        final Map<String, Double> got = new HashMap<>();
        for (final PrometheusServer.Sample s : prometheus.query(q.get(0)).samples())
        {
            got.put(s.labels().get("src_asn") + "|" + s.labels().get("dst_asn"), s.value());
        }
        assertEquals(expected.keySet(), got.keySet(), "peering pairs: " + q.get(0));
        expected.forEach((k, v) -> assertEquals(v, got.get(k), v * 1e-6, "peering bps " + k));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldNameAsnOrganisationsAsTheDatabaseDoesWhenJoinQueryRuns() throws Exception
    {
        final Map<String, Set<String>> orgs = new HashMap<>();
        for (final Map<String, Object> entry : (List<Map<String, Object>>)JsonReader.read(
            Files.readString(SharedData.testdata("geoip/GeoLite2-ASN-Test.json"))))
        {
            for (final Object v : entry.values())
            {
                final Map<String, Object> asn = (Map<String, Object>)v;
                final Object org = asn.get("autonomous_system_organization");
                orgs.computeIfAbsent(String.valueOf(asn.get("autonomous_system_number")), k -> new HashSet<>())
                    .add(org == null ? "" : (String)org);
            }
        }
        final PrometheusServer.Result r = prometheus.query(documented("sum by (src_asn) (rate(flow_bytes_total[5m])) * on(src_asn) "
            + "group_left(org) label_replace(max by (asn, org) (flow_asn_info), \"src_asn\", \"$1\", \"asn\", \"(.*)\")"));
        final Map<String, String> got = new HashMap<>();
        r.samples().forEach(s -> got.put(s.labels().get("src_asn"), s.labels().getOrDefault("org", "")));
        assertEquals("Bredband2 AB", got.get("29518"), "org of AS29518 (source of the synthetic SE flows): " + got);
        got.forEach((asn, org) -> assertTrue(orgs.getOrDefault(asn, Set.of()).contains(org),
            "org of AS" + asn + ": " + org + ", GeoLite2-ASN-Test.json has " + orgs.get(asn)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPlaceCitiesAtDatabaseCoordinatesWhenGeomapQueryRuns() throws Exception
    {
        final Map<String, List<String>> cities = new HashMap<>();
        for (final Map<String, Object> entry : (List<Map<String, Object>>)JsonReader.read(
            Files.readString(SharedData.testdata("geoip/GeoLite2-City-Test.json"))))
        {
            for (final Object v : entry.values())
            {
                final Map<String, Object> rec = (Map<String, Object>)v;
                final Map<String, Object> city = (Map<String, Object>)rec.get("city");
                final Map<String, Object> location = (Map<String, Object>)rec.get("location");
                if (city != null && location != null)
                {
                    final String name = ((Map<String, String>)city.get("names")).get("en");
                    final String country = (String)((Map<String, Object>)rec.get("country")).get("iso_code");
                    cities.computeIfAbsent(country + "/" + name, k -> new ArrayList<>()).add(
                        ((Number)location.get("latitude")).doubleValue() + "," + ((Number)location.get("longitude")).doubleValue());
                }
            }
        }
        final PrometheusServer.Result r = prometheus.query(documented(
            "sum by (city, country, latitude, longitude) (rate(flow_city_bytes_total{side=\"src\"}[5m])) * 8"));
        final Map<String, Map<String, String>> got = new HashMap<>();
        r.samples().stream().filter(s -> !s.labels().getOrDefault("city", "").isEmpty())
            .forEach(s -> got.put(s.labels().get("country") + "/" + s.labels().get("city"), s.labels()));
        assertTrue(got.containsKey("SE/Linköping"), "Geomap: no Linköping (source of the synthetic SE flows) in " + got.keySet());
        got.forEach((key, labels) ->
        {
            final String coordinates = Double.parseDouble(labels.get("latitude")) + "," + Double.parseDouble(labels.get("longitude"));
            assertTrue(cities.getOrDefault(key, List.of()).contains(coordinates),
                "Geomap city " + key + " at " + coordinates + "; GeoLite2-City-Test.json has " + cities.get(key));
        });
    }

    @Test
    void shouldEvaluateEveryAlertRuleOnExistingMetricsWhenRulesAreLoaded() throws Exception
    {
        final List<Map<String, Object>> rules = prometheus.rules();
        assertTrue(rules.size() >= 9, "conf/alerts.yml: " + rules.size() + " rules loaded");
        final List<String> bad = new ArrayList<>();
        for (final Map<String, Object> rule : rules)
        {
            if (!"ok".equals(rule.get("health")))
            {
                bad.add(rule.get("name") + ": health " + rule.get("health") + " " + rule.get("lastError"));
            }
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bflow_[a-z_]+").matcher((String)rule.get("query"));
            while (m.find())
            {
                if (prometheus.query("count({__name__=\"" + m.group() + "\"})").empty())
                {
                    bad.add(rule.get("name") + ": metric " + m.group() + " is not exported");
                }
            }
        }
        assertTrue(bad.isEmpty(), "conf/alerts.yml against the collector:\n" + String.join("\n", bad));
    }

    /** Bandwidth of {@code bytes} sent once per pass, over the bandwidth window. */
    private static double bps(final long bytes)
    {
        return 2 * bytes * 8 / BANDWIDTH_WINDOW_S;
    }

    private static String documented(final String query) throws Exception
    {
        final List<String> all = PrometheusServer.queriesOf(SharedData.projectRoot().resolve("docs/queries.md"));
        assertTrue(all.contains(query), "docs/queries.md no longer contains the query this test checks: " + query);
        return query;
    }

    private static List<String> queriesContaining(final String part) throws Exception
    {
        return PrometheusServer.queriesOf(SharedData.projectRoot().resolve("docs/queries.md")).stream()
            .filter(q -> q.contains(part)).toList();
    }

    private static Map<String, Double> byLabel(final PrometheusServer.Result r, final String label)
    {
        assertTrue(r.error() == null, r.query() + ": " + r.error());
        final Map<String, Double> out = new HashMap<>();
        for (final PrometheusServer.Sample s : r.samples())
        {
            out.put(s.labels().getOrDefault(label, ""), s.value());
        }
        return out;
    }
}
