#!/usr/bin/env bash
# Builds the Windows programs into dist/ from Linux (or from Windows with a
# MinGW-w64 gcc on the PATH):
#   dist/improvement-tracker.exe      the desktop app (window subsystem)
#   dist/improvement-tracker-cli.exe  the same program as a console program
# "fyne package" adds the icon, the name and the version from FyneApp.toml.
# It writes generated files into the source folder while it builds, so it
# runs on a copy: the working tree is never touched.
#
# Usage: scripts/dist-windows.sh   (FYNE and CC may be set; make sets both)
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
FYNE=${FYNE:-fyne}
CC=${CC:-x86_64-w64-mingw32-gcc}
start=$(date +%s)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# The source as it is in the working tree, without the repository, earlier
# builds or registers.
tar -cf - --exclude=./.git --exclude=./dist --exclude='*.db' --exclude='*.exe' \
    --exclude=./improvement-tracker . | tar -C "$stage" -xf -

# Windows shows icons up to 256 pixels: draw one at that size rather than
# leave the shell to shrink the 1024-pixel original.
"$GO" run ./scripts/icon/main.go -size 256 -o "$stage/icon-windows.png"

(
  cd "$stage"
  CC="$CC" CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
    "$FYNE" package -os windows --release --icon icon-windows.png --exe improvement-tracker.exe
)

mkdir -p dist
mv "$stage/Improvement Tracker.exe" dist/improvement-tracker.exe
"$GO" run ./scripts/console-exe dist/improvement-tracker.exe dist/improvement-tracker-cli.exe

echo "dist-windows: built in $(( $(date +%s) - start )) s"
ls -l dist/improvement-tracker.exe dist/improvement-tracker-cli.exe
