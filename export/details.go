package export

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"improvementtracker/model"
)

// SheetDetails is the sheet that prints each finding of the return in
// full: the wording, the progress of the period and the details that the
// printed Return sheet leaves out.
const SheetDetails = "Finding details"

// detailColumns are the Finding details sheet's columns: one row per part
// of a finding, so that long text breaks across pages between rows and no
// row is taller than a page.
var detailColumns = []column{
	{header: ColRef, kind: textCol, max: 22},
	{header: ColArea, kind: wrapCol, max: 16},
	{header: "Part", kind: wrapCol, max: 16},
	{header: "Text", kind: wrapCol, max: 82},
}

// detailChunk is the most characters of text one row of the details
// holds: about a dozen lines of the Text column, so that a page break can
// fall inside a long passage.
const detailChunk = 1200

// maxPageBreaks is how many page breaks a sheet is given at most: Excel
// keeps no more than 1,026.
const maxPageBreaks = 1000

// details lays out the Finding details sheet from the Return's rows: the
// findings grouped by area, each area starting a page. It returns the rows,
// the reference of each row, and the rows before which a page breaks.
func details(rows [][]any) ([][]any, []string, []int) {
	at := map[string]int{}
	for i, c := range returnColumns {
		at[c.header] = i
	}
	str := func(row []any, h string) string {
		s, _ := row[at[h]].(string)
		return strings.TrimSpace(s)
	}
	date := func(row []any, h string) model.Date {
		d, _ := row[at[h]].(model.Date)
		return d
	}
	order := make([]int, len(rows))
	keys := make([]string, len(rows)) // each row's once, not at every comparison
	for i := range order {
		order[i] = i
		keys[i] = areaKey(str(rows[i], ColArea))
	}
	sort.SliceStable(order, func(i, j int) bool { return keys[order[i]] < keys[order[j]] })

	var out [][]any
	var refs []string
	var breaks []int
	lastArea := ""
	for n, i := range order {
		row := rows[i]
		ref, area := str(row, ColRef), str(row, ColArea)
		if n > 0 && areaKey(area) != lastArea && len(breaks) < maxPageBreaks {
			breaks = append(breaks, len(out))
		}
		lastArea = areaKey(area)
		// Made into cells once for the finding's rows, not once a row:
		// a large return has a hundred thousand of them.
		var refCell, areaCell any = ref, area
		add := func(part string, text any) {
			var partCell any = part
			if s, ok := text.(string); ok {
				if s = strings.TrimSpace(s); s == "" {
					return
				}
				for k, piece := range chunks(s, detailChunk) {
					p := partCell
					if k > 0 {
						p = part + " (continued)"
					}
					out = append(out, []any{refCell, areaCell, p, piece})
					refs = append(refs, ref)
				}
				return
			}
			if d, ok := text.(model.Date); ok && !d.IsZero() {
				out = append(out, []any{refCell, areaCell, partCell, d})
				refs = append(refs, ref)
			}
		}
		add(ColTitle, str(row, ColTitle))
		var about []string
		for _, s := range []string{str(row, ColType), gradeText(str(row, ColGrade)), reportText(str(row, ColReport), date(row, ColPublished)),
			labelled("Inspectorate ref", str(row, ColInspectorateRef))} {
			if s != "" {
				about = append(about, s)
			}
		}
		add("Type and report", strings.Join(about, ". "))
		add(ColFinding, str(row, ColFinding))
		add(ColDeliveryLead, str(row, ColDeliveryLead))
		add(ColOriginalTarget, date(row, ColOriginalTarget))
		progress := str(row, ColProgress)
		if progress == "" {
			progress = "No progress update dated within the period."
		}
		for _, u := range strings.Split(progress, "\n\n") {
			add(ColProgress, u)
		}
		for _, e := range strings.Split(str(row, ColEvidence), "\n") {
			add(ColEvidence, e)
		}
		add(ColClosureProposed, date(row, ColClosureProposed))
		add(ColClosureRationale, str(row, ColClosureRationale))
		add(ColClosed, date(row, ColClosed))
		add(ColInspectoratePosition, str(row, ColInspectoratePosition))
		if d := date(row, ColLastUpdated); !d.IsZero() {
			add(ColLastUpdated, strings.TrimSpace(d.String()+" "+labelled("by", str(row, ColLastUpdatedBy))))
		}
	}
	return out, refs, breaks
}

// areaKey orders areas by name, findings without one last.
func areaKey(area string) string {
	if area == "" {
		return "\uffff"
	}
	return strings.ToLower(area)
}

func gradeText(g string) string { return labelled("Graded", g) }

func reportText(title string, published model.Date) string {
	if title == "" {
		return ""
	}
	if published.IsZero() {
		return "From " + title
	}
	return fmt.Sprintf("From %s, published %s", title, published)
}

func labelled(label, s string) string {
	if s == "" {
		return ""
	}
	return label + " " + s
}

// chunks cuts text into pieces of at most limit characters, at the end of
// a line or sentence where it can, else at a space.
func chunks(s string, limit int) []string {
	var out []string
	for utf8.RuneCountInString(s) > limit {
		head := string([]rune(s)[:limit])
		cut := -1
		for _, sep := range []string{"\n", ". ", "; ", ", ", " "} {
			if i := strings.LastIndex(head, sep); i > len(head)/2 {
				cut = i + len(sep)
				break
			}
		}
		if cut < 0 {
			cut = len(head)
		}
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
