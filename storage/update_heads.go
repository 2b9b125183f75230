package storage

import (
	"encoding/json"
	"fmt"

	"improvementtracker/internal/parallel"
	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

var _ model.UpdateHeadLister = (*records)(nil)

// LoadUpdateHeads lists every progress update in ID order with only the
// narratives of those dated from first to last: the others are passed
// over, not copied, which on a large register is most of the updates'
// memory. Every checksum is verified as in LoadAll.
func (r *records) LoadUpdateHeads(first, last model.Date, dst *[]model.Update) error {
	b, err := r.bucket(bucketUpdates)
	if err != nil {
		return err
	}
	n := min(b.Sequence(), 1<<22) // as in allParallel
	keys, vals := make([][]byte, 0, n), make([][]byte, 0, n)
	if err := b.ForEach(func(k, v []byte) error {
		keys, vals = append(keys, k), append(vals, v)
		return nil
	}); err != nil {
		return err
	}
	*dst, err = parallel.Decode(len(vals), func(i int, u *model.Update) error {
		return r.decodeUpdateHead(keys[i], vals[i], first, last, u)
	}, func(p any) error {
		if isDamage(p) {
			return fmt.Errorf("%w: the %s section cannot be read", model.ErrDamaged, bucketUpdates)
		}
		return programError(string(bucketUpdates), p)
	})
	return err
}

func (r *records) decodeUpdateHead(key, raw []byte, first, last model.Date, u *model.Update) error {
	payload, err := unseal(bucketUpdates, key, raw)
	if err == nil {
		if recjson.UpdateHead(payload, first, last, u) {
			return nil
		}
		*u = model.Update{}
		if err = json.Unmarshal(payload, u); err != nil {
			err = fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
		} else if u.Date.Before(first) || u.Date.After(last) {
			u.Narrative = ""
		}
	}
	if err != nil {
		return r.damage(bucketUpdates, key, payload, err)
	}
	return nil
}
