package postgres

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"improvementtracker/model"
)

// ErrClosed is returned by a store that has been closed.
var ErrClosed = errors.New("the shared register has been closed")

func asError[T any](err error, target *T) bool { return errors.As(err, target) }

// alreadyWorded reports whether err has been put into words already (by
// an inner call of wordsFor).
func alreadyWorded(err error) bool {
	var w *worded
	return errors.As(err, &w)
}

// wordsFor turns a failure of the server, the network or the login into
// one plain sentence that says what happened and what to do. Errors of the
// register's rules, program errors and a caller's cancelled context pass
// through unchanged; a caller's deadline that passed is said in words
// (tooSlow), still wrapping context.DeadlineExceeded. action is what was being done to the register, as a
// verb that takes it as its object ("read", "change", "connect to", "set
// up"); atCommit says the failure came while committing,
// when the server may have stored the change before the connection went.
func (s *Store) wordsFor(action string, err error, atCommit bool) error {
	if alreadyWorded(err) {
		return err // put into words where more was known (lockBusy, tooSlow)
	}
	if err != nil && timedOut(err) {
		return s.tooSlow(action, atCommit, err)
	}
	if err == nil || !isServerError(err) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return s.serverSaid(action, pe, err)
	}
	var ce *pgconn.ConnectError
	connecting := errors.As(err, &ce)
	switch {
	case isTLSError(err):
		return fmt.Errorf("cannot connect to %s securely: %v. The certificate must be one this computer trusts and must name the server as it is written in the address; ask the force's IT for the certificate authority (see \"TLS\" in the README)", s.host, rootCause(err))
	case strings.Contains(err.Error(), "server refused TLS connection"):
		return fmt.Errorf("%s does not offer an encrypted (TLS) connection, which a shared register on another computer needs: ask the force's IT to turn TLS on (or, if they agree the network is private, add sslmode=disable to the address)", s.host)
	case connecting || isUnreachable(err):
		return fmt.Errorf("cannot reach %s: %s. Check the address, or ask the force's IT whether the server is up", s.host, dialProblem(err))
	case isConnectionLost(err):
		return s.lost(action, atCommit, err)
	}
	return fmt.Errorf("could not %s %s: %w", action, s.where, err)
}

// dialProblem says why a connection could not be made.
func dialProblem(err error) string {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return "no computer of that name is known on this network"
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENOENT):
		return "no server is running at that address and port"
	case errors.Is(err, syscall.ETIMEDOUT), pgconn.Timeout(err):
		return "it did not answer in time (it may be down, or a firewall may be in the way)"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "the network has no route to it (check the VPN or network connection)"
	}
	return fmt.Sprintf("it is not running, or not at that address and port (%s)", cause(err))
}

// serverSaid puts an error the server reported into words.
func (s *Store) serverSaid(action string, pe *pgconn.PgError, err error) error {
	switch pe.Code {
	case "28P01": // invalid_password
		if !s.hasPassword {
			return &passwordError{fmt.Sprintf("%s asks for a password for the login %q, and none was given: put it in your pgpass file (see \"Passwords\" in the README)", s.host, s.user)}
		}
		return &passwordError{fmt.Sprintf("%s refused the password for the login %q: check the password in your pgpass file or in the address", s.host, s.user)}
	case "28000": // invalid_authorization_specification: no pg_hba.conf entry, no such role
		return fmt.Errorf("%s does not let the login %q connect to database %q from this computer: ask the force's IT to allow it", s.host, s.user, s.db)
	case "3D000": // invalid_catalog_name
		return fmt.Errorf("there is no database %q on %s: check the name in the address, or ask the force's IT to create it and run \"improvement-tracker server init\"", s.db, s.host)
	case "42501": // insufficient_privilege
		return s.refused(action, pe.Message)
	case "55P03": // lock_not_available: lock_timeout
		return fmt.Errorf("another save has kept %s busy for over %s, so this change was not saved: try again in a moment", s.where, s.lockWait)
	case "53300": // too_many_connections
		return fmt.Errorf("%s has no room for another connection just now: try again in a minute, or ask the force's IT to allow more", s.host)
	case "57P03": // cannot_connect_now
		return fmt.Errorf("%s is starting up or shutting down: try again in a minute", s.host)
	case "25006": // read_only_sql_transaction
		return fmt.Errorf("%s only allows reading %s (it may be a standby copy): nothing was saved; connect to the main server to make changes", s.host, s.where)
	case "53100": // disk_full
		return fmt.Errorf("%s is out of disk space: nothing was saved; tell the force's IT", s.host)
	case "22P05", "22021": // untranslatable_character, character_not_in_repertoire
		return fmt.Errorf("%s: %w", s.where, ErrNulText)
	}
	if strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") {
		return s.lost(action, false, err) // connection exceptions, shutdown
	}
	return fmt.Errorf("%s refused to %s %s: %s", s.host, action, s.where, pe.Message)
}

// lost says that the connection went in the middle of something, and what
// that means for the change.
func (s *Store) lost(action string, atCommit bool, err error) error {
	switch {
	case atCommit:
		return fmt.Errorf("the connection to %s was lost while the change was being saved: the server has stored either all of it or none of it, never part. Open the register again to see which, then make the change again if it is missing (%s)", s.where, cause(err))
	case action == "change":
		return fmt.Errorf("the connection to %s was lost before the change was saved, so none of it was saved: check the network, then try again (%s)", s.where, cause(err))
	}
	return fmt.Errorf("the connection to %s was lost: check the network, then try again (%s)", s.where, cause(err))
}

// isServerError reports whether err came from the server, the network or
// the driver, rather than from the register's rules, the caller's context
// or the app.
func isServerError(err error) bool {
	if errors.Is(err, model.ErrProgram) || model.AsValidation(err) != nil {
		return false
	}
	for _, sentinel := range []error{model.ErrNotFound, model.ErrAppendOnly, model.ErrTooLarge, model.ErrDigestMismatch,
		model.ErrNotEmpty, model.ErrInUse, model.ErrNewerVersion, model.ErrDamaged, model.ErrPassword, ErrNulText, ErrClosed} {
		if errors.Is(err, sentinel) {
			return false
		}
	}
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &pe) || errors.As(err, &ce) || errors.As(err, &ne) {
		return true
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return isConnectionLost(err) || isTLSError(err)
}

// isConnectionLost reports whether err says the connection went away.
func isConnectionLost(err error) bool {
	return errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "unexpected EOF")
}

// isUnreachable reports whether err says there is no server at the
// address.
func isUnreachable(err error) bool {
	var dns *net.DNSError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.ETIMEDOUT) || errors.As(err, &dns)
}

func isTLSError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var rec tls.RecordHeaderError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &rec) || errors.As(err, &verify)
}

// cause is what went wrong underneath, in the words of the server or the
// system, without codes.
func cause(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	return rootCause(err).Error()
}

// rootCause is the innermost error, which says what the system saw
// ("connection refused") without the driver's wrapping.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}
