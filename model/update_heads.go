package model

import "fmt"

// A large register's progress narratives are most of what it holds, and a
// snapshot is mostly asked about statuses and dates: a return prints the
// narratives of its period and the dashboard only each finding's latest.
// So a snapshot can be taken holding only those (SnapshotOptions), reading
// the other updates without their narratives.

// UpdateHeadLister is Records that can list progress updates with only some
// of their narratives decoded, sparing the memory and time of the rest. The
// rules layer asks for it and reads every update in full from a store
// without it.
type UpdateHeadLister interface {
	// LoadUpdateHeads sets *dst to every progress update in ID order, as
	// LoadAll does, with the narrative only of those dated from first to
	// last inclusive; the others' is "". A store may also give the
	// narrative of each finding's latest update by last, which the
	// snapshot would otherwise read one at a time. When from is not zero
	// it lists only the updates dated from from to last and, of those
	// dated before from, each finding's latest (LatestBefore), so that
	// the others are never held at all.
	LoadUpdateHeads(first, last, from Date, dst *[]Update) error
}

// UpdateHeader is a ReadTx that can list updates with some of their
// narratives and read one narrative; TakeSnapshotWith uses it when the
// transaction has it.
type UpdateHeader interface {
	// UpdateHeads lists every progress update in ID order with the
	// narratives of those dated from first to last inclusive only; when
	// from is not zero, only those LatestBefore keeps.
	UpdateHeads(first, last, from Date) ([]Update, error)
	// UpdateNarrative returns one update's narrative.
	UpdateNarrative(id ID) (string, error)
}

var _ UpdateHeader = (*reader)(nil)

// UpdateHeads lists every update, from the store without the narratives
// outside first to last when it can, otherwise in full and then left out.
func (r *reader) UpdateHeads(first, last, from Date) ([]Update, error) {
	var us []Update
	if hl, ok := r.rec.(UpdateHeadLister); ok {
		err := hl.LoadUpdateHeads(first, last, from, &us)
		return us, err
	}
	us, err := loadAll[Update](r, KindUpdate, 0)
	for i := range us {
		if us[i].Date.Before(first) || us[i].Date.After(last) {
			us[i].Narrative = ""
		}
	}
	if !from.IsZero() {
		us = LatestBefore(us, from, last)
	}
	return us, err
}

// UpdateNarrative returns one update's narrative.
func (r *reader) UpdateNarrative(id ID) (string, error) {
	u, err := load[Update](r, KindUpdate, id, "progress update")
	if err != nil {
		return "", fmt.Errorf("reading a progress update: %w", err)
	}
	return u.Narrative, nil
}

// UpdateText is a progress update's finding and narrative: what the
// register's search reads of it.
type UpdateText struct {
	FindingID ID
	// Text is the narrative. From a store that lists them without
	// copying it is the store's own bytes, to be read, not changed, and
	// only until the transaction ends.
	Text []byte
}

// UpdateTextLister is Records that can list every update's finding and
// narrative without copying the narratives: a large register's are most
// of its bytes, and the search copies them once more anyway, lower-cased.
type UpdateTextLister interface {
	// LoadUpdateTexts sets *dst to every progress update's finding and
	// narrative, in the order they were recorded.
	LoadUpdateTexts(dst *[]UpdateText) error
}

// UpdateTexter is a ReadTx that lists every progress update's finding and
// narrative (UpdateTextLister), copying the narratives only from a store
// that cannot lend them.
type UpdateTexter interface {
	UpdateTexts() ([]UpdateText, error)
}

var _ UpdateTexter = (*reader)(nil)

// UpdateTexts lists every update's finding and narrative, without copying
// the narratives when the store can lend them.
func (r *reader) UpdateTexts() ([]UpdateText, error) {
	if tl, ok := r.rec.(UpdateTextLister); ok {
		var out []UpdateText
		err := tl.LoadUpdateTexts(&out)
		return out, err
	}
	us, err := loadAll[Update](r, KindUpdate, 0)
	return textsOf(us), err
}

// UpdateTextsOf lists every progress update's finding and narrative, for
// the register's search: in the order they were recorded when the
// transaction can (sparing the sort by date that Updates makes, as search
// does not depend on the order), and without copying the narratives when
// the store can lend them.
func UpdateTextsOf(tx ReadTx) ([]UpdateText, error) {
	if ut, ok := tx.(UpdateTexter); ok {
		return ut.UpdateTexts()
	}
	us, err := tx.Updates(0)
	return textsOf(us), err
}

// textsOf is each update's finding and narrative, the narrative copied.
func textsOf(us []Update) []UpdateText {
	out := make([]UpdateText, len(us))
	for i, u := range us {
		out[i] = UpdateText{FindingID: u.FindingID, Text: []byte(u.Narrative)}
	}
	return out
}
