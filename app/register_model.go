package app

// The register's view model: its rows, filters, sort and the text of each
// cell, with no Fyne calls, so that it can be tested and measured on its
// own. The screen that shows it is register.go.

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"improvementtracker/internal/parallel"
	"improvementtracker/model"
)

// The register's columns, in order.
const (
	colRef = iota
	colType
	colArea
	colGrade
	colTitle
	colChief
	colDelivery
	colStatus
	colRAG
	colTarget
	colOverdue
	numCols
)

// colTitles head the columns. They are short so that the default columns
// fit a laptop's width: "Target" is the current target date, "Overdue"
// counts days ("12 days").
var colTitles = [numCols]string{"Ref", "Type", "Area", "Grade", "Title", "Chief officer",
	"Delivery lead", "Status", "RAG", "Target", "Overdue"}

// Filter choices meaning "no filter".
const (
	allReports  = "All reports"
	allAreas    = "All areas"
	allTypes    = "All types"
	allStatuses = "All statuses"
	allRAGs     = "All RAG"
	anyLead     = "All leads"
)

// prefRegister keeps the filters and sort between runs.
const prefRegister = "register.view"

// registerView is what the person has chosen to see: kept in the Fyne
// preferences as JSON.
type registerView struct {
	Report  string `json:"report,omitempty"`
	Area    string `json:"area,omitempty"`
	Type    string `json:"type,omitempty"`
	Status  string `json:"status,omitempty"`
	RAG     string `json:"rag,omitempty"`
	Lead    string `json:"lead,omitempty"`
	Overdue bool   `json:"overdue,omitempty"`
	Due30   bool   `json:"due30,omitempty"`
	// Mine keeps the findings of the person the user is (mywork.go).
	Mine    bool `json:"mine,omitempty"`
	SortCol int  `json:"sort_col"`
	Desc    bool `json:"desc,omitempty"`
	// Search is not remembered: an old search left in the box hides
	// findings and surprises people.
	Search string `json:"-"`
}

// regRow is one finding as the register shows it, with its search text
// prepared once per load so that each keystroke only scans.
type regRow struct {
	f        model.Finding
	report   string
	chief    string
	delivery string
	overdue  int
	isOver   bool
	due30    bool
	search   []byte // searchText: lower-cased ref, title, wording, interpretation, updates

	// Sort keys, worked out once per load.
	refPrefix string
	refNum    int
	titleKey  string
}

// registerData is everything the table is built from.
type registerData struct {
	rows    []regRow
	reports []string
	areas   []string
	leads   []string

	// sorted holds every row index in the order of sortCol and sortDesc,
	// made once per sort so that a keystroke only filters.
	sorted     []int
	sortCol    int
	sortDesc   bool
	sortedOnce bool

	// owners are the owners of each finding's milestones, and me the
	// person the user is (0 when not chosen): what "My work" keeps.
	owners map[model.ID][]model.ID
	me     model.ID

	// last is the previous call of apply and its result: when a person
	// types one more letter, the new matches are among the last ones.
	last     registerView
	lastOut  []int
	lastUsed bool
}

// loadRegister reads the register and prepares its rows as at today.
func loadRegister(tx model.ReadTx, today model.Date) (*registerData, error) {
	fs, err := tx.Findings()
	if err != nil {
		return nil, fmt.Errorf("reading the findings: %w", err)
	}
	ps, err := tx.People()
	if err != nil {
		return nil, fmt.Errorf("reading people: %w", err)
	}
	rs, err := tx.Reports()
	if err != nil {
		return nil, fmt.Errorf("reading reports: %w", err)
	}
	ms, err := tx.Milestones(0)
	if err != nil {
		return nil, fmt.Errorf("reading milestones: %w", err)
	}
	us, err := model.UpdateTextsOf(tx)
	if err != nil {
		return nil, fmt.Errorf("reading progress updates: %w", err)
	}
	settings, err := tx.Settings()
	if err != nil {
		return nil, fmt.Errorf("reading the register's settings: %w", err)
	}
	people := peopleByID(ps)
	reports := map[model.ID]string{}
	d := &registerData{owners: map[model.ID][]model.ID{}}
	for _, m := range ms {
		if m.OwnerID != 0 {
			d.owners[m.FindingID] = append(d.owners[m.FindingID], m.OwnerID)
		}
	}
	for _, r := range rs {
		reports[r.ID] = reportLabel(r)
		d.reports = append(d.reports, reportLabel(r))
	}
	// Each finding's narratives, gathered without copying them (from the
	// file, they are its own bytes, read before this transaction ends), so
	// that its search text is written once at its full size: a large
	// register's narratives are most of its text. They are counted first
	// and then placed, each finding's together, in one list.
	rowOf := make(map[model.ID]int, len(fs))
	for i, f := range fs {
		rowOf[f.ID] = i
	}
	ends := make([]int, len(fs)+1)
	for _, u := range us {
		if i, ok := rowOf[u.FindingID]; ok {
			ends[i+1]++
		}
	}
	for i := 1; i < len(ends); i++ {
		ends[i] += ends[i-1]
	}
	narratives := make([][]byte, ends[len(fs)])
	next := slices.Clone(ends[:len(fs)])
	for _, u := range us {
		if i, ok := rowOf[u.FindingID]; ok {
			narratives[next[i]] = u.Text
			next[i]++
		}
	}
	us = nil // only the narratives are kept
	// Writing the search text is mostly copying the narratives, which
	// goes faster on every core, each writing the texts of its own rows.
	search, err := parallel.Decode(len(fs), func(i int, out *[]byte) error {
		// The report's title and the force's name are found too: a lead
		// looks for "Kent" or "PEEL 2021" as readily as for a reference.
		*out = searchText(&fs[i], reports[fs[i].ReportID]+" "+settings.ForceName, narratives[ends[i]:ends[i+1]])
		return nil
	}, parallel.Fault("preparing the register's search text"))
	if err != nil {
		return nil, err
	}
	areas := map[string]bool{}
	leads := map[string]bool{}
	d.rows = make([]regRow, 0, len(fs))
	for i, f := range fs {
		row := regRow{
			f:        f,
			report:   reports[f.ReportID],
			chief:    personShort(people, f.ChiefOfficerID),
			delivery: personShort(people, f.DeliveryLeadID),
			overdue:  model.DaysOverdue(f, today),
			isOver:   model.Overdue(f, today),
			due30:    model.DueWithin(f, today, 30),
		}
		row.search = search[i]
		row.refPrefix, row.refNum = splitRefNumber(f.Ref)
		row.titleKey = strings.ToLower(f.DisplayTitle())
		d.rows = append(d.rows, row)
		if f.Area != "" {
			areas[f.Area] = true
		}
		if row.chief != "" {
			leads[row.chief] = true
		}
		if row.delivery != "" {
			leads[row.delivery] = true
		}
	}
	for a := range areas {
		d.areas = append(d.areas, a)
	}
	slices.Sort(d.areas)
	for l := range leads {
		d.leads = append(d.leads, l)
	}
	slices.Sort(d.leads)
	return d, nil
}

func reportLabel(r model.Report) string {
	l := r.Title
	if r.Cycle != "" && !strings.Contains(l, r.Cycle) {
		l += " " + r.Cycle
	}
	return l
}

// apply returns the indexes of the rows v shows, in v's order. It runs on
// every keystroke in the search box, so it only compares prepared strings,
// walks rows already in order, and, when the search only grew, looks only
// at the rows that matched before.
func (d *registerData) apply(v registerView) []int {
	if !d.sortedOnce || d.sortCol != v.SortCol || d.sortDesc != v.Desc {
		d.sorted = make([]int, len(d.rows))
		for i := range d.sorted {
			d.sorted[i] = i
		}
		slices.SortStableFunc(d.sorted, func(a, b int) int {
			c := compareRows(&d.rows[a], &d.rows[b], v.SortCol)
			if v.Desc {
				return -c
			}
			return c
		})
		d.sortCol, d.sortDesc, d.sortedOnce = v.SortCol, v.Desc, true
		d.lastUsed = false
	}
	from := d.sorted
	prev, next := d.last, v
	prev.Search, next.Search = "", ""
	if d.lastUsed && prev == next && strings.HasPrefix(strings.ToLower(v.Search), strings.ToLower(d.last.Search)) {
		// Every term of the longer search contains the matching term of
		// the shorter one, so its matches are among the earlier ones.
		from = d.lastOut
	}
	var terms [][]byte
	for _, t := range strings.Fields(strings.ToLower(v.Search)) {
		terms = append(terms, []byte(t))
	}
	out := make([]int, 0, len(from))
	for _, i := range from {
		r := &d.rows[i]
		switch {
		case v.Report != "" && r.report != v.Report,
			v.Area != "" && r.f.Area != v.Area,
			v.Type != "" && string(r.f.Type) != v.Type,
			v.Status != "" && string(r.f.Status) != v.Status,
			v.RAG != "" && string(r.f.RAG) != v.RAG,
			v.Lead != "" && r.chief != v.Lead && r.delivery != v.Lead,
			v.Overdue && !r.isOver,
			v.Due30 && !r.due30,
			v.Mine && !d.mine(r):
			continue
		}
		match := true
		for _, t := range terms {
			if !bytes.Contains(r.search, t) {
				match = false
				break
			}
		}
		if match {
			out = append(out, i)
		}
	}
	d.last, d.lastOut, d.lastUsed = v, out, true
	return out
}

func compareRows(a, b *regRow, col int) int {
	switch col {
	case colType:
		return cmp.Compare(a.f.Type, b.f.Type)
	case colArea:
		return cmp.Compare(a.f.Area, b.f.Area)
	case colGrade:
		return cmp.Compare(gradeRank(a.f.Grade), gradeRank(b.f.Grade))
	case colTitle:
		return cmp.Compare(a.titleKey, b.titleKey)
	case colChief:
		return cmp.Compare(a.chief, b.chief)
	case colDelivery:
		return cmp.Compare(a.delivery, b.delivery)
	case colStatus:
		return cmp.Compare(slices.Index(model.Statuses, a.f.Status), slices.Index(model.Statuses, b.f.Status))
	case colRAG:
		return cmp.Compare(ragRank(a.f.RAG), ragRank(b.f.RAG))
	case colTarget:
		return a.f.CurrentTarget.Compare(b.f.CurrentTarget)
	case colOverdue:
		return cmp.Compare(a.overdue, b.overdue)
	}
	if c := cmp.Compare(a.refPrefix, b.refPrefix); c != 0 {
		return c
	}
	return cmp.Compare(a.refNum, b.refNum)
}

// splitRefNumber splits a reference into its prefix and number, so that
// AFI-2 sorts before AFI-10.
func splitRefNumber(ref string) (string, int) {
	i := strings.LastIndexByte(ref, '-')
	if i < 0 {
		return ref, 0
	}
	n, err := strconv.Atoi(ref[i+1:])
	if err != nil {
		return ref, 0
	}
	return ref[:i], n
}

func gradeRank(g model.Grade) int {
	if i := slices.Index(model.Grades, g); i >= 0 {
		return i
	}
	return len(model.Grades)
}

// ragRank orders red first: the worst news leads.
func ragRank(r model.RAG) int {
	if i := slices.Index(model.RAGs, r); i >= 0 {
		return i
	}
	return len(model.RAGs)
}

func cellText(r *regRow, col int) string {
	f := &r.f
	switch col {
	case colRef:
		return f.Ref
	case colType:
		return string(f.Type)
	case colArea:
		return f.Area
	case colGrade:
		return string(f.Grade)
	case colTitle:
		return f.DisplayTitle()
	case colChief:
		return r.chief
	case colDelivery:
		return r.delivery
	case colStatus:
		return string(f.Status)
	case colRAG:
		return string(f.RAG)
	case colTarget:
		return f.CurrentTarget.String()
	case colOverdue:
		if r.isOver {
			if r.overdue == 1 {
				return "1 day"
			}
			return strconv.Itoa(r.overdue) + " days"
		}
	}
	return ""
}
