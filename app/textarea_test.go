package app

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// typist types text into a focused field as a person would: letter by
// letter, Return for a new line, and now and then a whole paragraph pasted
// in one go.
type typist struct {
	rnd *rand.Rand
}

// alphabet is what the random texts are made of: spaces weighted heavily
// so that they fall on every wrap point, tabs and new lines, accented
// letters, emoji (one with a skin-tone modifier, two runes) and the
// punctuation of dates and references.
var alphabet = []string{
	" ", " ", " ", " ", " ", " ", "  ", "\t", "\n",
	"a", "b", "c", "d", "e", "m", "n", "w", "i", "l", "W", "M",
	"é", "ö", "ł", "ñ", "Å", "ß", "ç",
	"😀", "👍🏽", "🚓",
	"/", ":", "-", ".", ",", "(", ")", "2", "8", "1", "0",
}

// text makes a random text of about n characters.
func (ty typist) text(n int) string {
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(alphabet[ty.rnd.IntN(len(alphabet))])
	}
	return b.String()
}

// typeText types s into f, pasting some stretches of it (paragraphs
// copied from elsewhere) and typing the rest key by key.
func (ty typist) typeText(f fyne.Focusable, s string) {
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if ty.rnd.IntN(8) == 0 {
			n := 1 + ty.rnd.IntN(40)
			n = min(n, len(rs)-i)
			paste(f, string(rs[i:i+n]))
			i += n
			continue
		}
		if rs[i] == '\n' {
			f.(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		} else {
			f.TypedRune(rs[i])
		}
		i++
	}
}

// paste pastes s into f from a clipboard of its own.
func paste(f fyne.Focusable, s string) {
	f.(fyne.Shortcutable).TypedShortcut(&fyne.ShortcutPaste{Clipboard: &textClipboard{s}})
}

// TestTextAreaKeepsEveryCharacter types random text into a text area at
// several widths and checks that the text is exactly what was typed. Fyne's
// word wrapping hides a space at a wrap point and, without textArea's
// repair, the next letter typed goes in front of that space (see
// textArea).
func TestTextAreaKeepsEveryCharacter(t *testing.T) {
	test.NewTempApp(t)
	seeds := uint64(5)
	if raceEnabled {
		seeds = 2
	}
	for _, width := range []float32{90, 230} {
		for seed := range seeds {
			t.Run(fmt.Sprintf("width %v seed %d", width, seed), func(t *testing.T) {
				ty := typist{rand.New(rand.NewPCG(seed, uint64(width)))}
				want := ty.text(220)
				a := newTextArea()
				w := test.NewWindow(a)
				defer w.Close()
				w.Resize(fyne.NewSize(width, 400))
				w.Canvas().Focus(a)
				ty.typeText(a, want)
				if a.Text != want {
					t.Fatalf("typed  %q\nkept   %q", want, a.Text)
				}
			})
		}
	}
}

// TestTextAreaSpaceAtEveryPlace types two-word texts with the space at
// every place, at several widths, so that the space falls on the wrap
// point of each: the case a person met ("28/11/2026: PIP2" kept as
// "28/11/2026:PIP2").
func TestTextAreaSpaceAtEveryPlace(t *testing.T) {
	test.NewTempApp(t)
	letters := "28/11/2026:PIP2mmmmnnnnwwwwiiii"
	widths := []float32{60, 140}
	if raceEnabled {
		widths = widths[:1]
	}
	for _, width := range widths {
		a := newTextArea()
		w := test.NewWindow(a)
		w.Resize(fyne.NewSize(width, 400))
		w.Canvas().Focus(a)
		for i := 1; i < len(letters); i++ {
			want := letters[:i] + " " + letters[i:] + " PIP2"
			a.SetText("")
			test.Type(a, want)
			if a.Text != want {
				t.Errorf("width %v: typed %q, kept %q", width, want, a.Text)
			}
		}
		w.Close()
	}
}

// TestTextAreaBackspaceAfterHiddenSpace checks that Backspace straight after
// a space typed at a wrap point deletes that space, not the letter before.
func TestTextAreaBackspaceAfterHiddenSpace(t *testing.T) {
	test.NewTempApp(t)
	a := newTextArea()
	w := test.NewWindow(a)
	defer w.Close()
	w.Resize(fyne.NewSize(60, 400))
	w.Canvas().Focus(a)
	for _, s := range []string{"mmmmmm", "mmmmm", "mmmm", "mmm"} {
		a.SetText("")
		test.Type(a, s+" ")
		a.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		test.Type(a, "x")
		if a.Text != s+"x" {
			t.Errorf("typed %q, space, Backspace, x: kept %q", s, a.Text)
		}
	}
}
