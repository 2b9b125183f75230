#!/usr/bin/env bash
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
# Each picture is of the window alone, 1280 × 720 (a laptop's screen), except
# the finding editor's details (03 and 12): that form is taller, so its
# window is made tall enough to show all of it (editorHeight), and the
# script checks that the picture ends below the form, not in it. The X
# screen must be at least that tall: `make screenshots` runs the script
# under xvfb-run with a 1280 × 1100 screen.
#
# Each screen has a time limit: one that hangs (a window that never comes,
# a key that is never answered) is stopped with everything it started, the
# script says which, goes on with the others, and fails at the end.
#
# Usage: scripts/screenshots.sh [BINARY]   (run from the repository root;
# `make screenshots` builds the binary and runs this under xvfb-run)
set -eu
# Job control: each screen runs as a job in a process group of its own, so
# that a screen that runs out of time is stopped with the app and any
# xdotool or import it was waiting on.
set -m

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

width=1280
height=720
editorHeight=1100
screen=$(xdpyinfo 2>/dev/null | awk '/dimensions:/ {print $2}')
if [ "${screen#*x}" = "$screen" ] || [ "${screen%x*}" -lt "$width" ] || [ "${screen#*x}" -lt "$editorHeight" ]; then
	echo "screenshots: the X screen is ${screen:-unknown}; it must be at least ${width}x$editorHeight (make screenshots runs xvfb-run with that size)" >&2
	exit 1
fi

# start SCREEN [TITLE] [HEIGHT]: start the app on SCREEN and wait until the
# window title contains TITLE (by default the force's name, which the title
# shows once the register is open, so no picture catches the "Opening the
# register…" screen); then put the window at the top left, HEIGHT pixels
# high (720 unless given). Sets pid and win.
start() {
	IMPROVEMENT_TRACKER_SCREEN="$1" "$bin" >>"$log" 2>&1 &
	pid=$!
	win=$(timeout 60 xdotool search --sync --onlyvisible --name "${2:-Kent Police}" | head -1) || true
	if [ -z "$win" ]; then
		echo "screenshots: the window for $1 did not appear within a minute" >&2
		stop
		return 1
	fi
	# Let the register load and the first frames draw, with the pointer
	# on the menu bar where it highlights nothing.
	xdotool mousemove 1270 12
	sleep 2
	# The window centres itself on the screen once the register is open;
	# after that it is put at the top left, at its size, until it stays.
	local want="Position: 0,0 Geometry: ${width}x${3:-$height}" at="" _
	for _ in 1 2 3 4 5; do
		timeout 10 xdotool windowsize --sync "$win" "$width" "${3:-$height}" || true
		timeout 10 xdotool windowmove --sync "$win" 0 0 || true
		sleep 1
		at=$(xdotool getwindowgeometry "$win" | grep -o 'Position: [0-9]*,[0-9]*\|Geometry: [0-9x]*' | tr '\n' ' ')
		[ "${at% }" = "$want" ] && break
	done
	if [ "${at% }" != "$want" ]; then
		echo "screenshots: the window for $1 would not go to the top left at ${width}x${3:-$height} (it is at ${at% })" >&2
		stop
		return 1
	fi
	xdotool mousemove 1270 12
	timeout 10 xdotool windowfocus --sync "$win"
}

# stop ends the app, forcibly if it has not gone within ten seconds.
stop() {
	kill "$pid" 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# snap NAME saves the window as NAME.png.
snap() {
	timeout 30 import -window "$win" "$out/$1.png"
}

# click X Y clicks at a place in the window (it is at the top left of the
# screen, so places are fixed).
click() {
	xdotool mousemove "$1" "$2"
	sleep 0.2
	xdotool click 1
	xdotool mousemove 1270 12
	sleep 0.5
}

# shot NAME SCREEN [HEIGHT]: start the app on SCREEN and save the window as
# NAME.png. (Each step's failure ends the screen's job: set -e.)
shot() {
	start "$2" "" "${3:-}"
	snap "$1"
	stop
}

# whole NAME: fails unless the picture's last 20 rows are one colour, that
# is, unless the window was tall enough to show the whole form.
whole() {
	local colours
	colours=$(convert "$out/$1.png" -gravity south -crop "${width}x20+0+0" +repage -format %k info:)
	if [ "$colours" -ne 1 ]; then
		echo "screenshots: $1 ends in the middle of the form; make editorHeight larger" >&2
		return 1
	fi
}

failed=""
# guard LIMIT NAME COMMAND...: runs COMMAND as a job of its own and waits
# at most LIMIT seconds for it; a job that runs out of time is stopped with
# everything it started. A failure or a stop is noted, and the script goes
# on.
guard() {
	local limit=$1 name=$2 job waited=0
	shift 2
	"$@" &
	job=$!
	while kill -0 "$job" 2>/dev/null; do
		if [ "$waited" -ge "$limit" ]; then
			echo "screenshots: $name took more than $limit seconds and was stopped" >&2
			kill -TERM -- "-$job" 2>/dev/null || true
			sleep 2
			kill -KILL -- "-$job" 2>/dev/null || true
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	if ! wait "$job"; then
		failed="$failed $out/$name"
	fi
	# Whatever the job left running (an app it could not stop) goes too.
	kill -KILL -- "-$job" 2>/dev/null || true
}

# prepare loads the sample from the welcome screen, from the keyboard
# (Tab, then Space on its first button; the load runs off the UI
# goroutine), photographing the first run on the way; then it attaches a
# file and adds an example report.
load() {
	start welcome "Improvement Tracker"
	sleep 3
	snap 01-welcome
	xdotool key Tab key space
	# The title names the force once the sample is in.
	if ! timeout 60 xdotool search --sync --onlyvisible --name "Kent Police" >/dev/null; then
		echo "screenshots: the sample did not load within a minute" >&2
		return 1
	fi
	sleep 2
	snap 02-register
	xdotool key ctrl+f
	sleep 0.5
	xdotool type --delay 80 "RUI"
	sleep 1
	snap 02-register-search
	stop
	if ! "$bin" list --db "$IMPROVEMENT_TRACKER_DB" 2>>"$log" | grep -q "KEN-PEEL2122-AFI-16"; then
		echo "screenshots: loading the sample from the welcome screen did not fill the register" >&2
		return 1
	fi
}

attach() {
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
}

addReport() {
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

# welcome photographs the first-run screen over an empty register of its
# own, as a new user sees it (the welcome screen says the register is
# empty).
welcome() {
	export IMPROVEMENT_TRACKER_DB="$work/empty.db"
	start welcome "Improvement Tracker"
	sleep 3
	snap 01-welcome
	stop
}

details() {
	shot 03-finding-details "editor:KEN-PEEL2122-AFI-16#Details" "$editorHeight"
	whole 03-finding-details
}

targetRevision() {
	# The target revision: move AFI-16's current target and give the
	# reason. The dialog is cancelled, so that the register stays as it is
	# for the other theme.
	start "editor:KEN-PEEL2122-AFI-16" "" "$editorHeight"
	click 820 447
	xdotool key ctrl+a
	xdotool type "31/03/2027"
	xdotool key ctrl+s
	sleep 1
	xdotool type --delay 20 "The case management change moved to the spring release."
	sleep 0.5
	snap 12-target-revision
	stop
	whole 12-target-revision
}

exportScreens() {
	# The export: the quarterly return written into the temporary folder
	# (the export screen offers the Documents folder under HOME, shown as
	# ~/Documents, so the picture names no folder of this computer).
	mkdir -p "$work/Documents"
	HOME="$work" start export
	snap 13-export
	click 39 503
	sleep 3
	snap 14-export-done
	stop
	if ! ls "$work"/Documents/*.xlsx >/dev/null 2>&1; then
		echo "screenshots: the export screen did not write a workbook" >&2
		return 1
	fi
	rm -f "$work"/Documents/*.xlsx
}

# screens photographs every screen and dialog in the theme set in
# FYNE_THEME, into $out.
screens() {
	guard 120 03-finding-details details
	guard 90 04-finding-milestones shot 04-finding-milestones "editor:KEN-PEEL2122-AFI-16#Milestones"
	guard 90 05-finding-evidence shot 05-finding-evidence "editor:KEN-PEEL2122-AFI-16#Evidence"
	guard 90 06-finding-updates shot 06-finding-updates "editor:KEN-PEEL2122-AFI-16#Progress updates"
	guard 90 07-finding-history shot 07-finding-history "editor:KEN-PEEL2122-AFI-16#History"
	guard 90 08-dashboard shot 08-dashboard dashboard
	guard 90 09-reports shot 09-reports reports
	guard 90 10-people shot 10-people people
	guard 90 11-settings shot 11-settings settings
	guard 120 12-target-revision targetRevision
	guard 120 13-export exportScreens
}

# paperScreens photographs the dialogs of a report's life, paper for
# meetings, closure packs and update requests (opened on start through
# IMPROVEMENT_TRACKER_SCREEN=paper:…), and page 1 of two PDFs the commands
# write, rendered as a reader sees them. HOME is the temporary folder, so
# the dialogs' folder reads ~/Documents and names no folder of this
# computer.
paperScreens() {
	mkdir -p "$work/Documents"
	HOME="$work" guard 90 16-record-response shot 16-record-response paper:record
	# The report's life once the PCC's response and a closure letter are
	# recorded (from the command line, as a lead could).
	"$bin" report record --db "$IMPROVEMENT_TRACKER_DB" --report PEEL2122 --event pcc-response --date 20/06/2022 \
		--link https://www.kent-pcc.gov.uk/peel-2021-22-response >>"$log" 2>&1
	"$bin" report record --db "$IMPROVEMENT_TRACKER_DB" --report PEEL2122 --event closure-agreed --date 20/01/2026 \
		--findings KEN-PEEL2122-AFI-05 --summary "Advice given in 96 percent of calls where it applied." >>"$log" 2>&1
	HOME="$work" guard 90 15-report-life shot 15-report-life paper:life
	HOME="$work" guard 90 19-export-view shot 19-export-view paper:view
	HOME="$work" guard 90 20-closure-pack shot 20-closure-pack paper:pack:KEN-PEEL2122-AFI-12
	HOME="$work" guard 90 21-request-updates shot 21-request-updates paper:requests
	guard 60 17-finding-pdf pdfPages
}

pdfPages() {
	"$bin" export finding --finding KEN-PEEL2122-AFI-08 --db "$IMPROVEMENT_TRACKER_DB" --out "$work/finding.pdf" --force >>"$log" 2>&1
	"$bin" export register --status open --db "$IMPROVEMENT_TRACKER_DB" --out "$work/register.pdf" --force >>"$log" 2>&1
	pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/finding.pdf" "$out/17-finding-pdf"
	pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/register.pdf" "$out/18-register-pdf"
}

# The light theme for the documentation; a machine set to dark shows the
# dark one, so it is photographed too.
out=docs/screenshots
mkdir -p "$out"
export FYNE_THEME=light
guard 150 01-welcome load
if [ -n "$failed" ]; then
	# Without the sample there is nothing to photograph.
	echo "screenshots: the register could not be prepared; the app said:" >&2
	cat "$log" >&2
	exit 1
fi
guard 90 attach attach
guard 90 report addReport
screens
paperScreens

out=docs/screenshots/dark
mkdir -p "$out"
export FYNE_THEME=dark
guard 90 01-welcome welcome
guard 90 02-register shot 02-register register
screens

if grep -q "Error in Fyne call thread" "$log"; then
	echo "screenshots: Fyne reported a widget update off the UI goroutine:" >&2
	grep -A5 "Error in Fyne call thread" "$log" >&2
	exit 1
fi
if [ -n "$failed" ]; then
	echo "screenshots: these were not taken, or not as they should be:$failed" >&2
	echo "the app said:" >&2
	cat "$log" >&2
	exit 1
fi
echo "screenshots: wrote $(ls docs/screenshots/*.png docs/screenshots/dark/*.png | wc -l) PNGs to docs/screenshots"
