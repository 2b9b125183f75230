#!/bin/sh
# make.sh prints the Kent web page fixture to PDF with two producers, laid
# out as the inspectorate lays out its reports: headless Chromium (a
# two-column cover, a running title and the web address on every page,
# boxes drawn as boxes, notes at the ends of sections) and LibreOffice (a
# two-column cover, running header, page numbers in the footer, bordered
# boxes, footnotes at the foot of the page). The tests read the PDFs
# committed beside this script; run it only to make them again.
#
# Needs: go, chromium, soffice (Debian: chromium libreoffice-writer-nogui
# fonts-liberation). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The print sources are made from the web page fixture by a test that runs
# only with the fixtures tag.
(cd "$here/../.." && PRINT_DIR="$work" go test -count=1 -tags ci,fixtures -run 'TestMakePrintSources' . >/dev/null)

# Chromium's own header and footer would print the file's address; the
# page brings its own running title and footer instead.
(cd "$work" && chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--print-to-pdf="$work/kent-chromium.pdf" kent-print.html 2>/dev/null)
(cd "$work" && soffice --headless --convert-to pdf kent.fodt >/dev/null 2>&1)

cp "$work/kent-chromium.pdf" "$here/kent-peel-2021-22.chromium.pdf"
cp "$work/kent.pdf" "$here/kent-peel-2021-22.libreoffice.pdf"
ls -l "$here"/*.pdf
