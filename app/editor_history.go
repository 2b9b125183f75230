package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// historyTab shows a finding's audit trail in plain words, newest first.
type historyTab struct {
	e       *editorScreen
	content fyne.CanvasObject
	list    *widget.List
	lines   []string
}

func newHistoryTab(e *editorScreen) *historyTab {
	t := &historyTab{e: e}
	t.list = widget.NewList(
		func() int { return len(t.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(t.lines) {
				return
			}
			o.(*widget.Label).SetText(t.lines[id])
			t.list.SetItemHeight(id, o.MinSize().Height)
		},
	)
	t.content = t.list
	t.refresh()
	return t
}

func (t *historyTab) refresh() {
	t.lines = nil
	// The parts of a note already said on an earlier line of the same
	// save (loading the sample, an import) are said once, not on every
	// line.
	var runWho string
	var runAt time.Time
	said := map[string]bool{}
	late := t.lateUpdates()
	for _, ev := range slices.Backward(findingItems(t.e, "the history", model.ReadTx.Audit)) {
		if ev.Who != runWho || !ev.At.Equal(runAt) {
			runWho, runAt, said = ev.Who, ev.At, map[string]bool{}
		}
		var keep []string
		for _, part := range strings.Split(ev.Note, "; ") {
			if part != "" && !said[part] {
				said[part] = true
				keep = append(keep, part)
			}
		}
		ev.Note = strings.Join(keep, "; ")
		line := describeEvent(ev)
		if l, ok := late[ev.EntityID]; ok && ev.Entity == model.EntityUpdate && ev.Action == model.ActionCreate {
			line += fmt.Sprintf(" — recorded late: dated %s, after the %s return (as at %s) was submitted on %s, which does not include it",
				l.Update.Date, l.Return.Period, l.Return.AsAt, l.Return.Recorded.Local().Format("02/01/2006"))
		}
		t.lines = append(t.lines, line)
	}
	t.list.Refresh()
}

// lateUpdates are the finding's progress updates recorded after a return
// that should have included them was submitted, by update: recording late
// is allowed, and the history says so beside the update.
func (t *historyTab) lateUpdates() map[model.ID]model.LateUpdate {
	if t.e.orig.ID == 0 {
		return nil
	}
	out := map[model.ID]model.LateUpdate{}
	_ = t.e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		us, err := tx.Updates(t.e.orig.ID)
		if err != nil {
			return err
		}
		subs, err := tx.Submissions()
		if err != nil {
			return err
		}
		for _, l := range model.LateUpdates([]model.Finding{t.e.orig}, us, subs) {
			out[l.Update.ID] = l
		}
		return nil
	})
	return out
}

// describeEvent writes one audit event as a sentence:
// "12/03/2026 14:05 — current target changed from 31/03/2026 to 30/06/2026
// (reason: …) — by J Smith".
func describeEvent(ev model.AuditEvent) string {
	var what []string
	switch {
	case ev.Action == model.ActionChange && len(ev.Changes) > 0:
		moved := false
		for _, c := range ev.Changes {
			if c.Field == "current_target" || c.Field == "current_due" {
				moved = true
			}
		}
		prefix := ""
		if ev.Entity != model.EntityFinding {
			// Name the milestone or evidence: a finding has several.
			prefix = entityWord(ev.Entity) + " "
			if name := quotedName(ev.Summary); name != "" {
				prefix += name + ": "
			}
		}
		for _, c := range ev.Changes {
			// The revision list only repeats the date change beside it.
			if moved && (c.Field == "target_revisions" || c.Field == "revisions") {
				continue
			}
			what = append(what, fmt.Sprintf("%s%s changed from %s to %s", prefix, c.Label, shorten(c.Before), shorten(c.After)))
		}
		if len(what) == 0 {
			what = append(what, lowerFirst(ev.Summary))
		}
	default:
		what = append(what, lowerFirst(ev.Summary))
	}
	s := formatTime(ev.At) + " — " + strings.Join(what, "; ")
	note := ev.Note
	if moved := strings.Contains(s, "target changed from") || strings.Contains(s, "due date changed from"); moved {
		// The store notes "date moved from A to B, reason: …"; the line
		// already says from and to.
		if i := strings.Index(note, ", reason: "); strings.HasPrefix(note, "date moved from ") && i > 0 {
			note = note[i+2:]
		}
	}
	if note = flattenAgreed(note); note != "" {
		// A note holding brackets of its own (a person's "Assistant Chief
		// Constable (Crime)", a status's "Closed (inspectorate agreed)")
		// follows a dash: brackets inside brackets read as a slip.
		if strings.ContainsAny(note, "()") {
			s += " — " + note
		} else {
			s += " (" + note + ")"
		}
	}
	if ev.Who != "" {
		s += " — by " + ev.Who
	}
	return s
}

func entityWord(e model.Entity) string {
	switch e {
	case model.EntityMilestone:
		return "milestone"
	case model.EntityEvidence:
		return "evidence"
	case model.EntityUpdate:
		return "update"
	}
	return string(e)
}

// shorten keeps long texts (wording, narratives) to a readable length in
// the history; the full text is in the record.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 90 {
		return string(r[:89]) + "…"
	}
	return s
}

// lowerFirst lower-cases the first letter of a store's summary ("Status
// changed" → "status changed"), so that every history line reads alike;
// an acronym ("RAG changed") is left as it is.
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) < 2 || !unicode.IsUpper(r[0]) || unicode.IsUpper(r[1]) {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// flattenAgreed turns the store's "reason (agreed by X)" into "reason,
// agreed by X", so that the note, bracketed in the history line, does not
// end in "))", which read as a slip. X may hold brackets of its own
// ("Assistant Chief Constable (Crime)").
func flattenAgreed(note string) string {
	const open = " (agreed by "
	for {
		i := strings.Index(note, open)
		if i < 0 {
			return note
		}
		depth := 1
		end := -1
		for j := i + len(open); j < len(note) && end < 0; j++ {
			switch note[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					end = j
				}
			}
		}
		if end < 0 {
			return note
		}
		note = note[:i] + ", agreed by " + note[i+len(open):end] + note[end+1:]
	}
}

// quotedName is the first quoted name in an audit summary ("Milestone
// \"Policy agreed\" of KEN-01 changed: …"), quotes and all, or "".
func quotedName(summary string) string {
	i := strings.IndexByte(summary, '"')
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(summary[i+1:], '"')
	if j < 0 {
		return ""
	}
	return summary[i : i+j+2]
}
