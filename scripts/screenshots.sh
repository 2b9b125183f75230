#!/bin/sh
# Photographs each screen of the real app under a virtual X server, with the
# Kent sample loaded into a register in a temporary folder, and writes the
# PNGs to docs/screenshots/. It fails if Fyne reports a widget touched off
# the UI goroutine ("Error in Fyne call thread"), which the headless test
# driver cannot see.
#
# Usage: scripts/screenshots.sh [BINARY]   (run from the repository root;
# `make screenshots` builds the binary and runs this under xvfb-run)
set -eu

bin=${1:-./improvement-tracker}
out=docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The register and Fyne's preferences live in the temporary folder, so the
# pictures do not depend on (or change) the user's own register.
export XDG_CONFIG_HOME="$work/config"
export LANG=en_GB.UTF-8
# Light theme for the documentation; the app follows the system otherwise.
export FYNE_THEME=light
export IMPROVEMENT_TRACKER_DB="$work/register.db"
log="$work/app.log"
: >"$log"
mkdir -p "$out"

# shot NAME SCREEN: start the app on SCREEN, wait for its window, and save
# the whole screen as NAME.png.
shot() {
	IMPROVEMENT_TRACKER_SCREEN="$2" "$bin" >>"$log" 2>&1 &
	pid=$!
	if ! timeout 30 xdotool search --sync --onlyvisible --name "Improvement Tracker" >/dev/null; then
		kill "$pid" 2>/dev/null || true
		echo "screenshots: the window for $2 did not appear" >&2
		cat "$log" >&2
		exit 1
	fi
	# Let the register load and the first frames draw.
	sleep 2
	import -window root "$out/$1.png"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}

# The first run is driven from the keyboard, as a person would: the welcome
# screen, Tab and Space on its first button to load the sample (which runs
# off the UI goroutine), then Ctrl+F and a search.
IMPROVEMENT_TRACKER_SCREEN=welcome "$bin" >>"$log" 2>&1 &
pid=$!
win=$(timeout 30 xdotool search --sync --onlyvisible --name "Improvement Tracker" | head -1)
sleep 2
import -window root "$out/01-welcome.png"
xdotool windowfocus --sync "$win" key Tab key space
sleep 3
import -window root "$out/02-register.png"
xdotool key ctrl+f
sleep 0.5
xdotool type --delay 80 "RUI"
sleep 1
import -window root "$out/02-register-search.png"
kill "$pid"
wait "$pid" 2>/dev/null || true
if ! "$bin" list --db "$IMPROVEMENT_TRACKER_DB" 2>>"$log" | grep -q "KEN-PEEL2122-AFI-16"; then
	echo "screenshots: loading the sample from the welcome screen did not fill the register" >&2
	cat "$log" >&2
	exit 1
fi

shot 03-finding-details "editor:KEN-PEEL2122-AFI-16#Details"
shot 04-finding-milestones "editor:KEN-PEEL2122-AFI-16#Milestones"
shot 05-finding-evidence "editor:KEN-PEEL2122-AFI-16#Evidence"
shot 06-finding-updates "editor:KEN-PEEL2122-AFI-16#Progress updates"
shot 07-finding-history "editor:KEN-PEEL2122-AFI-16#History"
shot 08-dashboard dashboard
shot 09-reports reports
shot 10-people people
shot 11-settings settings

# Dialogs, driven as a person would. The window is 1280x800 at the top left
# of the virtual screen, so the fields are at fixed places.
# The target revision: move AFI-16's current target and give the reason.
IMPROVEMENT_TRACKER_SCREEN="editor:KEN-PEEL2122-AFI-16" "$bin" >>"$log" 2>&1 &
pid=$!
win=$(timeout 30 xdotool search --sync --onlyvisible --name "Improvement Tracker" | head -1)
sleep 2
xdotool windowfocus --sync "$win"
xdotool mousemove 820 447 click 1 key ctrl+a
xdotool type "31/03/2027"
xdotool key ctrl+s
sleep 1
xdotool type --delay 20 "The case management change moved to the spring release."
sleep 0.5
import -window root "$out/12-target-revision.png"
kill "$pid"
wait "$pid" 2>/dev/null || true

# The export: the quarterly return written into the temporary folder (the
# export screen offers the Documents folder under HOME, shown as
# ~/Documents, so the picture names no folder of this computer).
mkdir -p "$work/Documents"
HOME="$work" IMPROVEMENT_TRACKER_SCREEN=export "$bin" >>"$log" 2>&1 &
pid=$!
win=$(timeout 30 xdotool search --sync --onlyvisible --name "Improvement Tracker" | head -1)
sleep 2
import -window root "$out/13-export.png"
xdotool windowfocus --sync "$win"
xdotool mousemove 39 503 click 1
sleep 3
import -window root "$out/14-export-done.png"
kill "$pid"
wait "$pid" 2>/dev/null || true
if ! ls "$work"/Documents/*.xlsx >/dev/null 2>&1; then
	echo "screenshots: the export screen did not write a workbook" >&2
	cat "$log" >&2
	exit 1
fi

if grep -q "Error in Fyne call thread" "$log"; then
	echo "screenshots: Fyne reported a widget update off the UI goroutine:" >&2
	grep -A5 "Error in Fyne call thread" "$log" >&2
	exit 1
fi
echo "screenshots: wrote $(ls "$out"/*.png | wc -l) PNGs to $out"
