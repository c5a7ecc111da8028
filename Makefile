# Thin front door over CMake: every target first makes sure the packages are
# there (scripts/setup.sh is quiet when nothing is missing), then builds.

BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all setup build check demo clean check-asan fuzz

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

demo: build
	@./$(BUILD)/ombc run --report-interval 5 workloads/quickstart.yaml

check-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
		CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=Debug -DOMBC_SANITIZE=ON" check

# Coverage-guided fuzzing of the decoders (clang + libFuzzer), each target
# for FUZZ_SECONDS; the corpus lives in tests/fuzz/.
FUZZ_SECONDS ?= 60
fuzz:
	@sh scripts/setup.sh fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh scripts/fuzz.sh

clean:
	rm -rf build build-asan build-fuzz
