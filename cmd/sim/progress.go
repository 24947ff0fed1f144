package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress draws a progress bar on a terminal; elsewhere it is silent.
type progress struct {
	w     io.Writer
	total int
	on    bool
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, total int, quiet bool) *progress {
	p := &progress{w: w, total: total, start: time.Now()}
	if f, ok := w.(*os.File); ok && !quiet && term.IsTerminal(int(f.Fd())) {
		p.on = true
	}
	return p
}

func (p *progress) update(done int) {
	if !p.on || (time.Since(p.last) < 100*time.Millisecond && done < p.total) {
		return
	}
	p.last = time.Now()
	const width = 30
	n := done * width / p.total
	eta := ""
	if el := time.Since(p.start); done > 0 && el > time.Second {
		eta = fmt.Sprintf(", about %s left", (el * time.Duration(p.total-done) / time.Duration(done)).Round(time.Second))
	}
	fmt.Fprintf(p.w, "\rsimulating [%s%s] %d/%d quarters%s\033[K", strings.Repeat("=", n), strings.Repeat(" ", width-n), done, p.total, eta)
}

// done clears the bar and, unless what is empty (the run failed), says
// what was simulated: what, the leads walked, in d.
func (p *progress) done(d time.Duration, leads int64, what string) {
	if !p.on {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
	if what != "" {
		fmt.Fprintf(p.w, "simulated %s, %.1fM leads, in %.1fs\n", what, float64(leads)/1e6, d.Seconds())
	}
}
