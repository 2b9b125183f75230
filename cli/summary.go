package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"improvementtracker/model"
)

func init() {
	register(&Command{
		Name:  "summary",
		Usage: "summary [--db PATH] [--as-at dd/mm/yyyy] [--chief-officer NAME] [--format text|json]",
		Short: "Print the dashboard's figures: open, to act on, overdue, in closure, closed, new and changed, by RAG and by status",
		Run:   runSummary,
	})
}

// summaryJSON is the summary's figures for a program to read. Its keys
// are stable; the text format's labels are the model's names.
type summaryJSON struct {
	Force        string         `json:"force,omitempty"`
	AsAt         string         `json:"as_at"`
	PeriodStart  string         `json:"period_start"`
	ChiefOfficer string         `json:"chief_officer,omitempty"`
	Open         int            `json:"open"`
	ToActOn      int            `json:"to_act_on"`
	Overdue      int            `json:"overdue"`
	InClosure    int            `json:"in_closure"`
	Red          int            `json:"open_red"`
	DueSoon      int            `json:"due_in_30_days"`
	Closed       int            `json:"closed_this_period"`
	New          int            `json:"new_this_period"`
	Changed      int            `json:"changed_this_period"`
	InView       int            `json:"open_or_closed_this_period"`
	ByRAG        map[string]int `json:"by_rag"`
	ByStatus     map[string]int `json:"by_status"`
}

func runSummary(env *Env) (err error) {
	fs := newFlags(env, commands["summary"])
	db := dbFlag(fs)
	asAtText := fs.String("as-at", "", "the date the figures speak for, dd/mm/yyyy (default: today)")
	chief := fs.String("chief-officer", "", "only the findings this chief officer leads (name or role; part of one will do)")
	format := fs.String("format", "text", "text or json")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("summary takes no arguments, got %q", args[0])
	}
	if *format != "text" && *format != "json" {
		return usageError("--format must be text or json, not %q", *format)
	}
	asAt, err := model.ParseDate(*asAtText)
	if err != nil {
		return usageError("--as-at: %s", err)
	}
	s, err := openForReading(env, *db)
	if err != nil {
		return err
	}
	defer closeStore(env, s, &err)
	if asAt.IsZero() {
		asAt = model.Today(s.Now())
	}
	var fig model.Figures
	var lead model.Person
	var force string
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		if strings.TrimSpace(*chief) != "" {
			leads, err := model.ChiefOfficers(tx)
			if err != nil {
				return err
			}
			if lead, err = model.FindLead(leads, *chief); err != nil {
				return usageError("--chief-officer: %s", err)
			}
		}
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		force = strings.TrimSpace(settings.ForceName)
		fig, err = model.PortfolioFigures(tx, asAt, lead.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("reading the register %s as at %s: %w", where(s), asAt, err)
	}
	if *format == "json" {
		out := summaryJSON{Force: force, AsAt: fig.AsAt.String(), PeriodStart: fig.PeriodStart.String(), ChiefOfficer: lead.Label(),
			Open: fig.Open, ToActOn: fig.ToActOn, Overdue: fig.Overdue, InClosure: fig.InClosure, Red: fig.Red,
			DueSoon: fig.DueSoon, Closed: fig.Closed, New: fig.New, Changed: fig.Changed, InView: fig.InView,
			ByRAG: map[string]int{}, ByStatus: map[string]int{}}
		for _, r := range append(append([]model.RAG{}, model.RAGs...), "") {
			out.ByRAG[ragName(r)] = fig.ByRAG[r]
		}
		for _, st := range model.Statuses {
			out.ByStatus[string(st)] = fig.ByStatus[st]
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return writeSummaryText(env, force, lead, fig)
}

// ragName is a RAG as the summary writes it; "Not rated" for none.
func ragName(r model.RAG) string {
	if r == "" {
		return "Not rated"
	}
	return string(r)
}

func writeSummaryText(env *Env, force string, lead model.Person, fig model.Figures) error {
	who := "every chief officer's portfolio"
	if lead.ID != 0 {
		who = "the portfolio of " + lead.Label()
	}
	if force != "" {
		force += ": "
	}
	fmt.Fprintf(env.Stdout, "%sfigures as at %s, for %s. The period is the quarter from %s.\n\n", force, fig.AsAt, who, fig.PeriodStart)
	for _, kv := range []struct {
		label string
		n     int
	}{
		{model.FigureOpenName, fig.Open}, {model.FigureToActOnName, fig.ToActOn}, {model.FigureInClosureName, fig.InClosure},
		{model.FigureOverdueName, fig.Overdue}, {model.FigureRedName, fig.Red}, {model.FigureDueSoonName, fig.DueSoon},
		{model.FigureClosedName, fig.Closed}, {model.FigureNewName, fig.New}, {model.FigureChangedName, fig.Changed},
		{model.FigureInViewName, fig.InView},
	} {
		fmt.Fprintf(env.Stdout, "%6d  %s\n", kv.n, kv.label)
	}
	var rags, statuses []string
	for _, r := range append(append([]model.RAG{}, model.RAGs...), "") {
		rags = append(rags, fmt.Sprintf("%s %d", ragName(r), fig.ByRAG[r]))
	}
	for _, st := range model.Statuses {
		statuses = append(statuses, fmt.Sprintf("%s %d", st, fig.ByStatus[st]))
	}
	fmt.Fprintf(env.Stdout, "\n%s, by RAG: %s.\n", model.FigureInViewName, strings.Join(rags, "; "))
	fmt.Fprintf(env.Stdout, "%s, by status: %s.\n", model.FigureInViewName, strings.Join(statuses, "; "))
	return nil
}
