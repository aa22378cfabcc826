#!/bin/bash
# Heap and time of a scrape at the 100k-series cap (issue 18 item 9): starts an unpacked tarball on
# the shipped conf/config.yaml (ports moved to PORT..PORT+3 on 127.0.0.1, GeoIP/ASN off), sends
# NetFlow v5 records from 100,500 distinct source addresses, then scrapes /metrics 3 times identity
# and 3 times gzip, printing time, size, heap used (jcmd GC.heap_info) before and after each, RSS,
# and GC counts. Stops the collector by its PID.
#   benchmarks/scripts/scrape-heap.sh DIST_DIR LABEL [PORT]      (PORT default 19120)
set -e
cd "$(dirname "$0")/../.."
DIST=$1
LABEL=$2
PORT=${3:-19120}
OUT=benchmarks/target/scrape-heap-$LABEL
mkdir -p "$OUT"
sed -e "s/netflow_port: 2055/netflow_port: $((PORT + 1))/" -e "s/sflow_port: 6343 /sflow_port: $((PORT + 2))/" \
    -e "s/ipfix_port: 4739/ipfix_port: $((PORT + 3))/" -e "s/metrics_port: 8080/metrics_port: $PORT/" \
    -e 's/listen_addr: \["0.0.0.0", "::"\]/listen_addr: ["127.0.0.1"]\n  metrics_addr: "127.0.0.1"/' \
    -e 's/geoip_enabled: true/geoip_enabled: false/' -e 's/asn_enabled: true/asn_enabled: false/' \
    conf/config.yaml > "$OUT/config.yaml"
"$DIST/bin/goflow-exporter" --config "$OUT/config.yaml" > "$OUT/collector.log" 2>&1 &
PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 60); do
    curl -s -o /dev/null -w "%{http_code}" "$URL/healthz" 2>/dev/null | grep -q 200 && break
    sleep 0.5
done
python3 - "$((PORT + 1))" 100500 <<'PY'
import socket, struct, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
seq, now = 0, int(time.time())
while seq < n:
    recs = [struct.pack('>IIIHHIIIIHHBBBBHHBBH', 0x0A000000 | i, 0xC0000200 | (i & 0xFF), 0, 1, 2, 3, 1500,
                        590000, 599000, 40000 + i % 20000, 443, 0, 0x18, 6, 0, 0, 0, 24, 24, 0)
            for i in range(seq, min(seq + 30, n))]
    s.sendto(struct.pack('>HHIIIIBBH', 5, len(recs), 600000, now, 0, seq, 0, 0, 0) + b''.join(recs), ('127.0.0.1', port))
    seq += len(recs)
    if (seq // 30) % 50 == 0:
        time.sleep(0.01)
PY
sleep 4
heap() { jcmd "$PID" GC.heap_info | grep -o "used [0-9]*K" | head -1; }
rss() { grep VmRSS "/proc/$PID/status" | tr -s ' \t' ' '; }
echo "$LABEL: $(curl -s "$URL/metrics" | grep -m1 '^flow_aggregation_series{')"
jcmd "$PID" GC.run > /dev/null
sleep 1
echo "$LABEL: after GC.run heap $(heap), $(rss)"
for _ in 1 2 3; do
    for enc in identity gzip; do
        before=$(heap)
        took=$(curl -s -o /dev/null -H "Accept-Encoding: $enc" -w "%{time_total} s %{size_download} B" "$URL/metrics")
        echo "$LABEL: $enc $took; heap $before -> $(heap); $(rss)"
    done
done
jstat -gc "$PID" | tail -1 | awk -v l="$LABEL" '{print l ": YGC", $13, "FGC", $15}'
kill "$PID"
wait "$PID" || true
