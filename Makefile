# Improvement Tracker. `make run` opens the app; `make test` runs every check
# CI runs. Both install the Debian/Ubuntu packages they need when missing.

GO      ?= go
BIN     := improvement-tracker
# Dates in widgets follow the locale; pin it so tests and goldens agree.
export LANG := en_GB.UTF-8

# Fyne's GLFW driver needs the GL and X11 headers to build on Linux.
APT_BUILD := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev
# The shared-register tests start a throwaway PostgreSQL server of their own
# (testkit/pgtest), from the distribution's server package.
# The papers (PDF) are read back with pdftotext, from poppler-utils.
APT_TEST  := postgresql poppler-utils
# Looking at the real window: a virtual X server and screenshot tools.
APT_SHOT  := xvfb xauth imagemagick xdotool x11-utils poppler-utils

# apt_ensure installs the listed Debian packages that are missing. On a
# machine without dpkg (macOS) it does nothing.
define apt_ensure
	@command -v dpkg >/dev/null 2>&1 || exit 0; \
	missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

.PHONY: all run build test vet unit deps-build deps-test deps-shot bench clean

all: build

deps-build:
	$(call apt_ensure,$(APT_BUILD))

deps-test:
	$(call apt_ensure,$(APT_TEST))

deps-shot: deps-build
	$(call apt_ensure,$(APT_SHOT))

build: deps-build
	$(GO) build -o $(BIN) .

run: build
	./$(BIN)

# test is what CI runs: the build packages first (the race detector needs gcc),
# and PostgreSQL for the shared-register tests, then formatting, vet and the
# race-checked suite on the headless driver (the ci tag) with the full-size
# shared-register concurrency test once more without the race detector (which
# runs it smaller), then a real build of the GUI binary so that a broken GLFW
# build is caught too.
test: deps-build deps-test vet unit build
	@echo "make test: all checks passed"

vet:
	@fmt=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$fmt" ]; then echo "gofmt needed:"; echo "$$fmt"; exit 1; fi
	$(GO) vet -tags ci ./...

unit:
	$(GO) test -race -count=1 -tags ci -timeout 30m ./...
	$(GO) test -count=1 -tags ci -run '^TestConcurrentClients$$' ./storage/postgres/

bench:
	$(GO) test -tags ci -run '^$$' -bench . -benchmem -benchtime 5x ./...

clean:
	rm -f $(BIN) $(BIN).exe

# ---- Delivery: Windows and macOS packages ---------------------------------
# dist-windows cross-compiles the Windows programs into dist/ with MinGW-w64
# and "fyne package" (icon, name and version from FyneApp.toml);
# check-windows builds them and proves from the files what cannot be run
# here: subsystem, icon, version resource, and only system DLLs. dist-macos
# runs on a Mac. See scripts/dist-*.sh.
FYNE_VERSION := v1.7.4
FYNE       := $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)/fyne

.PHONY: fyne-cli deps-windows dist-windows vet-windows check-windows dist-macos

# fyne-cli installs the packaging command at the pinned version.
fyne-cli:
	@"$(FYNE)" version 2>/dev/null | grep -qF '$(FYNE_VERSION)' || $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)

deps-windows:
	$(call apt_ensure,gcc-mingw-w64-x86-64)

dist-windows: deps-windows fyne-cli
	GO=$(GO) FYNE=$(FYNE) scripts/dist-windows.sh

# vet-windows type-checks the Windows-only code (console, file locking) and
# its tests, which the Linux vet does not see.
vet-windows:
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) vet -tags ci ./...

check-windows: vet-windows dist-windows
	IMPROVEMENT_TRACKER_REQUIRE_EXE=1 $(GO) test -count=1 -v -run 'TestDistWindows' ./testkit/winexe/

dist-macos: fyne-cli
	GO=$(GO) FYNE=$(FYNE) scripts/dist-macos.sh

# ---- Importers (report parser and return reader) -------------------------
# fuzz runs each importer fuzz target for FUZZTIME (60 s by default), one
# after another, and stops at the first input that panics, hangs or breaks
# an invariant. Failing inputs are saved under testdata/fuzz for a test.
# New inputs are minimised for at most 1 s: minimising a report-sized input
# for longer leaves no time for fuzzing.
FUZZTIME ?= 60s
FUZZ_TARGETS := ./importer/report:FuzzParse ./importer/report:FuzzDecode ./importer/report:FuzzHTML \
                ./importer/returns:FuzzRead ./importer/returns:FuzzCellDate

.PHONY: fuzz
fuzz:
	@for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$pkg $$fn for $(FUZZTIME)"; \
	  $(GO) test -tags ci -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1s $$pkg || exit 1; \
	done

# ---- Faults ----------------------------------------------------------------
# faults runs the fault campaign: FAULT_TRIALS writers killed mid-save, one-bit
# flips inside stored records and registers cut short; spoilt header pages; a
# full disk and read-only media on small filesystems it mounts (it says why it
# skips them where it may not mount); the zip bombs and bad cells of a
# return; and the edges: hostile PDFs, workbooks under the unzip cap, devices
# and a pipe given as files, restores beside an import loop, two processes
# importing into one register, and registers that never came to be. It
# prints a table: trials, detected (reported in words), undetected,
# lost (acknowledged changes lost), panics, and messages with internal text.
# A few minutes; not part of make test, which runs a short version
# (testkit/faults TestShortCampaign).
FAULT_TRIALS ?= 100
FAULT_SEED   ?= 11
.PHONY: faults
faults:
	$(GO) run ./testkit/faults/campaign -trials $(FAULT_TRIALS) -seed $(FAULT_SEED)

# ---- Storage ---------------------------------------------------------------
# bench-storage measures the register file on the synthetic register (10,000
# findings, 50,000 milestones, 200,000 updates, 20,000 evidence references),
# made on first use (about half a minute) and cached in the temporary folder.
# Saves are timed over 100 runs because each one waits for the disk to sync.
# The window's first start of a day is timed over 3 (each makes the day's
# backup in the background, waited for untimed). The full check is timed
# over 3, with its peak heap. Then it prints how the register file's bytes are spent, section by
# section: entries, pages, bytes in use and how full the pages are
# (bench/boltsize).
.PHONY: bench-storage
bench-storage:
	$(GO) test -tags ci -run '^$$' -bench 'OpenAndList' -benchtime 10x ./storage/bolt/
	$(GO) test -tags ci -run '^$$' -bench 'FirstOpenOfDay' -benchtime 3x ./storage/bolt/
	$(GO) test -tags ci -run '^$$' -bench 'SaveFinding|AppendUpdate' -benchtime 100x ./storage/bolt/
	$(GO) test -tags ci -run '^$$' -bench '^BenchmarkFullCheck$$' -benchtime 3x ./storage/bolt/
	$(GO) run ./bench/boltsize "$$(ls -t "$${TMPDIR:-/tmp}"/improvement-tracker-synthetic/register-g*-10000-50000-200000-20000.db | head -1)"

# bench-postgres runs the same operations on the file and on a shared
# register (the synthetic register copied into a throwaway PostgreSQL server
# on this computer, about a minute per benchmark), side by side: every
# benchmark of the package but BenchmarkDistance, which bench-server runs.
.PHONY: bench-postgres
bench-postgres: deps-test
	$(GO) test -tags ci -run '^$$' -bench '^Benchmark[^D]' -benchtime 20x ./storage/postgres/

# bench-server runs open and list, a save and the return on the synthetic
# register in a throwaway PostgreSQL server reached through a proxy in the
# test that adds nothing, and one that adds 30 ms to each round trip, as a
# force laptop on the VPN sees the server, with each one's round trips and
# the return from the file beside them; -v prints the ratios (a few minutes).
.PHONY: bench-server
bench-server: deps-test
	$(GO) test -tags ci -run '^$$' -bench Distance -benchtime 5x -v ./storage/postgres/

# --- Exports: benchmark against exceljs, and a LibreOffice check -----------
# bench-export times the progress return of the 10,000-finding synthetic
# register against a peer writing the same workbook with exceljs on Node.js
# (npm installs it into bench/ on first use), and prints both times, peak
# memory and the ratio, then a table of the return, the register screen and
# the dashboard at 1,000, 10,000 and 50,000 findings. verify-xlsx has LibreOffice open the sample's Q3
# 2025/26 return and a briefing and convert them to PDF (and PNG pages to
# look at) in bench/out/verify, reports the smallest printed text of each
# sheet (failing under 8 points), checks list --format csv in LibreOffice
# and has msoffcrypto-tool decrypt a password-protected return and
# LibreOffice open it; it installs libreoffice-calc-nogui, poppler-utils,
# python3-msoffcrypto-tool, python3-uno and the
# fonts metric-compatible with Arial and Calibri (without them LibreOffice
# lays text out wider than Excel does) when missing. Both are slow, so
# neither is part of make test.
.PHONY: bench-export verify-xlsx deps-node
bench-export:
	$(call apt_ensure,time)
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory deps-node
	bench/bench-export.sh

deps-node:
	$(call apt_ensure,nodejs npm)

verify-xlsx:
	$(call apt_ensure,libreoffice-calc-nogui poppler-utils fonts-liberation fonts-crosextra-carlito python3-msoffcrypto-tool python3-uno)
	bench/verify-xlsx.sh

# ---- GUI: screenshots and benchmarks ---------------------------------------
# screenshots runs the real app under a virtual X server with the Kent
# sample in a temporary register and saves a PNG of each screen's window
# (1280x720; the finding editor's form 1280x1100, so the screen is that
# tall) into docs/screenshots/ and docs/screenshots/dark/. A screen that
# hangs is stopped after its time limit; it fails if a screen was not
# taken or Fyne reports a widget touched off the UI goroutine. bench-gui replays keystrokes in the search box and builds the
# dashboard on the 10,000-finding synthetic register.
.PHONY: screenshots bench-gui

screenshots: deps-shot build
	xvfb-run -a -s "-screen 0 1280x1100x24" scripts/screenshots.sh ./$(BIN)

bench-gui:
	$(GO) test -tags ci -run '^$$' -bench Keystroke -benchmem -benchtime 66x ./app/
	$(GO) test -tags ci -run '^$$' -bench 'RegisterLoad|Dashboard' -benchmem -benchtime 3x ./app/
