package io.goflow.exporter.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Replies in the layout `pmacct -s -O csv` printed for the README's 5-tuple memory table. */
class NfacctdTargetTest
{
    @Test
    void shouldSumPacketsAndBytesWithoutMarkerEntriesWhenParsingPmacctCsv()
    {
        final String csv = String.join("\n",
            "SRC_IP,DST_IP,SRC_PORT,DST_PORT,PROTOCOL,PACKETS,BYTES",
            "81.2.69.160,10.10.5.197,12805,2681,udp,8,4320",
            "198.51.100.1,10.10.5.197,1,2,tcp,1000,99999",
            "10.10.8.253,67.43.156.61,0,0,icmp,24,2016",
            "");

        assertArrayEquals(new long[] {32, 6336, 2}, NfacctdTarget.parseCsv(csv));
    }

    @Test
    void shouldRejectReplyWithoutCounterColumnsWhenParsingPmacctCsv()
    {
        assertNull(NfacctdTarget.parseCsv("ERROR: missing file\n"));
    }
}
