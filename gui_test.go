package main

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
	"improvementtracker/storage"
)

// The start-up screen's advice fits where the register is: a shared
// register on a server newer than this app is not called a file.
func TestOpenProblemAdviceForANewerRegister(t *testing.T) {
	a := test.NewTempApp(t)
	for _, c := range []struct {
		path, want, not string
	}{
		{"postgres://db.force.police.uk/improvement", "Nothing on the server has been changed", "file"},
		{"/registers/improvement.db", "The file has not been changed", "server"},
	} {
		w := a.NewWindow("Improvement Tracker")
		err := fmt.Errorf("cannot open %s: %w (schema version 9)", c.path, model.ErrNewerVersion)
		loc, perr := storage.Parse(c.path)
		if perr != nil {
			t.Fatal(perr)
		}
		showOpenProblem(w, loc, err, func() {})
		var texts []string
		for _, o := range test.LaidOutObjects(w.Content()) {
			if l, ok := o.(*widget.Label); ok {
				texts = append(texts, l.Text)
			}
		}
		advice := texts[len(texts)-1]
		for _, s := range texts {
			if strings.HasPrefix(s, "Install") {
				advice = s
			}
		}
		if !strings.Contains(advice, c.want) || strings.Contains(advice, c.not) {
			t.Errorf("%s: the advice is %q, want it to say %q and not %q", c.path, advice, c.want, c.not)
		}
		for _, o := range test.LaidOutObjects(w.Content()) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Try again" {
				t.Errorf("%s: a newer register is offered Try again, which cannot help", c.path)
			}
		}
		w.Close()
	}
}
