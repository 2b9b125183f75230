#!/usr/bin/env bash
# Builds dist/Improvement Tracker.app on a Mac: a universal app that runs
# natively on Apple silicon (arm64) and Intel (amd64) Macs, and a zip of it
# to hand out. Needs Go and the Xcode command line tools (xcode-select
# --install); "make dist-macos" installs the fyne packaging command.
#
# Signing, for an IT department that hands the app out:
#   CODESIGN_IDENTITY="Developer ID Application: Force Name (TEAMID)"
#     signs with that certificate and the hardened runtime; without it the
#     app is signed ad hoc, which runs on the Mac that built it.
#   NOTARY_PROFILE=profile-name
#     also sends the zip to Apple's notary service and staples the ticket
#     (set the profile up once with "xcrun notarytool store-credentials").
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != Darwin ]; then
  echo "dist-macos: this builds on a Mac only (it needs Apple's SDK and lipo)." >&2
  exit 1
fi

GO=${GO:-go}
FYNE=${FYNE:-fyne}
APP="Improvement Tracker.app"
EXE=improvement-tracker
version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
start=$(date +%s)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# "fyne package" writes generated files into the source folder while it
# builds, so it runs on a copy of the working tree.
mkdir "$stage/src"
tar -cf - --exclude=./.git --exclude=./dist --exclude='*.db' --exclude='*.exe' \
    --exclude=./improvement-tracker . | tar -C "$stage/src" -xf -

# The badge drawn to Apple's icon grid, used as it is.
"$GO" run ./scripts/icon/main.go -badge 824 -o "$stage/src/icon-macos.png"

for arch in arm64 amd64; do
  (
    cd "$stage/src"
    rm -rf "$APP"
    CGO_ENABLED=1 GOOS=darwin GOARCH=$arch \
      "$FYNE" package -os darwin --release --use-raw-icon --icon icon-macos.png --exe "$EXE"
    mv "$APP" "$stage/$arch.app"
  )
done

# One bundle, its program made universal with lipo.
rm -rf "dist/$APP"
mkdir -p dist
cp -R "$stage/arm64.app" "dist/$APP"
lipo -create -output "dist/$APP/Contents/MacOS/$EXE" \
  "$stage/arm64.app/Contents/MacOS/$EXE" "$stage/amd64.app/Contents/MacOS/$EXE"
lipo "dist/$APP/Contents/MacOS/$EXE" -verify_arch arm64 x86_64

# lipo invalidates the per-architecture signatures: sign the bundle again.
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "dist/$APP"
else
  codesign --force --sign - "dist/$APP"
fi
codesign --verify --strict --verbose=2 "dist/$APP"

zip="dist/improvement-tracker-$version-macos-universal.zip"
rm -f "$zip"
ditto -c -k --keepParent "dist/$APP" "$zip"

if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$zip" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "dist/$APP"
  rm -f "$zip"
  ditto -c -k --keepParent "dist/$APP" "$zip"   # the zip now carries the stapled ticket
fi

echo "dist-macos: built in $(( $(date +%s) - start )) s"
ls -ld "dist/$APP" "$zip"
