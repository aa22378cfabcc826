package io.goflow.exporter.enrich;

import io.goflow.exporter.config.MetricsSettings;
import io.goflow.exporter.decoders.testsupport.CaptureRun;
import io.goflow.exporter.expose.EnrichmentCollector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;

import java.net.InetSocketAddress;

/**
 * Manual check of the documented PromQL (not run by surefire): serves the enrichment collector on
 * {@code 127.0.0.1:PORT} while replaying softflowd_v9.pcap through decoder and enricher once per
 * second for {@code SECONDS}, so that {@code shared/tools/run_queries.py} can run the Geomap and
 * ASN queries against a real Prometheus.
 *
 * <p>Run: {@code java -cp <test classpath> io.goflow.exporter.enrich.EnrichmentQueryServer PORT SECONDS}.
 */
final class EnrichmentQueryServer
{
    private EnrichmentQueryServer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int port = Integer.parseInt(args[0]);
        final long seconds = Long.parseLong(args[1]);
        try (EnrichmentService service = EnrichmentService.open(
            GeoTestData.settings(GeoTestData.mmdb(GeoTestData.CITY), GeoTestData.mmdb(GeoTestData.ASN), 100_000,
                "database"), System::nanoTime, false, true))
        {
            final FlowEnricher enricher = service.newShardEnricher();
            final CollectorRegistry registry = new CollectorRegistry();
            registry.register(new EnrichmentCollector(service, MetricsSettings.defaults()));
            final HTTPServer server = new HTTPServer(new InetSocketAddress("127.0.0.1", port), registry, true);
            try
            {
                for (long i = 0; i < seconds; i++)
                {
                    CaptureRun.run(GeoTestData.sharedDir().resolve("testdata/exports/softflowd_v9.pcap"),
                        CaptureRun.DEFAULT_PORT_MAP, CaptureRun.newDecoder(), enricher::enrich);
                    Thread.sleep(1000);
                }
            }
            finally
            {
                server.close();
            }
        }
    }
}
