# Improvement Tracker. `make run` opens the app; `make test` runs every check
# CI runs. Both install the Debian/Ubuntu packages they need when missing.

GO      ?= go
BIN     := improvement-tracker
# Dates in widgets follow the locale; pin it so tests and goldens agree.
export LANG := en_GB.UTF-8

# Fyne's GLFW driver needs the GL and X11 headers to build on Linux.
APT_BUILD := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev
# Looking at the real window: a virtual X server and screenshot tools.
APT_SHOT  := xvfb xauth imagemagick xdotool x11-utils

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

.PHONY: all run build test vet unit deps-build deps-shot bench clean

all: build

deps-build:
	$(call apt_ensure,$(APT_BUILD))

deps-shot: deps-build
	$(call apt_ensure,$(APT_SHOT))

build: deps-build
	$(GO) build -o $(BIN) .

run: build
	./$(BIN)

# test is what CI runs: formatting, vet and the race-checked suite on the
# headless driver (the ci tag), then a real build of the GUI binary so that
# a broken GLFW build is caught too.
test: vet unit build
	@echo "make test: all checks passed"

vet:
	@fmt=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$fmt" ]; then echo "gofmt needed:"; echo "$$fmt"; exit 1; fi
	$(GO) vet -tags ci ./...

unit:
	$(GO) test -race -count=1 -tags ci -timeout 30m ./...

bench:
	$(GO) test -tags ci -run '^$$' -bench . -benchmem -benchtime 5x ./...

clean:
	rm -f $(BIN) $(BIN).exe
