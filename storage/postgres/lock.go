package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// isLockTimeout reports whether err is the server giving up waiting for a
// lock (lock_timeout).
func isLockTimeout(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "55P03"
}

// lockBusy says which login kept the register's write lock while this save
// waited for it, so that the person can be asked to finish, or IT told. It
// asks on a connection of its own: the save's transaction has failed. When
// the holder has finished in the meantime, it says so.
func (s *Store) lockBusy(ctx context.Context, waitErr error) error {
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var login string
	var since time.Time
	err := s.pool.QueryRow(qctx, `SELECT login, since FROM `+fnLockHolder+`()`).Scan(&login, &since)
	if err != nil {
		return &worded{msg: fmt.Sprintf("another save kept %s busy for over %s, so this change was not saved: try again in a moment", s.where, s.lockWait), err: waitErr}
	}
	return &worded{msg: fmt.Sprintf("the login %q has kept %s busy since %s (for %s), so this change was not saved: try again in a moment; if it goes on, ask whoever uses that login to finish what they are doing, or the force's IT to end its session",
		login, s.where, since.Local().Format("15:04:05"), time.Since(since).Round(time.Second)), err: waitErr}
}
