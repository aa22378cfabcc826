#!/bin/bash
# Heap and time of a scrape at the 100k-series cap (issue 18 item 9): starts an unpacked tarball on
# the shipped conf/config.yaml (ports moved to PORT..PORT+3 on 127.0.0.1, GeoIP/ASN off), sends
# NetFlow v5 records from 100,500 distinct source addresses, then scrapes /metrics 3 times identity
# and 3 times gzip, printing time, size, heap used (jcmd GC.heap_info) before and after each, RSS,
# and GC counts. Stops the collector by its PID.
# With TLS=1 the endpoint runs behind a web config (openssl certificates, mutual TLS, basic auth
# with an htpasswd cost-10 hash) and every request, the scrapes and 50 /healthz on new connections
# (a full handshake each), goes through curl over TLS with a client certificate and credentials.
#   [TLS=1] benchmarks/scripts/scrape-heap.sh DIST_DIR LABEL [PORT]      (PORT default 19120)
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
URL=http://127.0.0.1:$PORT
CURL=(curl -s)
if [ "${TLS:-0}" = 1 ]; then
    (cd "$OUT" && rm -f ./*.crt ./*.key ./*.srl &&
     openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
         -days 2 -subj /CN=ca 2>/dev/null &&
     for n in server client; do
         openssl ecparam -name prime256v1 -genkey -noout -out $n.key &&
         openssl req -new -key $n.key -out $n.csr -subj /CN=$n &&
         printf 'subjectAltName=IP:127.0.0.1\n' > $n.ext &&
         openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $n.crt -days 2 \
             -extfile $n.ext 2>/dev/null
     done &&
     printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\nbasic_auth_users:\n  bench: %s\n' \
         "$(htpasswd -nbBC 10 bench bench-secret | cut -d: -f2)" > web-config.yml)
    sed -i "s|^  metrics_addr: \"127.0.0.1\"|  metrics_addr: \"127.0.0.1\"\n  web_config_file: \"$PWD/$OUT/web-config.yml\"|" "$OUT/config.yaml"
    URL=https://127.0.0.1:$PORT
    CURL=(curl -s --cacert "$OUT/ca.crt" --cert "$OUT/client.crt" --key "$OUT/client.key" -u bench:bench-secret)
fi
"$DIST/bin/goflow-exporter" --config "$OUT/config.yaml" > "$OUT/collector.log" 2>&1 &
PID=$!
for _ in $(seq 1 60); do
    "${CURL[@]}" -o /dev/null -w "%{http_code}" "$URL/healthz" 2>/dev/null | grep -q 200 && break
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
echo "$LABEL: $("${CURL[@]}" "$URL/metrics" | grep -m1 '^flow_aggregation_series{')"
start=$(date +%s.%N)
for _ in $(seq 1 50); do "${CURL[@]}" -o /dev/null "$URL/healthz"; done
echo "$LABEL: 50 /healthz on new connections (curl each): $(echo "$(date +%s.%N) - $start" | bc) s"
jcmd "$PID" GC.run > /dev/null
sleep 1
echo "$LABEL: after GC.run heap $(heap), $(rss)"
for _ in 1 2 3; do
    for enc in identity gzip; do
        before=$(heap)
        took=$("${CURL[@]}" -o /dev/null -H "Accept-Encoding: $enc" -w "%{time_total} s %{size_download} B" "$URL/metrics")
        echo "$LABEL: $enc $took; heap $before -> $(heap); $(rss)"
    done
done
jstat -gc "$PID" | tail -1 | awk -v l="$LABEL" '{print l ": YGC", $13, "FGC", $15}'
kill "$PID"
wait "$PID" || true
