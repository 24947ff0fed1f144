package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/funnelsim/funnel/montecarlo"
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

func (p *progress) done(d time.Duration, r *montecarlo.Results) {
	if !p.on {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
	if r != nil {
		fmt.Fprintf(p.w, "simulated %d quarters, %.1fM leads, in %.1fs\n", p.total, float64(r.Leads)/1e6, d.Seconds())
	}
}
