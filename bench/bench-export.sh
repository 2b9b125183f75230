#!/usr/bin/env bash
# make bench-export: the progress return of the 10,000-finding synthetic
# register, written by Improvement Tracker (Go, excelize) and by a peer
# writing the same workbook with exceljs on Node.js.
#
# 1. The Go benchmark builds the return in process (reading the register,
#    the as-at snapshot, every sheet, the zipped file) and saves a
#    description of the workbook (sheets, columns, rows, styles, page set-up)
#    for the peer.
# 2. Whole runs, each best of RUNS:
#    - ours: the command line, "export return", from start to saved file;
#    - exceljs: building and writing the same workbook from the description
#      already in memory (its own timer; reading the description is left out).
#    Peak memory is each process's maximum resident set, from /usr/bin/time.
#    Ours includes the register file, which bbolt maps into memory while
#    the register is read (the command lets it go before the workbook); the Go
#    benchmark also reports the Go runtime's own peak (peak-heap-MB).
# 3. Growth: the same return of synthetic registers of 1,000, 10,000 and
#    50,000 findings (made on first use and cached in the temporary folder;
#    the largest takes several minutes and about 2.5 GB), in process and as
#    whole runs of the command line, with time and peak memory at each
#    size, beside the register screen's load and the dashboard as at today
#    and a quarter ago; the line under the table says whether the 10,000
#    row meets the issue's goals.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
out=bench/out
mkdir -p "$out"

command -v node >/dev/null || { echo "bench-export: Node.js is needed for the exceljs peer (apt-get install nodejs npm)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-export: /usr/bin/time is needed (apt-get install time)"; exit 1; }
if [ ! -d bench/node_modules/exceljs ]; then
  (cd bench && npm ci --no-audit --no-fund --silent)
fi

echo "== Go benchmark (in process)"
go test -tags ci -run '^$' -bench '^BenchmarkReturn10k$' -benchtime 5x -benchmem ./export \
  -args -peer-out "$PWD/$out/return.json" | tee "$out/go-bench.txt"

go build -tags ci -o "$out/improvement-tracker" .
db=$(ls -t "${TMPDIR:-/tmp}"/improvement-tracker-synthetic/register-g*-10000-50000-200000-20000.db | head -1)
cp "$db" "$out/register.db"
ours=("$out/improvement-tracker" export return --db "$out/register.db" --quarter "Q3 2025/26"
  --marking OFFICIAL-SENSITIVE --out "$out/ours.xlsx" --force)
"${ours[@]}" >/dev/null # the first open of the day makes the register's backup; not timed

: >"$out/ours.txt"; : >"$out/peer.txt"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "${ours[@]}" >/dev/null
  cat "$out/time.txt" >>"$out/ours.txt"
  /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" node bench/exceljs-return.js "$out/return.json" "$out/exceljs.xlsx" >"$out/peer.json"
  echo "$(sed 's/.*"seconds":\([0-9.]*\).*/\1/' "$out/peer.json") $(cat "$out/time.txt")" >>"$out/peer.txt"
done

# Best run of each by wall time: "wall user sys maxKB" (peer: "own wall user sys maxKB").
read -r o_wall o_user o_sys o_kb < <(sort -n "$out/ours.txt" | head -1)
read -r p_own p_wall p_user p_sys p_kb < <(sort -n "$out/peer.txt" | head -1)
go_op=$(awk '/BenchmarkReturn10k/ {for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") printf "%.2f", $i / 1e9}' "$out/go-bench.txt")
go_write=$(awk '/BenchmarkReturn10k/ {for (i = 1; i <= NF; i++) if ($(i+1) == "write-s/op") printf "%.2f", $i}' "$out/go-bench.txt")
go_heap=$(awk '/BenchmarkReturn10k/ {for (i = 1; i <= NF; i++) if ($(i+1) == "peak-heap-MB") print $i}' "$out/go-bench.txt")
rows=$(awk '/BenchmarkReturn10k/ {for (i = 1; i <= NF; i++) if ($(i+1) == "rows") print $i}' "$out/go-bench.txt")

echo
echo "== Progress return, 10,000-finding synthetic register ($rows rows on the Return sheet), best of $RUNS, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-34s %9s %9s %12s\n' "" "time (s)" "CPU (s)" "peak (MB)"
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
printf '%-34s %9.2f %9.2f %12.0f\n' "Improvement Tracker, whole run" "$o_wall" "$(calc "$o_user + $o_sys")" "$(calc "$o_kb / 1024")"
printf '%-34s %9s %9s %12s\n' "Improvement Tracker, Go benchmark" "$go_op" "" "$go_heap (Go heap)"
printf '%-34s %9s\n' "  of which the workbook only" "$go_write"
printf '%-34s %9.2f %9.2f %12.0f\n' "exceljs 4.4.0, workbook only" "$p_own" "$(calc "$p_user + $p_sys")" "$(calc "$p_kb / 1024")"
printf 'exceljs / ours, whole run against workbook only: %.1fx\n' "$(calc "$p_own / $o_wall")"
printf 'exceljs / ours, workbook only against workbook only: %.1fx\n' "$(calc "$p_own / $go_write")"
echo "Goals: ours under 1.5 s, at least 3x faster than exceljs, under 200 MB."
echo "Files: $out/ours.xlsx and $out/exceljs.xlsx"

echo
echo "== Growth: the same return of registers of 1,000, 10,000 and 50,000 findings"
go test -tags ci -run '^$' -bench '^BenchmarkReturnSizes$' -benchtime 1x -timeout 60m ./export | tee "$out/go-sizes.txt"
LANG=${LANG:-C.UTF-8} go test -tags ci -run '^$' -bench '^BenchmarkScreensSizes$' -benchtime 3x -timeout 60m ./app | tee "$out/go-screens.txt"
# screen N NAME: seconds per operation of the screen benchmark at size N.
screen() {
  awk -v want="BenchmarkScreensSizes/$1/$2-" 'index($1, want) == 1 {for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") printf "%.2f", $i / 1e9}' "$out/go-screens.txt"
}
echo
printf '%-9s %8s %14s %14s %16s %14s %10s %15s %15s\n' "findings" "rows" "whole run (s)" "peak RSS (MB)" "in process (s)" "Go heap (MB)" "load (s)" "dash today (s)" "dash -91d (s)"
verdict="not measured"
for n in 1000 10000 50000; do
  m=$((n * 5)); u=$((n * 20)); e=$((n * 2))
  db=$(ls -t "${TMPDIR:-/tmp}"/improvement-tracker-synthetic/register-g*-"$n-$m-$u-$e".db | head -1)
  cp "$db" "$out/register-$n.db"
  run=("$out/improvement-tracker" export return --db "$out/register-$n.db" --quarter "Q3 2025/26"
    --marking OFFICIAL-SENSITIVE --out "$out/ours-$n.xlsx" --force)
  "${run[@]}" >/dev/null # makes the day's backup; not timed
  : >"$out/size.txt"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "${run[@]}" >/dev/null
    cat "$out/time.txt" >>"$out/size.txt"
  done
  read -r s_wall _ _ s_kb < <(sort -n "$out/size.txt" | head -1)
  line=$(grep "BenchmarkReturnSizes/$n-" "$out/go-sizes.txt" || true)
  g_op=$(echo "$line" | awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") printf "%.2f", $i / 1e9}')
  g_heap=$(echo "$line" | awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "peak-heap-MB") print $i}')
  g_rows=$(echo "$line" | awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "rows") print $i}')
  load=$(screen "$n" register-load); today=$(screen "$n" dashboard-today); ago=$(screen "$n" dashboard-quarter-ago)
  printf '%-9s %8s %14.2f %14.0f %16s %14s %10s %15s %15s\n' "$n" "$g_rows" "$s_wall" "$(calc "$s_kb / 1024")" "$g_op" "$g_heap" "$load" "$today" "$ago"
  if [ "$n" = 10000 ]; then
    verdict="$(awk -v w="$s_wall" -v m="$(calc "$s_kb / 1024")" -v l="$load" -v t="$today" -v a="$ago" 'BEGIN {
      ok = (w < 1.5 && m < 200 && l < 0.5 && t < 0.5 && a < 0.5)
      printf "%s (export %.2f s < 1.5 s, %.0f MB < 200 MB; register load %s s, dashboard %s s and %s s < 0.5 s)", ok ? "met" : "NOT met", w, m, l, t, a }')"
  fi
  rm -f "$out/register-$n.db"
done
echo "(best of $RUNS whole runs; in process: one build and write after the register is open;"
echo " load: the register screen's rows; dash: the dashboard as at today and 91 days before, each in process)"
echo "Goals at 10,000 findings: $verdict"
