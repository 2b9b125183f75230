// Package synthetic makes a large, made-up register for benchmarks: the size
// of a force that has tracked every inspection for a decade. The same size
// always gives the same register, so figures can be compared between runs.
package synthetic

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"improvementtracker/model"
)

// Size says how many records to make. Milestones, updates and evidence are
// spread evenly over the findings.
type Size struct {
	Findings   int
	Milestones int
	Updates    int
	Evidence   int
}

// Default is the size the benchmarks use: larger than any force's register.
var Default = Size{Findings: 10_000, Milestones: 50_000, Updates: 200_000, Evidence: 20_000}

// Scaled is a register of n findings with as many milestones, updates and
// evidence per finding as Default has: the sizes the export benchmark
// grows through.
func Scaled(n int) Size {
	f := Default.Findings
	return Size{Findings: n, Milestones: n * Default.Milestones / f, Updates: n * Default.Updates / f, Evidence: n * Default.Evidence / f}
}

// Small is a quick register for tests that need volume but not much.
var Small = Size{Findings: 200, Milestones: 1_000, Updates: 4_000, Evidence: 400}

// Clock is the fixed time the generator's records are written at, so a
// register made today and one made next year are the same.
var Clock = time.Date(2025, 11, 24, 9, 30, 0, 0, time.UTC)

// findingsPerTx bounds each write transaction: few enough transactions for
// speed (each commit syncs the file), small enough to keep memory modest.
const findingsPerTx = 500

var (
	areas = []string{"Investigating crime", "Managing offenders and suspects", "Protecting vulnerable people",
		"Responding to the public", "Preventing crime", "Treatment of the public", "Developing a positive workplace",
		"Strategic planning, organisational management and value for money", "Recording data about crime",
		"Disrupting serious organised crime", "Leadership and force management"}
	subjects = []string{"domestic abuse", "case file quality", "bail and released under investigation", "call handling",
		"the registered sex offender caseload", "missing children", "stop and search", "victim updates",
		"digital forensics", "neighbourhood policing", "vetting", "wellbeing", "demand forecasting",
		"crime recording", "child protection referrals", "repeat victims", "online child abuse", "use of force"}
	verbs = []string{"improve", "review", "make sure there is enough capacity in", "strengthen supervision of",
		"understand the demand on", "reduce backlogs in", "train staff in", "audit"}
	roles = []string{"Chief Constable", "Deputy Chief Constable", "Assistant Chief Constable (Crime)",
		"Assistant Chief Constable (Operations)", "Director of Corporate Services", "Head of Public Protection",
		"Head of Crime", "Head of Contact", "Detective Superintendent", "Chief Inspector", "Inspector", "Head of Performance"}
	words = strings.Fields(`the force should make sure that officers and staff have the training and supervision they need
to deliver a consistent service so that victims receive timely updates and investigations are effective and well managed
across every district with governance through the improvement board and regular audit of compliance and outcomes`)
)

// Generate fills an empty register with a synthetic one of the given size,
// writing through the store like the app does (audit events included), in a
// few large transactions. It refuses a register that already has findings.
func Generate(s model.Store, size Size) error {
	var existing int
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		existing = len(fs)
		return err
	}); err != nil {
		return err
	}
	if existing > 0 {
		return fmt.Errorf("the register already has %d findings: %w", existing, model.ErrNotEmpty)
	}
	g := &gen{rnd: rand.New(rand.NewPCG(2021, 22)), size: size}
	by := model.Actor{Who: "Synthetic data generator", Note: "synthetic register for benchmarks"}
	if err := s.Update(context.Background(), by, g.setup); err != nil {
		return fmt.Errorf("making the synthetic register: %w", err)
	}
	for start := 0; start < size.Findings; start += findingsPerTx {
		end := min(start+findingsPerTx, size.Findings)
		if err := s.Update(context.Background(), by, func(tx model.Tx) error { return g.findings(tx, start, end) }); err != nil {
			return fmt.Errorf("making synthetic findings %d to %d: %w", start+1, end, err)
		}
	}
	return nil
}

type gen struct {
	rnd     *rand.Rand
	size    Size
	reports []model.Report
	people  []model.ID
}

func (g *gen) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

func (g *gen) sentence(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[g.rnd.IntN(len(words))]
	}
	return strings.ToUpper(parts[0][:1]) + strings.Join(parts, " ")[1:] + "."
}

func (g *gen) setup(tx model.Tx) error {
	if err := tx.SaveSettings(model.Settings{ForceName: "Synthetic Constabulary", RefPrefix: "SYN",
		DefaultMarking: model.Marking{Classification: model.Official}, Author: "Improvement team"}); err != nil {
		return err
	}
	// Ten years of PEEL and thematic reports.
	for year := 2014; year <= 2025; year++ {
		for _, t := range []model.InspectionType{model.PEEL, model.Thematic} {
			r := model.Report{Title: fmt.Sprintf("Synthetic %s inspection %d/%02d", t, year, (year+1)%100), Type: t,
				Cycle: fmt.Sprintf("%d/%02d", year, (year+1)%100), Published: model.NewDate(year, time.Month(3+g.rnd.IntN(9)), 1+g.rnd.IntN(28))}
			if t == model.Thematic {
				r.Code = fmt.Sprintf("TH%02d%02d", year%100, (year+1)%100)
			}
			if err := tx.SaveReport(&r); err != nil {
				return err
			}
			g.reports = append(g.reports, r)
		}
	}
	for i := range 80 {
		p := model.Person{Name: fmt.Sprintf("Person %02d", i+1), Role: roles[i%len(roles)], Department: g.pick(areas),
			Email: fmt.Sprintf("person%02d@synthetic.example", i+1)}
		if err := tx.SavePerson(&p); err != nil {
			return err
		}
		g.people = append(g.people, p.ID)
	}
	return nil
}

// share returns how many of total go to finding i of n, spreading the
// remainder over the first findings.
func share(total, n, i int) int {
	if n == 0 {
		return 0
	}
	k := total / n
	if i < total%n {
		k++
	}
	return k
}

var finals = []model.Status{model.InProgress, model.InProgress, model.InProgress, model.NotStarted,
	model.CompletePending, model.ClosureProposed, model.Closed, model.Closed}

func (g *gen) findings(tx model.Tx, start, end int) error {
	for i := start; i < end; i++ {
		r := g.reports[i%len(g.reports)]
		typ := model.AFI
		switch i % 20 {
		case 0:
			typ = model.CauseOfConcern
		case 1, 2:
			typ = model.Recommendation
		case 3:
			typ = model.InnovativePractice
		}
		target := r.Published.AddDays(180 + g.rnd.IntN(720))
		subject := g.pick(subjects)
		final := finals[g.rnd.IntN(len(finals))]
		verb := g.pick(verbs)
		f := model.Finding{ReportID: r.ID, Type: typ, Area: g.pick(areas), Grade: model.Grades[g.rnd.IntN(len(model.Grades))],
			Title:          fmt.Sprintf("%s %s", strings.ToUpper(verb[:1])+verb[1:], subject),
			Verbatim:       fmt.Sprintf("The force should %s %s. %s %s", g.pick(verbs), subject, g.sentence(25), g.sentence(20)),
			ChiefOfficerID: g.people[g.rnd.IntN(12)], DeliveryLeadID: g.people[g.rnd.IntN(len(g.people))],
			GovernanceBoard: "Force Improvement Board", CurrentTarget: target, Status: model.NotStarted}
		if final == model.ClosureProposed || final == model.Closed {
			f.ClosureRationale = "Action plan delivered; audit shows sustained improvement. " + g.sentence(12)
		}
		if g.rnd.IntN(4) == 0 {
			moved := target.AddDays(90)
			f.CurrentTarget = moved
			f.OriginalTarget = target
			f.TargetRevisions = []model.Revision{{From: target, To: moved, Reason: "Dependent on new case management system go-live",
				AgreedBy: "Force Improvement Board", At: Clock}}
		}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		nm := share(g.size.Milestones, g.size.Findings, i)
		for m := range nm {
			due := r.Published.AddDays(60 + m*90)
			ms := model.Milestone{FindingID: f.ID, Title: fmt.Sprintf("Step %d: %s %s", m+1, g.pick(verbs), subject),
				OwnerID: g.people[g.rnd.IntN(len(g.people))], CurrentDue: due}
			// A finding in or past the closure process has no open
			// milestones: the lifecycle asks for each to be settled first.
			if m < nm/2 || final.InClosure() || final.IsFinal() {
				ms.Completed = due.AddDays(g.rnd.IntN(30))
			}
			if err := tx.SaveMilestone(&ms); err != nil {
				return err
			}
		}
		nu := share(g.size.Updates, g.size.Findings, i)
		for u := range nu {
			status, rag := model.InProgress, model.Green
			if g.rnd.IntN(5) == 0 {
				rag = model.Amber
			}
			if u == nu-2 && final == model.Closed {
				// Closing is two-stage: proposed first, then agreed.
				status, rag = model.ClosureProposed, model.Blue
			}
			if u == nu-1 {
				status = final
				if final == model.Closed && nu == 1 {
					status = model.ClosureProposed
				}
				switch final {
				case model.Closed, model.CompletePending, model.ClosureProposed:
					rag = model.Blue
				case model.NotStarted:
					rag = model.Red
				}
			}
			up := model.Update{FindingID: f.ID, Date: r.Published.AddDays(30 + u*91), Status: status, RAG: rag,
				Narrative: g.sentence(30 + g.rnd.IntN(30)), Author: "Person " + fmt.Sprint(1+g.rnd.IntN(80))}
			if err := tx.AppendUpdate(&up); err != nil {
				return err
			}
		}
		for e := range share(g.size.Evidence, g.size.Findings, i) {
			ev := model.Evidence{FindingID: f.ID, Title: fmt.Sprintf("%s: evidence %d", subject, e+1),
				Location:      fmt.Sprintf(`\\force\share\Improvement\%s\evidence-%d.docx`, f.Ref, e+1),
				EffectiveDate: r.Published.AddDays(100 + e*60), Shared: e%2 == 0}
			if err := tx.AddEvidence(&ev, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
