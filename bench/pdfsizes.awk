# pdfsizes.awk reads `pdftotext -bbox` output and prints, for each page,
# the smallest text on it in points, with the page's sheet: the words of the
# footer's right-hand part before "– Page N of M". A word box is about 1.3
# times the font size for Arial and Liberation Sans.
# Output lines: "page<TAB>sheet<TAB>smallest-pt".
BEGIN { FS = "\"" }
/<page / { flush(); page++; delete words; n = 0; width = $2 + 0; height = $4 + 0 }
/<word / {
  h = $8 - $4
  if (!(page in small) || h < small[page]) small[page] = h
  # Words in the bottom margin and the right third of the page: the
  # footer's right part, "Sheet name – Page 1 of 3".
  if ($4 > height - 40 && $2 > width * 0.6) {
    w = $9; sub(/^>/, "", w); sub(/<\/word>.*/, "", w)
    words[++n] = w
  }
}
END { flush() }
function flush(   s, i) {
  if (page == 0) return
  s = ""
  for (i = 1; i <= n; i++) s = s (s == "" ? "" : " ") words[i]
  sub(/ – Page [0-9]+ of [0-9]+$/, "", s)
  if (s == "") s = "(no footer)"
  printf "%d\t%s\t%.1f\n", page, s, small[page] / 1.3
}
