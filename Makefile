# kobun — two commands on a fresh Debian 12 machine:
#   make run    install what is missing, build, ingest fixtures/reports into kobun.db, print stats
#   make test   install what is missing, build with ASan+UBSan, run the whole test suite

PACKAGES := build-essential cmake pkg-config python3 sqlite3 \
            libicu-dev libre2-dev libpoppler-private-dev poppler-data poppler-utils \
            libsqlite3-dev libsqlitecpp-dev libspdlog-dev libfmt-dev libcli11-dev \
            libtomlplusplus-dev nlohmann-json3-dev libssl-dev libgtest-dev \
            libpq-dev postgresql-15 libgoogle-perftools-dev

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
JOBS := $(shell nproc)
DB   ?= kobun.db

.PHONY: run test deps build build-test clean

run: build
	./build/release/kobun run --db $(DB) fixtures/reports
	./build/release/kobun stats --db $(DB)

test: build-test
	cd build/test && ctest --output-on-failure -j $(JOBS)

deps:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing packages:" $$missing; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DKOBUN_TESTS=OFF
	cmake --build build/release -j $(JOBS)

build-test: deps
	cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Debug -DKOBUN_SANITIZE=ON
	cmake --build build/test -j $(JOBS)

clean:
	rm -rf build
