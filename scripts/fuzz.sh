#!/bin/sh
# Coverage-guided fuzzing of ombc's decoders with clang's libFuzzer, ASan and
# UBSan (`make fuzz`). Every fuzz/fuzz_<name>.c is a target, picked up
# without changes here:
#   fuzz/fuzz_<name>.c      the target (LLVMFuzzerTestOneInput)
#   fuzz/<name>.dict        optional libFuzzer dictionary
#   fuzz/<name>.flags       optional extra libFuzzer flags (one line)
#   tests/fuzz/<name>/      its checked-in corpus (seeds and merged finds)
# Builds everything into build-fuzz/ (CMake, -DOMBC_FUZZ=ON, clang), runs each
# target for FUZZ_SECONDS (default 60) with one process, writing new inputs to
# build-fuzz/corpus/<name>/, then merges (-merge=1) into the checked-in corpus
# only those that add coverage. Crashes, leaks, UB, timeouts and OOMs are
# saved in build-fuzz/crashes/ and make the script exit non-zero.
#   FUZZ_SECONDS=600 sh scripts/fuzz.sh           all targets, 10 min each
#   FUZZ_SECONDS=0 sh scripts/fuzz.sh             only replay the corpora
#   FUZZ_TARGETS="hdr_decode" sh scripts/fuzz.sh  only these
set -eu

cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
case "$FUZZ_SECONDS" in
'' | *[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac
BUILD=build-fuzz
JOBS=$(nproc 2>/dev/null || echo 2)

mkdir -p "$BUILD"
cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DOMBC_FUZZ=ON >"$BUILD/configure.log" 2>&1 \
    || { cat "$BUILD/configure.log"; echo "fuzz: configure failed" >&2; exit 1; }
cmake --build "$BUILD" --target ombc_fuzz -j "$JOBS" >"$BUILD/build.log" 2>&1 \
    || { cat "$BUILD/build.log"; echo "fuzz: build failed (log: $BUILD/build.log)" >&2; exit 1; }
grep -i -A3 'warning:' "$BUILD/build.log" || true

if [ -z "${FUZZ_TARGETS:-}" ]; then
    FUZZ_TARGETS=$(for src in fuzz/fuzz_*.c; do basename "$src" .c | sed 's/^fuzz_//'; done)
fi

mkdir -p "$BUILD/crashes"
failed=""
for name in $FUZZ_TARGETS; do
    bin="$BUILD/fuzz/fuzz_$name"
    [ -x "$bin" ] || { echo "fuzz: no target $bin" >&2; exit 1; }
    corpus="tests/fuzz/$name"
    scratch="$BUILD/corpus/$name"
    mkdir -p "$corpus"
    rm -rf "$scratch"
    mkdir -p "$scratch"
    if [ "$FUZZ_SECONDS" -gt 0 ]; then
        set -- -max_total_time="$FUZZ_SECONDS"
    else
        set -- -runs=0 # libFuzzer reads max_total_time=0 as "no limit"
    fi
    set -- "$@" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$BUILD/crashes/$name-"
    [ -f "fuzz/$name.dict" ] && set -- "$@" -dict="fuzz/$name.dict"
    # shellcheck disable=SC2046
    [ -f "fuzz/$name.flags" ] && set -- "$@" $(cat "fuzz/$name.flags")
    log="$BUILD/fuzz-$name.log"
    if [ "$FUZZ_SECONDS" -gt 0 ]; then
        echo "fuzz: $name for ${FUZZ_SECONDS}s (log: $log)" >&2
    else
        echo "fuzz: $name: replaying $corpus (log: $log)" >&2
    fi
    # The first directory receives new inputs; the second is only read.
    if "$bin" "$@" "$scratch" "$corpus" >"$log" 2>&1; then
        grep -E '^#[0-9]+.*DONE|^stat::' "$log" >&2 || true
        [ "$FUZZ_SECONDS" -gt 0 ] || continue
        "$bin" -merge=1 -max_len=4096 "$corpus" "$scratch" >"$BUILD/merge-$name.log" 2>&1 \
            || { cat "$BUILD/merge-$name.log"; echo "fuzz: merge failed for $name" >&2; exit 1; }
        echo "fuzz: $name corpus: $(find "$corpus" -type f | wc -l) inputs" >&2
    else
        tail -n 60 "$log" >&2
        failed="$failed $name"
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz: failures in:$failed; inputs in $BUILD/crashes/" >&2
    ls -l "$BUILD/crashes" >&2
    exit 1
fi
