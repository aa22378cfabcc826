package io.goflow.exporter.acceptance;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped {@code conf/config.yaml} as a new user runs it, with only its four port numbers
 * replaced by free ones: a capture replayed at full speed loses nothing in the kernel.
 */
class ShippedConfigIT
{
    private static final Pattern PORT_LINE =
        Pattern.compile("(?m)^(\\s*(netflow_port|ipfix_port|sflow_port|metrics_port):\\s*)(\\d+)");

    /**
     * softflowd v9 (243 datagrams, 1353 bytes each on average) sent back to back by
     * {@code shared/tools/replay.py} (no rate: as fast as it can), the first burst the collector
     * ever sees (cold JIT): with the spec's 65536 bytes requested 73 were lost, with the kernel
     * default (212992) about 56; the kernel's drop counter for the port must stay 0. Runs on the
     * launcher's own heap, as an operator would.
     */
    @Test
    void shouldLoseNothingInTheKernelWhenCaptureIsReplayedAtFullSpeedOnShippedConfig() throws Exception
    {
        final String shipped = Files.readString(SharedData.projectRoot().resolve("conf/config.yaml"));
        final int[] udp = CollectorProcess.freeUdpPorts(3);
        final int metricsPort = CollectorProcess.freeTcpPort();
        final String yaml = withPorts(shipped, udp, metricsPort);
        assertEquals(shipped.replaceAll(PORT_LINE.pattern(), "$1"), yaml.replaceAll(PORT_LINE.pattern(), "$1"),
            "nothing but the port numbers differs");

        final Path capture = SharedData.testdata("exports/softflowd_v9.pcap");
        final int sent = PcapReplayer.read(capture).size();
        try (CollectorProcess c = CollectorProcess.start("shipped", yaml, udp, metricsPort, ""))
        {
            final Process replay = new ProcessBuilder("python3", SharedData.tool("replay.py").toString(),
                "--dest", "127.0.0.1:" + udp[0], capture.toString()).redirectErrorStream(true).start();
            final String replayOutput = new String(replay.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(replay.waitFor(30, TimeUnit.SECONDS), "replay.py did not finish");
            assertEquals(0, replay.exitValue(), replayOutput);
            assertTrue(replayOutput.contains("sent " + sent + " datagrams"), replayOutput);
            final long received = c.awaitReceivedStable(1_000, Duration.ofSeconds(30));
            final Scrape s = c.scrape(MetricNames.KERNEL_DROPS);

            assertEquals(0, s.sum(MetricNames.KERNEL_DROPS, x -> x.label("port").equals(Integer.toString(udp[0]))),
                "kernel drops on the netflow port; log:\n" + c.logTail());
            assertEquals(sent, received);
            assertTrue(c.logTail().contains("rcvbuf="), "granted size logged:\n" + c.logTail());
        }
    }

    /** Replaces the netflow, ipfix, sflow and metrics port numbers, nothing else. */
    static String withPorts(final String yaml, final int[] udp, final int metricsPort)
    {
        final Matcher m = PORT_LINE.matcher(yaml);
        final StringBuilder out = new StringBuilder();
        while (m.find())
        {
            final int port = switch (m.group(2))
            {
                case "netflow_port" -> udp[0];
                case "ipfix_port" -> udp[1];
                case "sflow_port" -> udp[2];
                default -> metricsPort;
            };
            m.appendReplacement(out, m.group(1) + port);
        }
        m.appendTail(out);
        return out.toString();
    }
}
