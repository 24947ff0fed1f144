package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress reports a long run on stderr: a bar redrawn in place on a
// terminal; elsewhere (a pipe, a log file) a plain line when the run
// starts, every pipeEvery, and when it ends. quiet silences both.
type progress struct {
	w     io.Writer
	total int
	tty   bool // draw a bar
	plain bool // write lines
	start time.Time
	last  time.Time
	// The rate is measured from the first quarter done, not from the
	// start: before it the engine prepares the model (seconds for a
	// queue), which says nothing about the time a quarter takes.
	first     time.Time
	firstDone int
}

// pipeEvery is how often a run that is not on a terminal says how far it
// is.
const pipeEvery = 10 * time.Second

// newProgress returns the progress of a run of total quarters on w; a
// total of 0 is a command with phases only (see phase).
func newProgress(w io.Writer, total int, quiet bool) *progress {
	p := &progress{w: w, total: total, start: time.Now()}
	if quiet {
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	} else {
		p.plain = true
		p.last = p.start
		if total > 0 {
			fmt.Fprintf(w, "simulating %d quarters...\n", total)
		}
	}
	return p
}

// eta returns ", about D left" once the rate is settled: at least 5% of
// the quarters and a second of simulating measured; "" before.
func (p *progress) eta(done int) string {
	if p.first.IsZero() {
		if done > 0 {
			p.first, p.firstDone = time.Now(), done
		}
		return ""
	}
	el, n := time.Since(p.first), done-p.firstDone
	if el < time.Second || n < 1 || 20*n < p.total || done >= p.total {
		return ""
	}
	left := el * time.Duration(p.total-done) / time.Duration(n)
	return fmt.Sprintf(", about %s left", left.Round(time.Second))
}

func (p *progress) update(done int) {
	eta := p.eta(done)
	switch {
	case p.tty:
		if time.Since(p.last) < 100*time.Millisecond && done < p.total {
			return
		}
		p.last = time.Now()
		const width = 30
		n := done * width / p.total
		fmt.Fprintf(p.w, "\rsimulating [%s%s] %d/%d quarters%s\033[K", strings.Repeat("=", n), strings.Repeat(" ", width-n), done, p.total, eta)
	case p.plain:
		if time.Since(p.last) < pipeEvery || done >= p.total {
			return
		}
		p.last = time.Now()
		fmt.Fprintf(p.w, "simulating: %d/%d quarters (%d%%)%s\n", done, p.total, 100*done/p.total, eta)
	}
}

// done clears the bar and, unless what is empty (the run failed), says
// what was simulated: what, the leads walked, in d.
func (p *progress) done(d time.Duration, leads int64, what string) {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
	if (p.tty || p.plain) && what != "" {
		fmt.Fprintf(p.w, "simulated %s, %.1fM leads, in %.1fs\n", what, float64(leads)/1e6, d.Seconds())
	}
}

// phase says, on a terminal or a pipe, what a long command is doing now,
// such as "reading export/" or "fitting the model": on a terminal in
// place (the next phase or output replaces it), elsewhere as a line.
func (p *progress) phase(format string, args ...any) {
	switch {
	case p.tty:
		fmt.Fprintf(p.w, "\r%s\033[K", fmt.Sprintf(format, args...))
	case p.plain:
		fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// clear removes a phase shown on a terminal.
func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
