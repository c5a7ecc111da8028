#!/bin/sh
# Soak test (`make soak SOAK_MINUTES=N`): one long `ombc run --check-delivery`
# at a high rate on the embedded Kafka, watching the resident memory of the
# coordinator and of every agent, then checking that
#   (a) memory stays flat: in each process, the mean VmRSS of the second half
#       of the measured phase exceeds that of the first half by at most
#       SOAK_RSS_TOL_KB (default 4096 KiB) or SOAK_RSS_TOL_PCT percent
#       (default 2) of it, whichever is larger. The warm-up (60 s, in which
#       the embedded Kafka fills its retention of 5 MB or 100,000 messages
#       per partition) is left out;
#   (b) the counters add up: the delivery check found every message once
#       (messagesReceived == messagesExpected); the period lines' publish
#       rates times their lengths (from the lines' millisecond time stamps),
#       warm-up and test, add up to messagesSent less the readiness probes
#       within 0.2% (what is left is the acks that land after the last
#       period: about 50 ms of traffic); the measured periods published at
#       SOAK_RATE within 1% on average; and the consumers kept up: the
#       backlog never exceeded 5 s of traffic (the embedded Kafka keeps about
#       10 s of it per partition here; what falls out of it is lost).
#
#   sh scripts/soak.sh [OMBC] [OUT]     default: build/ombc, build/soak
#   SOAK_MINUTES=10         length of the measured phase (minutes)
#   SOAK_RATE=50000         msg/s of 100 B over 16 partitions, 4 producers,
#                           4 consumers in one subscription
#   SOAK_SAMPLE_SECONDS=5   VmRSS sampling interval
# Writes OUT/rss.tsv (every sample), OUT/result.json, OUT/stdout.txt and
# OUT/stderr.txt; exits 0 when every check passes.
set -eu

cd "$(dirname "$0")/.."
OMBC=${1:-build/ombc}
OUT=${2:-build/soak}
MINUTES=${SOAK_MINUTES:-10}
RATE=${SOAK_RATE:-50000}
SAMPLE=${SOAK_SAMPLE_SECONDS:-5}
TOL_KB=${SOAK_RSS_TOL_KB:-4096}
TOL_PCT=${SOAK_RSS_TOL_PCT:-2}
WARMUP=60
INTERVAL=10
PARTITIONS=16
PRODUCERS=4
for v in "$MINUTES" "$RATE" "$SAMPLE" "$TOL_KB" "$TOL_PCT"; do
    case "$v" in
    '' | *[!0-9]*) echo "soak: SOAK_MINUTES, SOAK_RATE, SOAK_SAMPLE_SECONDS, SOAK_RSS_TOL_KB and SOAK_RSS_TOL_PCT must be whole numbers" >&2; exit 2 ;;
    esac
done
[ "$MINUTES" -ge 1 ] || { echo "soak: SOAK_MINUTES must be at least 1" >&2; exit 2; }
[ -x "$OMBC" ] || { echo "soak: no ombc binary at $OMBC (make build)" >&2; exit 2; }
OMBC=$(cd "$(dirname "$OMBC")" && pwd)/$(basename "$OMBC")
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

cat >"$OUT/soak.yaml" <<EOF
name: soak
topics: 1
partitionsPerTopic: $PARTITIONS
messageSize: 100
subscriptionsPerTopic: 1
consumerPerSubscription: 4
producersPerTopic: $PRODUCERS
producerRate: $RATE
testDurationSeconds: $((MINUTES * 60))
warmupDurationSeconds: $WARMUP
EOF

# The embedded Kafka as drivers/kafka-embedded.yaml sets it up, but with
# producer batches of 10 ms instead of 1 ms. The mock broker finds a fetch's
# offset by walking the partition's message sets from the oldest (librdkafka
# 2.0's rdkafka_mock.c has no index), so the cost of every fetch grows with
# the number of batches it retains; with 1 ms batches of one or two messages
# at this rate its thread saturates and the consumers fall behind.
cat >"$OUT/soak-driver.yaml" <<'EOF'
name: Kafka-embedded-soak
driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver
embeddedBrokers: 3
replicationFactor: 3
commonConfig: |
  client.id=ombc-soak
producerConfig: |
  acks=all
  linger.ms=10
  batch.size=131072
consumerConfig: |
  fetch.wait.max.ms=5
  session.timeout.ms=6000
  heartbeat.interval.ms=500
  auto.offset.reset=earliest
  enable.auto.commit=false
  max.partition.fetch.bytes=10485760
EOF

echo "soak: $MINUTES min at $RATE msg/s (plus ${WARMUP} s warm-up), VmRSS every $SAMPLE s; output in $OUT" >&2
(cd "$OUT" && exec "$OMBC" run -d soak-driver.yaml --report-interval $INTERVAL --check-delivery -o result.json \
    soak.yaml >stdout.txt 2>stderr.txt) &
pid=$!
trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM

# "VmRSS RssAnon RssShmem" (KiB) of one process, empty when it is gone. The
# stats blocks are shared memory (memfd): an agent's histogram pages count in
# RssShmem of the agent and, once read, of the coordinator.
rss() {
    awk '/^VmRSS:/ { v = $2 } /^RssAnon:/ { a = $2 } /^RssShmem:/ { s = $2 }
         END { if (v != "") printf "%s\t%s\t%s", v, a, s }' "/proc/$1/status" 2>/dev/null || true
}
# The coordinator's children: the agents (forked by its main thread).
children() {
    parent=$1
    if [ -r "/proc/$parent/task/$parent/children" ]; then
        cat "/proc/$parent/task/$parent/children" 2>/dev/null || true
        return
    fi
    for s in /proc/[0-9]*/stat; do
        line=$(cat "$s" 2>/dev/null) || continue
        # shellcheck disable=SC2086
        set -- ${line##*) } # state ppid ...
        if [ "${2:-}" = "$parent" ]; then c=${s#/proc/}; echo "${c%/stat}"; fi
    done
}

printf 'seconds\tphase\tprocess\tpid\tvmrss_kb\trssanon_kb\trssshmem_kb\n' >"$OUT/rss.tsv"
start=$(date +%s)
deadline=$((start + MINUTES * 60 + WARMUP + 600))
while kill -0 "$pid" 2>/dev/null; do
    now=$(date +%s)
    if [ "$now" -ge "$deadline" ]; then
        echo "soak: the run did not end 10 min after it should have; stopping it" >&2
        kill "$pid" 2>/dev/null || true
        break
    fi
    phase=setup
    grep -q "Starting warm-up traffic" "$OUT/stderr.txt" 2>/dev/null && phase="warmup"
    grep -q "Starting benchmark traffic" "$OUT/stderr.txt" 2>/dev/null && phase="test"
    grep -q "Stopping the load to check delivery" "$OUT/stderr.txt" 2>/dev/null && phase="drain"
    r=$(rss "$pid")
    [ -n "$r" ] && printf '%s\t%s\tcoordinator\t%s\t%s\n' $((now - start)) "$phase" "$pid" "$r" >>"$OUT/rss.tsv"
    for c in $(children "$pid"); do
        idx=$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | sed -n 's/.* agent .*--index \([0-9]*\).*/\1/p')
        r=$(rss "$c")
        [ -n "$idx" ] && [ -n "$r" ] && printf '%s\t%s\tagent-%s\t%s\t%s\n' $((now - start)) "$phase" "$idx" "$c" "$r" >>"$OUT/rss.tsv"
    done
    sleep "$SAMPLE"
done
set +e
wait "$pid"
rc=$?
set -e
trap - INT TERM
elapsed=$(($(date +%s) - start))
echo "soak: ombc exited with status $rc after $elapsed s" >&2

failed=""
[ "$rc" -eq 0 ] || failed="$failed ombc exited with status $rc (see $OUT/stderr.txt);"
if grep -q "restarting it" "$OUT/stderr.txt"; then
    failed="$failed an agent died and was restarted;"
fi

# (a) Resident memory over the measured phase, per process.
echo
echo "Resident memory (VmRSS, MiB) over the measured phase, sampled every $SAMPLE s: mean of the second"
echo "half against the first, growth of which anon (heap) and shmem (the stats blocks); tolerance:"
echo "growth <= max($TOL_KB KiB, $TOL_PCT%). slope: least squares, MiB per minute."
awk -F '\t' -v tol_kb="$TOL_KB" -v tol_pct="$TOL_PCT" -v out="$OUT/rss-verdict" '
    NR > 1 && $2 == "test" {
        p = $3; n[p]++; v[p, n[p]] = $5; t[p, n[p]] = $1; an[p, n[p]] = $6; sh[p, n[p]] = $7
        if (!(p in pids)) { pids[p] = $4; order[++np] = p }
        else if (index(" " pids[p] " ", " " $4 " ") == 0) pids[p] = pids[p] " " $4
    }
    END {
        printf "%-12s %-7s %4s %7s %7s %8s %8s %15s %7s %7s %9s  %s\n", "process", "pid", "n",
               "start", "max", "1st half", "2nd half", "growth", "anon", "shmem", "slope/min",
               "verdict"
        bad = 0
        for (i = 1; i <= np; i++) {
            p = order[i]; k = n[p]; h = int(k / 2)
            if (h < 2) { printf "%-12s too few samples (%d)\n", p, k; bad = 1; continue }
            s1 = s2 = a1 = a2 = h1 = h2 = 0; mx = v[p, 1]
            for (j = 1; j <= k; j++) {
                if (v[p, j] > mx) mx = v[p, j]
                if (j <= h) { s1 += v[p, j]; a1 += an[p, j]; h1 += sh[p, j] }
                if (j > k - h) { s2 += v[p, j]; a2 += an[p, j]; h2 += sh[p, j] }
            }
            m1 = s1 / h; m2 = s2 / h; g = m2 - m1
            # least-squares slope, KiB per minute
            st = sv = stt = stv = 0
            for (j = 1; j <= k; j++) { st += t[p, j]; sv += v[p, j]; stt += t[p, j] ^ 2; stv += t[p, j] * v[p, j] }
            d = k * stt - st * st; slope = d > 0 ? (k * stv - st * sv) / d * 60 : 0
            tol = tol_kb; if (m1 * tol_pct / 100 > tol) tol = m1 * tol_pct / 100
            ok = g <= tol
            if (!ok) bad = 1
            printf "%-12s %-7s %4d %7.1f %7.1f %8.1f %8.1f %+6.2f %+6.2f%% %+7.2f %+7.2f %+9.3f  %s\n",
                   p, pids[p], k, v[p, 1] / 1024, mx / 1024, m1 / 1024, m2 / 1024, g / 1024,
                   100 * g / m1, (a2 - a1) / h / 1024, (h2 - h1) / h / 1024, slope / 1024,
                   ok ? "flat" : sprintf("GROWS (> %.1f)", tol / 1024)
        }
        if (np == 0) { print "no samples in the measured phase"; bad = 1 }
        print bad ? "grows" : "flat" > out
    }' "$OUT/rss.tsv"
[ "$(cat "$OUT/rss-verdict" 2>/dev/null)" = flat ] || failed="$failed resident memory grows (or was not sampled);"
if [ "$(awk -F '\t' '$2 == "test" { print $3 }' "$OUT/rss.tsv" | sort -u | grep -c agent)" -eq 0 ]; then
    failed="$failed no agent was sampled;"
fi

# (b) The counters.
json_num() { sed -n "s/.*\"$1\" : \([0-9.eE+-]*\).*/\1/p" "$OUT/result.json" 2>/dev/null | head -1; }
json_list() { sed -n "s/.*\"$1\" : \[ \(.*\) \].*/\1/p" "$OUT/result.json" 2>/dev/null | head -1 | tr -d ,; }
sent=$(json_num messagesSent)
expected=$(json_num messagesExpected)
received=$(json_num messagesReceived)
echo
if [ -z "$sent" ] || [ -z "$expected" ] || [ -z "$received" ]; then
    echo "Counters: no deliveryCheck in $OUT/result.json"
    failed="$failed no deliveryCheck in the result;"
else
    # Every period line (warm-up and test): its rate times its length, from
    # the line's time stamp (printed right after the period's read) and the
    # previous one's, the first from the warm-up's start line.
    t0=$(grep -m1 -E "Starting (warm-up|benchmark) traffic" "$OUT/stderr.txt" | cut -c1-12)
    periods_sum=$(sed -n 's/^\([0-9:.]*\) .*WorkloadGenerator - Pub rate *\([0-9.]*\) msg\/s.*/\1 \2/p' \
        "$OUT/stdout.txt" | awk -v t0="$t0" '
        function secs(hms, f) { split(hms, f, ":"); return f[1] * 3600 + f[2] * 60 + f[3] }
        BEGIN { prev = secs(t0) }
        { t = secs($1); d = t - prev; if (d < 0) d += 86400; s += $2 * d; prev = t; n++ }
        END { printf "%.0f %d", s, n }')
    test_rates=$(json_list publishRate)
    backlogs=$(json_list backlog)
    awk -v sent="$sent" -v exp_="$expected" -v recv="$received" -v ps="$periods_sum" \
        -v rates="$test_rates" -v backlogs="$backlogs" -v rate="$RATE" -v mins="$MINUTES" \
        -v i=$INTERVAL -v probes=$PRODUCERS -v out="$OUT/counters-verdict" '
        function row(what, value, want, ok) {
            printf "  %-40s %12s  %-34s %s\n", what, value, want, ok ? "ok" : "FAILED"
            if (!ok) bad = 1
        }
        function abs(x) { return x < 0 ? -x : x }
        BEGIN {
            split(ps, a, " "); psum = a[1]; pn = a[2]
            nt = split(rates, r, " "); tsum = 0; for (j = 1; j <= nt; j++) tsum += r[j] * i
            nb = split(backlogs, b, " "); bmax = 0
            for (j = 1; j <= nb; j++) if (b[j] + 0 > bmax) bmax = b[j] + 0
            print "Counters:"
            row("messagesSent (delivery check)", sent, "", 1)
            row("messagesReceived", recv, sprintf("== messagesExpected %d", exp_), recv == exp_)
            d = sent - probes - psum
            row(sprintf("all %d periods: sum(publishRate x length)", pn), sprintf("%.0f", psum),
                sprintf("messagesSent-%d %+.0f (%+.3f%%)", probes, -d, sent ? -100 * d / sent : 0),
                sent > 0 && abs(d) <= 0.002 * sent)
            mean = nt ? tsum / nt / i : 0
            row(sprintf("measured %d periods: mean publishRate", nt), sprintf("%.1f", mean),
                sprintf("%d msg/s %+.3f%%", rate, 100 * (mean - rate) / rate),
                nt > 0 && abs(mean - rate) <= 0.01 * rate)
            row("max backlog (messages)", bmax, sprintf("<= 5 s of traffic (%d)", 5 * rate),
                nb > 0 && bmax <= 5 * rate)
            print bad ? "FAILED" : "ok" > out
        }'
    [ "$(cat "$OUT/counters-verdict" 2>/dev/null)" = ok ] || failed="$failed the counters do not add up;"
fi

echo
if [ -n "$failed" ]; then
    echo "soak: FAILED:$failed" >&2
    exit 1
fi
echo "soak: passed: memory flat, every message delivered, counters consistent ($elapsed s)"
