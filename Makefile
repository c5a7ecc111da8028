# Thin front door over CMake: every target first makes sure the packages are
# there (scripts/setup.sh is quiet when nothing is missing), then builds.

BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all setup build check demo install clean check-asan check-tsan check-sanitized fuzz valgrind soak bench bench-smoke

all: build

setup:
	@sh scripts/setup.sh

# The build's progress goes to $(BUILD)/build.log; warnings are shown, and
# the whole log when the build fails.
build: setup
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) > $(BUILD)/build.log 2>&1 \
		|| { cat $(BUILD)/build.log; echo "build failed (log: $(BUILD)/build.log)"; exit 1; }
	@grep -i -A3 'warning:' $(BUILD)/build.log || true

check: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The binary, its man page and the driver and workload files it ships, under
# PREFIX (default /usr/local; e.g. make install PREFIX=$HOME/.local).
PREFIX ?= /usr/local
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

# A short run on the embedded Kafka, then its HTML report beside the result.
DEMO_DIR = $(BUILD)/demo
demo: build
	@mkdir -p $(DEMO_DIR)
	@./$(BUILD)/ombc run --report-interval 5 -o $(DEMO_DIR)/quickstart.json workloads/quickstart.yaml
	@printf 'HTML report: '; ./$(BUILD)/ombc chart -o $(DEMO_DIR)/quickstart.html $(DEMO_DIR)/quickstart.json

# The whole suite under sanitizers. Every process writes its reports to
# $(BUILD)/sanitizer/<tool>.<pid>: the tests, ombc and its agents (exec'd
# from the same instrumented binary, so an agent's report, or its leaks at
# exit, would otherwise be lost: nobody checks an agent's exit status after
# "stop"). The target fails when any report was written, even if every test
# passed, and prints them. OMBC_SANITIZER tells the tests which sanitizer
# slows them down (address or thread), for their throughput assertions.
SAN_DIR = $(CURDIR)/$(BUILD)/sanitizer
check-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
		CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=Debug -DOMBC_SANITIZE=ON" \
		SAN_ENV="OMBC_SANITIZER=address ASAN_OPTIONS=log_path=$(CURDIR)/build-asan/sanitizer/asan \
			UBSAN_OPTIONS=log_path=$(CURDIR)/build-asan/sanitizer/asan:print_stacktrace=1" \
		check-sanitized

# TSan slows the code 5-15x, so it keeps the optimised build; librdkafka is
# not instrumented: tests/tsan.supp says what is suppressed and why.
check-tsan:
	@$(MAKE) --no-print-directory BUILD=build-tsan \
		CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=RelWithDebInfo -DOMBC_SANITIZE_THREAD=ON" \
		SAN_ENV="OMBC_SANITIZER=thread TSAN_OPTIONS=log_path=$(CURDIR)/build-tsan/sanitizer/tsan:halt_on_error=0:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp" \
		check-sanitized

check-sanitized: build
	@rm -rf $(SAN_DIR) && mkdir -p $(SAN_DIR)
	@cd $(BUILD) && env $(SAN_ENV) ctest --output-on-failure -j $(JOBS); rc=$$?; \
	if [ -n "$$(ls -A $(SAN_DIR))" ]; then \
		cat $(SAN_DIR)/*; echo "sanitizer reports: $(BUILD)/sanitizer/ (above)"; exit 1; \
	fi; exit $$rc

# Coverage-guided fuzzing of the decoders (clang + libFuzzer), each target
# for FUZZ_SECONDS; the corpus lives in tests/fuzz/.
FUZZ_SECONDS ?= 60
fuzz:
	@sh scripts/setup.sh fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh scripts/fuzz.sh

# One short end-to-end run (coordinator and agents) under valgrind memcheck:
# fails on any error or any byte definitely lost; see scripts/valgrind.sh.
valgrind: build
	@sh scripts/setup.sh valgrind
	@sh scripts/valgrind.sh $(BUILD)/ombc $(BUILD)/valgrind

# SOAK_MINUTES at a high rate with --check-delivery: resident memory of the
# coordinator and every agent stays flat, the counters add up; see
# scripts/soak.sh (SOAK_RATE, SOAK_SAMPLE_SECONDS, tolerances).
SOAK_MINUTES ?= 10
soak: build
	@SOAK_MINUTES=$(SOAK_MINUTES) sh scripts/soak.sh $(BUILD)/ombc $(BUILD)/soak

# The benchmark suite (bench/bench.c): ombc's ceiling on the null driver, its
# Kafka overhead against a plain librdkafka loop, rate and delay precision,
# memory and start-up time; prints a markdown table per measurement and
# writes them to $(BUILD)/bench/results.md (docs/PERFORMANCE.md says how
# each figure is measured). Roughly 7 minutes; BENCH_FLAGS adds options
# (`$(BUILD)/bench/ombc-bench --help`). bench-smoke runs each measurement
# for a few seconds and checks only that every figure came out.
BENCH_FLAGS ?=
bench: build
	@./$(BUILD)/bench/ombc-bench --out $(BUILD)/bench/results.md $(BENCH_FLAGS)

bench-smoke: build
	@./$(BUILD)/bench/ombc-bench --smoke --out $(BUILD)/bench/results-smoke.md $(BENCH_FLAGS)

clean:
	rm -rf build build-asan build-tsan build-fuzz
