#!/bin/sh
# Photographs each screen of the real app under a virtual X server, with the
# Kent sample loaded into a register in a temporary folder, in the light
# theme (docs/screenshots/) and the dark one (docs/screenshots/dark/). It
# fails if Fyne reports a widget touched off the UI goroutine ("Error in
# Fyne call thread"), which the headless test driver cannot see.
#
# Before the screens are taken, the register is given what the captions
# promise and the sample lacks: a file attached to KEN-PEEL2122-AFI-16 (its
# SHA-256 shows in the list) and an example report published seven weeks
# ago, so that its PCC response due date shows. Both are added through the
# window, from the keyboard, as a lead would.
#
# Usage: scripts/screenshots.sh [BINARY]   (run from the repository root;
# `make screenshots` builds the binary and runs this under xvfb-run)
set -eu

bin=${1:-./improvement-tracker}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The register and Fyne's preferences live in the temporary folder, so the
# pictures do not depend on (or change) the user's own register.
export XDG_CONFIG_HOME="$work/config"
export LANG=en_GB.UTF-8
export IMPROVEMENT_TRACKER_DB="$work/register.db"
log="$work/app.log"
: >"$log"

# start SCREEN [TITLE]: start the app on SCREEN and wait until the window
# title contains TITLE (by default the force's name, which the title shows
# once the register is open, so no picture catches the "Opening the
# register…" screen); sets pid and win.
start() {
	IMPROVEMENT_TRACKER_SCREEN="$1" "$bin" >>"$log" 2>&1 &
	pid=$!
	if ! win=$(timeout 60 xdotool search --sync --onlyvisible --name "${2:-Kent Police}" | head -1); then
		kill "$pid" 2>/dev/null || true
		echo "screenshots: the window for $1 did not appear" >&2
		cat "$log" >&2
		exit 1
	fi
	# Let the register load and the first frames draw, with the pointer
	# on the menu bar where it highlights nothing.
	xdotool mousemove 1270 12
	sleep 2
	xdotool windowfocus --sync "$win"
}

stop() {
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}

# click X Y clicks at a place in the window (it fills the virtual screen
# from the top left, so places are fixed).
click() {
	xdotool mousemove "$1" "$2"
	sleep 0.2
	xdotool click 1
	xdotool mousemove 1270 12
	sleep 0.5
}

# shot NAME SCREEN: start the app on SCREEN and save the screen as NAME.png.
shot() {
	start "$2"
	import -window root "$out/$1.png"
	stop
}

# prepare loads the sample from the welcome screen, from the keyboard
# (Tab, then Space on its first button; the load runs off the UI
# goroutine), photographing the first run on the way; then it attaches a
# file and adds an example report.
prepare() {
	start welcome "Improvement Tracker"
	sleep 3
	import -window root "$out/01-welcome.png"
	xdotool key Tab key space
	sleep 3
	import -window root "$out/02-register.png"
	xdotool key ctrl+f
	sleep 0.5
	xdotool type --delay 80 "RUI"
	sleep 1
	import -window root "$out/02-register-search.png"
	stop
	if ! "$bin" list --db "$IMPROVEMENT_TRACKER_DB" 2>>"$log" | grep -q "KEN-PEEL2122-AFI-16"; then
		echo "screenshots: loading the sample from the welcome screen did not fill the register" >&2
		cat "$log" >&2
		exit 1
	fi

	# An attached file: its path typed into the evidence tab's path box,
	# then Enter in the details dialog.
	minutes="$work/Custody review board minutes November 2026.pdf"
	printf '%%PDF-1.4\n%% Custody review board minutes, RUI cases reviewed weekly.\n' >"$minutes"
	start "editor:KEN-PEEL2122-AFI-16#Evidence"
	click 600 208
	xdotool type --delay 10 "$minutes"
	xdotool key Return
	sleep 1
	xdotool key Return
	sleep 1
	stop

	# An example report published seven weeks ago: Add report…, then the
	# title, Tab past the force, the type with the arrow keys, Tab past the
	# cycle, the date, and the reference code; Enter saves.
	start reports
	click 67 89
	xdotool type --delay 20 "Child protection inspection (example)"
	xdotool key Tab Tab Right Tab Tab
	xdotool type --delay 20 "$(date -d '-50 days' +%d/%m/%Y)"
	xdotool key Tab
	xdotool type --delay 20 "CP26"
	xdotool key Return
	sleep 1
	stop
}

# screens photographs every screen and dialog in the theme set in
# FYNE_THEME, into $out.
screens() {
	shot 03-finding-details "editor:KEN-PEEL2122-AFI-16#Details"
	shot 04-finding-milestones "editor:KEN-PEEL2122-AFI-16#Milestones"
	shot 05-finding-evidence "editor:KEN-PEEL2122-AFI-16#Evidence"
	shot 06-finding-updates "editor:KEN-PEEL2122-AFI-16#Progress updates"
	shot 07-finding-history "editor:KEN-PEEL2122-AFI-16#History"
	shot 08-dashboard dashboard
	shot 09-reports reports
	shot 10-people people
	shot 11-settings settings

	# The target revision: move AFI-16's current target and give the
	# reason. The dialog is cancelled, so that the register stays as it is
	# for the other theme.
	start "editor:KEN-PEEL2122-AFI-16"
	click 820 447
	xdotool key ctrl+a
	xdotool type "31/03/2027"
	xdotool key ctrl+s
	sleep 1
	xdotool type --delay 20 "The case management change moved to the spring release."
	sleep 0.5
	import -window root "$out/12-target-revision.png"
	stop

	# The export: the quarterly return written into the temporary folder
	# (the export screen offers the Documents folder under HOME, shown as
	# ~/Documents, so the picture names no folder of this computer).
	mkdir -p "$work/Documents"
	HOME="$work" start export
	import -window root "$out/13-export.png"
	click 39 503
	sleep 3
	import -window root "$out/14-export-done.png"
	stop
	if ! ls "$work"/Documents/*.xlsx >/dev/null 2>&1; then
		echo "screenshots: the export screen did not write a workbook" >&2
		cat "$log" >&2
		exit 1
	fi
	rm -f "$work"/Documents/*.xlsx
}

# The light theme for the documentation; a machine set to dark shows the
# dark one, so it is photographed too.
out=docs/screenshots
mkdir -p "$out"
export FYNE_THEME=light
prepare
screens

out=docs/screenshots/dark
mkdir -p "$out"
export FYNE_THEME=dark
shot 01-welcome welcome
shot 02-register register
screens

if grep -q "Error in Fyne call thread" "$log"; then
	echo "screenshots: Fyne reported a widget update off the UI goroutine:" >&2
	grep -A5 "Error in Fyne call thread" "$log" >&2
	exit 1
fi
echo "screenshots: wrote $(ls docs/screenshots/*.png docs/screenshots/dark/*.png | wc -l) PNGs to docs/screenshots"
