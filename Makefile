# Thin wrapper over CMake presets. `make serve` and `make test` are the two commands in README.md.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
DATA_DIR ?= ./fhir-data
JOBS ?= $(shell nproc)

.PHONY: deps build serve test bench clean asan

deps:
	@scripts/deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake --preset $(PRESET)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build --preset $(PRESET) -j $(JOBS)

serve: build
	$(BUILD_DIR)/apps/fhir-serve/fhir-serve --data-dir $(DATA_DIR) --dev --demo --listen 0.0.0.0:8443

test: build
	@scripts/npm-deps.sh
	ctest --preset $(PRESET) -j $(JOBS) --output-on-failure

bench: build
	@scripts/deps.sh --bench
	bench/read.sh

asan:
	$(MAKE) test PRESET=asan

clean:
	rm -rf build
