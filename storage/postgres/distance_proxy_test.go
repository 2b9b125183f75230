package postgres_test

import (
	"errors"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"improvementtracker/testkit/pgtest"
)

// slowLink is a TCP proxy in front of the test server that holds every
// chunk of bytes, in each direction, for a fixed one-way delay before
// passing it on, in order: a server at a distance (a force laptop on the
// VPN) without needing root to shape the network. A round trip costs twice
// the delay; bandwidth is not limited.
//
// It also counts round trips: each time the server answers after the
// program has sent something since the server last answered. That is the
// number of times a program waits for the network, whatever the driver
// puts in its messages.
type slowLink struct {
	ln     net.Listener
	target string // the server's unix socket
	delay  time.Duration
	trips  atomic.Int64
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

// newSlowLink starts a proxy to the test server with delay each way.
func newSlowLink(tb testing.TB, delay time.Duration) *slowLink {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	u, err := url.Parse(pgtest.URL("postgres", "postgres", ""))
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	p := &slowLink{ln: ln, delay: delay, target: filepath.Join(q.Get("host"), ".s.PGSQL."+q.Get("port"))}
	p.wg.Add(1)
	go p.accept()
	tb.Cleanup(p.close)
	return p
}

// url is the address of database db through the proxy, as the superuser.
// TLS is off: the test server has none, and asking costs a round trip.
func (p *slowLink) url(db string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Host: p.ln.Addr().String(), Path: "/" + db,
		RawQuery: "sslmode=disable"}
	return u.String()
}

func (p *slowLink) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		s, err := net.Dial("unix", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.closed { // close has already closed the others
			p.mu.Unlock()
			c.Close()
			s.Close()
			return
		}
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		var asked atomic.Bool // the program has sent since the server last answered
		p.wg.Add(2)
		go p.pipe(s, c, func() { asked.Store(true) })
		go p.pipe(c, s, func() {
			if asked.CompareAndSwap(true, false) {
				p.trips.Add(1)
			}
		})
	}
}

// chunk is bytes read at one moment, due out at another.
type chunk struct {
	due  time.Time
	data []byte
}

// pipe copies from src to dst, each chunk delayed; seen is called as each
// chunk is read.
func (p *slowLink) pipe(dst, src net.Conn, seen func()) {
	defer p.wg.Done()
	queue := make(chan chunk, 1<<14)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range queue {
			if d := time.Until(c.due); d > 0 {
				time.Sleep(d) // the latency itself, not a wait for another goroutine
			}
			if _, err := dst.Write(c.data); err != nil {
				for range queue { // drain, so the reader is not stuck
				}
				return
			}
		}
		if tc, ok := dst.(interface{ CloseWrite() error }); ok {
			_ = tc.CloseWrite()
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			seen()
			queue <- chunk{due: time.Now().Add(p.delay), data: append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				_ = src.Close()
			}
			break
		}
	}
	close(queue)
	<-done
}

// close stops the proxy and every connection through it.
func (p *slowLink) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
