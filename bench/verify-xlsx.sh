#!/usr/bin/env bash
# make verify-xlsx: LibreOffice, as a user's spreadsheet would, opens the
# Kent sample's Q3 2025/26 progress return and two chief officer briefings
# (the whole force, and one chief officer's portfolio) made by the command
# line, and converts them to PDF. It fails when the conversion fails or
# complains, when a printed page lacks the protective marking at its top
# and bottom, or when a briefing takes more than two pages. The pages are
# also rendered as PNG files to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/verify
rm -rf "$out"
mkdir -p "$out"
for tool in soffice pdftoppm pdftotext pdfinfo; do
  command -v "$tool" >/dev/null || { echo "verify-xlsx: $tool is missing (apt-get install libreoffice-calc-nogui poppler-utils)"; exit 1; }
done

go build -tags ci -o "$out/improvement-tracker" .
it="$out/improvement-tracker"
db="$out/kent.db"
"$it" sample --db "$db" >/dev/null
"$it" export return --db "$db" --quarter "Q3 2025/26" --marking OFFICIAL-SENSITIVE --out "$out/return.xlsx" >/dev/null
"$it" export briefing --db "$db" --as-at 31/12/2025 --marking OFFICIAL --descriptor "" --out "$out/briefing.xlsx" >/dev/null
"$it" export briefing --db "$db" --as-at 31/12/2025 --lead "ACC Crime" --marking OFFICIAL-SENSITIVE --descriptor PERSONAL \
  --out "$out/briefing-lead.xlsx" >/dev/null

check() { # check NAME MARKING MAXPAGES
  local name=$1 marking=$2 maxpages=$3
  if ! soffice --headless --norestore "-env:UserInstallation=file://$PWD/$out/profile" \
      --convert-to pdf --outdir "$out" "$out/$name.xlsx" >"$out/$name.log" 2>&1 || [ ! -s "$out/$name.pdf" ]; then
    echo "verify-xlsx: LibreOffice could not convert $name.xlsx:"; cat "$out/$name.log"; exit 1
  fi
  if grep -qi "error" "$out/$name.log"; then
    echo "verify-xlsx: LibreOffice complained about $name.xlsx:"; cat "$out/$name.log"; exit 1
  fi
  local pages
  pages=$(pdfinfo "$out/$name.pdf" | awk '/^Pages:/ {print $2}')
  for p in $(seq "$pages"); do
    n=$(pdftotext -f "$p" -l "$p" "$out/$name.pdf" - | grep -c -- "$marking" || true)
    if [ "$n" -lt 2 ]; then
      echo "verify-xlsx: page $p of $name.pdf shows the marking $marking $n time(s); want top and bottom"; exit 1
    fi
  done
  if [ "$maxpages" -gt 0 ] && [ "$pages" -gt "$maxpages" ]; then
    echo "verify-xlsx: $name.pdf has $pages pages; it should print on at most $maxpages"; exit 1
  fi
  pdftoppm -png -r 70 "$out/$name.pdf" "$out/$name-page"
  echo "$name.xlsx: LibreOffice opened it and printed $pages page(s), each marked $marking: $out/$name.pdf, $out/$name-page-*.png"
}
check return OFFICIAL-SENSITIVE 0
check briefing OFFICIAL 2
check briefing-lead "OFFICIAL-SENSITIVE PERSONAL" 2
echo "verify-xlsx: passed"
