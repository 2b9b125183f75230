#!/usr/bin/env bash
# make verify-xlsx: LibreOffice, as a user's spreadsheet would, opens the
# Kent sample's Q3 2025/26 progress return and two chief officer briefings
# (the whole force, and one chief officer's portfolio) made by the command
# line, and converts them to PDF. It fails when the conversion fails or
# complains, when a printed page lacks the protective marking at its top
# and bottom, when the return's Summary takes more than one page or a
# briefing more than two, or when any printed sheet has text smaller than
# 8 points (measured from the PDF's word boxes; it prints the smallest
# size on each sheet). The pages are
# also rendered as PNG files to look at.
#
# It also lists a register holding formula injections as CSV and has
# LibreOffice import it with formulas evaluated: no cell may be a formula.
# And it saves the return with a password: msoffcrypto-tool must decrypt it
# (Agile Encryption, password and integrity checked), olefile must find
# the compound file Excel writes (version 3, with the \x06DataSpaces
# storage), and LibreOffice must open it with the password and not without.
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

minpt=8
sizes=0
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
  # The smallest printed text on each sheet (pages are named by their
  # footer), in points.
  pdftotext -bbox "$out/$name.pdf" - | awk -f bench/pdfsizes.awk >"$out/$name.sizes"
  awk -F'\t' -v name="$name" -v min="$minpt" '
    { if (!($2 in s) || $3 < s[$2]) s[$2] = $3; if (!($2 in order)) { order[$2] = ++n; names[n] = $2 }; pages[$2]++ }
    END {
      bad = 0
      for (i = 1; i <= n; i++) {
        k = names[i]
        flag = (s[k] + 0 < min) ? "  TOO SMALL" : ""
        if (flag != "") bad = 1
        printf "  %-16s %-28s %2d page(s)  smallest text %4.1f pt%s\n", name, k, pages[k], s[k], flag
      }
      exit bad
    }' "$out/$name.sizes" || sizes=1
}
check return OFFICIAL-SENSITIVE 0
# The Summary is laid out for one page, at full size.
n=$(awk -F'\t' '$2 == "Summary"' "$out/return.sizes" | wc -l)
if [ "$n" -ne 1 ]; then
  echo "verify-xlsx: the return's Summary prints on $n pages; it should fit one"; exit 1
fi
check briefing OFFICIAL 2
check briefing-lead "OFFICIAL-SENSITIVE PERSONAL" 2
if [ "$sizes" -ne 0 ]; then
  echo "verify-xlsx: some printed text is smaller than $minpt points"; exit 1
fi

# CSV: a register whose titles, area and lead are formula injections,
# listed as CSV and imported by LibreOffice with formulas evaluated.
csvdb="$out/hostile.db"
go run ./testkit/csvfixture "$csvdb"
"$it" list --db "$csvdb" --format csv >"$out/list.csv"
if [ "$(head -c 3 "$out/list.csv" | od -An -tx1 | tr -d ' ')" != "efbbbf" ]; then
  echo "verify-xlsx: list.csv does not start with a UTF-8 byte-order mark"; exit 1
fi
# Comma, double quote, UTF-8, from line 1, standard columns, English (UK),
# quoted fields as text off, special numbers on, then "evaluate formulas"
# on: the setting under which an unescaped =cmd|... becomes a formula.
soffice --headless --norestore "-env:UserInstallation=file://$PWD/$out/profile" \
  --infilter="CSV:44,34,76,1,,2057,false,true,false,false,false,-1,true" \
  --convert-to fods --outdir "$out" "$out/list.csv" >"$out/list.log" 2>&1
[ -s "$out/list.fods" ] || { echo "verify-xlsx: LibreOffice could not import list.csv:"; cat "$out/list.log"; exit 1; }
if grep -q 'table:formula=' "$out/list.fods"; then
  echo "verify-xlsx: LibreOffice read a formula from list.csv:"; grep -o 'table:formula="[^"]*"' "$out/list.fods"; exit 1
fi
n=$(grep -c "=cmd|" "$out/list.fods" || true)
if [ "$n" -lt 1 ]; then
  echo "verify-xlsx: the injected title is missing from LibreOffice's import of list.csv"; exit 1
fi
echo "list.csv: LibreOffice imported it with formulas evaluated and found none; the injected text shows as typed"

# Encryption: the return saved with a password is decrypted by
# msoffcrypto-tool (password verifier and integrity HMAC checked); it must
# be Agile Encryption, and its sheets those of the return saved without.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
if ! "$py" -c 'import msoffcrypto' 2>/dev/null; then
  echo "verify-xlsx: msoffcrypto-tool is missing (apt-get install python3-msoffcrypto-tool)"; exit 1
fi
if ! "$py" -c 'import uno' 2>/dev/null; then
  echo "verify-xlsx: LibreOffice's Python bridge is missing (apt-get install python3-uno)"; exit 1
fi
printf 'Corr3ct – horse ✓\n' >"$out/password.txt"
"$it" export return --db "$db" --quarter "Q3 2025/26" --marking OFFICIAL-SENSITIVE --password-file "$out/password.txt" \
  --out "$out/return-encrypted.xlsx" >/dev/null
kind=$("$py" bench/decrypt.py "$out/return-encrypted.xlsx" 'Corr3ct – horse ✓' "$out/return-decrypted.xlsx")
if [ "$kind" != "agile" ] || ! grep -qa 'keyBits="256"' "$out/return-encrypted.xlsx" || ! grep -qa 'hashAlgorithm="SHA512"' "$out/return-encrypted.xlsx"; then
  echo "verify-xlsx: return-encrypted.xlsx is not Agile Encryption with AES-256 and SHA-512"; exit 1
fi
for part in xl/workbook.xml xl/worksheets/sheet2.xml xl/sharedStrings.xml xl/styles.xml; do
  if ! cmp -s <(unzip -p "$out/return.xlsx" "$part") <(unzip -p "$out/return-decrypted.xlsx" "$part"); then
    echo "verify-xlsx: $part of the decrypted return differs from the return saved without a password"; exit 1
  fi
done
# The container as Excel writes it: a version 3 compound file holding the
# \x06DataSpaces storage beside the two streams, read by olefile (which
# msoffcrypto-tool uses), an implementation independent of ours.
if ! "$py" - "$out/return-encrypted.xlsx" <<'PY'
import sys, olefile
o = olefile.OleFileIO(sys.argv[1])
assert o.header_signature == olefile.MAGIC and o.dll_version == 3 and o.sector_size == 512, "not version 3 with 512-byte sectors"
want = ["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces/Version", "\x06DataSpaces/DataSpaceMap",
        "\x06DataSpaces/DataSpaceInfo/StrongEncryptionDataSpace",
        "\x06DataSpaces/TransformInfo/StrongEncryptionTransform/\x06Primary"]
got = ["/".join(p) for p in o.listdir(streams=True, storages=False)]
assert sorted(got) == sorted(want), got
dsmap = o.openstream("\x06DataSpaces/DataSpaceMap").read()
assert "EncryptedPackage".encode("utf-16-le") in dsmap and "StrongEncryptionDataSpace".encode("utf-16-le") in dsmap
PY
then
  echo "verify-xlsx: return-encrypted.xlsx is not a compound file with the data spaces Excel writes"; exit 1
fi
if "$py" bench/decrypt.py "$out/return-encrypted.xlsx" wrong "$out/wrong.xlsx" >/dev/null 2>&1; then
  echo "verify-xlsx: return-encrypted.xlsx opened with a wrong password"; exit 1
fi
# LibreOffice, as a user would, opens it with the password and not without.
got=$("$py" bench/lo-open.py "$out/return-encrypted.xlsx" 'Corr3ct – horse ✓' Summary A1)
if [ "$got" != "OFFICIAL-SENSITIVE" ]; then
  echo "verify-xlsx: LibreOffice did not open return-encrypted.xlsx with its password (Summary!A1 read \"$got\")"; exit 1
fi
if "$py" bench/lo-open.py "$out/return-encrypted.xlsx" wrong Summary A1 >/dev/null 2>&1; then
  echo "verify-xlsx: LibreOffice opened return-encrypted.xlsx with a wrong password"; exit 1
fi
echo "return-encrypted.xlsx: msoffcrypto-tool decrypted it (Agile, AES-256, SHA-512; password and integrity checked) to the same sheets; a wrong password is refused; olefile finds the \\x06DataSpaces storage beside the streams; LibreOffice opens it with the password and not without"
echo "verify-xlsx: passed"
