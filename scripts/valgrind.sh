#!/bin/sh
# One short end-to-end `ombc run` on the embedded Kafka under valgrind's
# memcheck (`make valgrind`): the coordinator (with the mock brokers in it)
# and, through --trace-children=yes, every agent process it execs. Each
# process writes its own log, OUT/vg.<pid>.log; the script prints one line
# per process and fails on any memcheck error or any byte "definitely lost"
# in any of them (an agent's exit status is not checked by the coordinator,
# so the logs are the verdict), on a failed run, or on a message missing in
# the run's delivery check.
#   sh scripts/valgrind.sh [OMBC] [OUT]   default: build/ombc, build/valgrind
# No suppression is needed today (what librdkafka, libsasl2 and libc keep
# at exit is "still reachable", not an error); should one be, it goes in
# tests/valgrind.supp, used when present: system libraries only, with why.
set -eu

cd "$(dirname "$0")/.."
OMBC=${1:-build/ombc}
OUT=${2:-build/valgrind}
AGENTS=2
[ -x "$OMBC" ] || { echo "valgrind: no ombc binary at $OMBC (make build)" >&2; exit 2; }
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (sh scripts/setup.sh valgrind)" >&2; exit 2; }
OMBC=$(cd "$(dirname "$OMBC")" && pwd)/$(basename "$OMBC")
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Small and slow (memcheck runs everything 20-50x slower, and serialises each
# process's threads), but touching what a real run does: two agents with a
# producer and a consumer each, keys, randomized payloads, .hlog files and
# the delivery check.
cat >"$OUT/valgrind.yaml" <<'EOF'
name: valgrind
topics: 1
partitionsPerTopic: 4
messageSize: 100
useRandomizedPayloads: true
randomBytesRatio: 0.5
randomizedPayloadPoolSize: 16
keyDistributor: KEY_ROUND_ROBIN
subscriptionsPerTopic: 1
consumerPerSubscription: 2
producersPerTopic: 2
producerRate: 500
testDurationSeconds: 10
warmupDurationSeconds: 2
EOF

SUPP=""
[ -f tests/valgrind.supp ] && SUPP="--suppressions=$PWD/tests/valgrind.supp"
start=$(date +%s)
set +e
# shellcheck disable=SC2086
(cd "$OUT" && timeout 900 valgrind --tool=memcheck --trace-children=yes \
    --child-silent-after-fork=yes --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite \
    --num-callers=30 --log-file="$OUT/vg.%p.log" $SUPP \
    "$OMBC" run --agents $AGENTS --report-interval 5 --check-delivery --hlog "$OUT" \
    -o "$OUT/result.json" "$OUT/valgrind.yaml" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt")
rc=$?
set -e
elapsed=$(( $(date +%s) - start ))

# "1,234" -> 1234 for the byte counts.
field() { sed -n "s/.*$1: *\([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1/p" "$2" | tr -d , | tail -1; }
failed=""
procs=0
printf '%-28s %8s %12s %12s %12s\n' process errors definitely indirectly possibly
for log in "$OUT"/vg.*.log; do
    procs=$((procs + 1))
    cmd=$(sed -n 's/^==[0-9]*== Command: //p' "$log" | head -1)
    case "$cmd" in
    *" agent "*) name="agent $(echo "$cmd" | sed -n 's/.*--index \([0-9]*\).*/\1/p')" ;;
    *" run "*) name="coordinator" ;;
    *) name="$cmd" ;;
    esac
    name="$name ($(basename "$log" .log | sed 's/vg\.//'))"
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tr -d , | tail -1)
    if grep -q "All heap blocks were freed" "$log"; then
        def=0 ind=0 pos=0
    else
        def=$(field "definitely lost" "$log")
        ind=$(field "indirectly lost" "$log")
        pos=$(field "possibly lost" "$log")
    fi
    printf '%-28s %8s %12s %12s %12s\n' "$name" "${errors:-?}" "${def:-?}" "${ind:-?}" "${pos:-?}"
    [ "${errors:-x}" = 0 ] || failed="$failed $name: ${errors:-no} errors (no summary: did it finish?);"
    [ "${def:-x}" = 0 ] || failed="$failed $name: ${def:-?} bytes definitely lost;"
done
echo "ombc exit status $rc, $elapsed s; logs in $OUT"
[ "$rc" -eq 0 ] || failed="$failed ombc run exited with $rc (see $OUT/stderr.txt);"
[ "$procs" -eq $((AGENTS + 1)) ] || failed="$failed $procs valgrind logs, expected $((AGENTS + 1));"
grep -q '"deliveryCheck"' "$OUT/result.json" 2>/dev/null || failed="$failed no deliveryCheck in the result;"
if [ -n "$failed" ]; then
    echo "valgrind: FAILED:$failed" >&2
    exit 1
fi
echo "valgrind: no errors, nothing definitely lost"
