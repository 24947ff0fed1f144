// Command streamrss reads a canonical export and prints the rows read,
// the time taken, rows per second and the process's peak resident set
// (VmHWM), for scripts/stream-rss.sh.
//
// Usage:
//
//	streamrss stream DIR   read with the streaming readers, keeping only the lead index
//	streamrss export DIR   load everything with data.ReadExport
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/funnelsim/funnel/data"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "stream" && os.Args[1] != "export") {
		fmt.Fprintln(os.Stderr, "usage: streamrss stream|export DIR")
		os.Exit(2)
	}
	mode, dir := os.Args[1], os.Args[2]
	start := time.Now()
	var rows, rejected int
	var err error
	if mode == "export" {
		var e *data.Export
		e, err = data.ReadExport(os.DirFS(dir), nil)
		if e != nil {
			rows, rejected = e.Report.TotalRows(), len(e.Report.Rejected)
		}
	} else {
		rows, rejected, err = stream(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "streamrss:", err)
		os.Exit(1)
	}
	sec := time.Since(start).Seconds()
	fmt.Printf("go-%s rows=%d rejected=%d seconds=%.2f rows/s=%.0f peak-rss-MB=%.0f\n",
		mode, rows, rejected, sec, float64(rows)/sec, vmHWM()/(1<<20))
}

// stream reads every file with the streaming readers, keeping only the
// map from lead id to creation time that the event readers check against.
func stream(dir string) (rows, rejected int, err error) {
	rep := new(data.Report)
	leads := make(map[string]time.Time)
	open := func(name string) (*os.File, bool, error) {
		f, err := os.Open(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			return nil, false, nil
		}
		return f, err == nil, err
	}
	each := func(name string, read func(io.Reader) error) error {
		f, ok, err := open(name)
		if !ok {
			return err
		}
		defer f.Close()
		return read(f)
	}
	err = each(data.LeadsFile, func(r io.Reader) error {
		lr := data.NewLeadReader(r, data.LeadsFile, nil)
		lr.Report = rep
		return drain(func() error {
			l, err := lr.Read()
			if err == nil {
				leads[l.ID] = l.CreatedAt
			}
			return err
		})
	})
	if err == nil {
		err = each(data.StageEventsFile, func(r io.Reader) error {
			sr := data.NewStageEventReader(r, data.StageEventsFile, nil)
			sr.Report, sr.Leads = rep, leads
			return drain(func() error { _, err := sr.Read(); return err })
		})
	}
	if err == nil {
		err = each(data.ActivitiesFile, func(r io.Reader) error {
			ar := data.NewActivityReader(r, data.ActivitiesFile, nil)
			ar.Report, ar.Leads = rep, leads
			return drain(func() error { _, err := ar.Read(); return err })
		})
	}
	if err == nil {
		err = each(data.OpportunitiesFile, func(r io.Reader) error {
			or := data.NewOpportunityReader(r, data.OpportunitiesFile, nil)
			or.Report, or.Leads = rep, leads
			return drain(func() error { _, err := or.Read(); return err })
		})
	}
	return rep.TotalRows(), len(rep.Rejected), err
}

func drain(read func() error) error {
	for {
		if err := read(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// vmHWM returns the peak resident set size in bytes from /proc/self/status,
// 0 where that is not available.
func vmHWM() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f kB", &kb)
			return kb * 1024
		}
	}
	return 0
}
