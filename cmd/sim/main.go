// Command sim calibrates a B2B revenue funnel from CRM exports and
// simulates thousands of quarters of it to forecast revenue, pipeline
// coverage and the effect of service-level agreements.
//
// Run "sim --help" for the commands and "sim COMMAND --help" for each.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // time zones without the system's database

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/spf13/pflag"
)

// stopGrace is how long a command may take to stop by itself after an
// interrupt before sim exits without it.
const stopGrace = time.Second

// memoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT says
// otherwise: near it the garbage collector runs sooner instead of letting
// the heap grow to twice its live data, which keeps a million-lead
// calibration under 1 GiB (1.09 GiB peak without it; 0.83 GiB at 800 MiB,
// the same CPU time). A run that needs more still gets it: the limit is
// soft, and the collector's share of CPU is capped.
const memoryLimit = 900 << 20

// simMemoryLimit is the soft memory limit of the commands that simulate.
// Their hot loop allocates nothing, and what they hold (a model's
// preparation, about 200 MB for the default's stationary state; a sweep's
// batch of them; per-quarter results) stays below it, so the collector
// seldom runs either way; without it the heap doubles between
// collections. Measured with /usr/bin/time -v on 2 cores, peak RSS
// without a limit (900 MiB) and with 224 to 256 MiB: sim forecast 320 ->
// 242-275 MB, sim sla --quarters 100 442 -> 245-274 MB, sim compare 380 ->
// 242-272 MB, CPU time within the noise of a shared machine.
const simMemoryLimit = 240 << 20

// simulating lists the commands simMemoryLimit applies to.
var simulating = map[string]bool{"forecast": true, "compare": true, "sla": true, "plan": true, "merge": true}

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		limit := int64(memoryLimit)
		if len(os.Args) > 1 && simulating[os.Args[1]] {
			limit = simMemoryLimit
		}
		debug.SetMemoryLimit(limit)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		cancel()
		// A command checks ctx between its steps; one in a long step
		// that does not has stopGrace to get there. Then sim discards
		// every output in progress (outdir.AbortAll waits for a commit
		// already renaming files) and exits, leaving the previous
		// outputs as they were.
		select {
		case <-sigs:
		case <-time.After(stopGrace):
		}
		outdir.AbortAll()
		fmt.Fprintf(os.Stderr, "sim: %v: stopped; nothing written\n", sig)
		os.Exit(130)
	}()
	if err := run(ctx, os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		if ctx.Err() != nil {
			outdir.AbortAll()
			fmt.Fprintln(os.Stderr, "sim: interrupted; nothing written")
			os.Exit(130)
		}
		if errors.Is(err, pflag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "sim:", err)
		os.Exit(1)
	}
}

// command is a subcommand of sim.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch: its output streams.
type env struct {
	stdout, stderr io.Writer
	replay         *replay // sim merge: the merged results, taken instead of simulating
}

var commands = map[string]command{}

func register(name, summary string, run func(context.Context, *env, []string) error) {
	commands[name] = command{summary: summary, run: run}
}

const usageHead = `sim forecasts a B2B revenue funnel by simulating it lead by lead.

It models the funnel (known -> engaged -> mql -> tql -> sal -> opportunity
-> won | lost, or your own taxonomy), the SDR team whose response times
decide how many MQLs are reached, and the deals that close; it simulates
thousands of quarters and reports the revenue range, the chance of making
quota, pipeline coverage and SLA compliance.

Usage:
  sim COMMAND [flags] [args]

Commands:
`

const usageTail = `
Start here:
  sim forecast                    forecast the embedded default model
  sim model > my.yaml             copy the default model to edit
  sim forecast --model my.yaml --scenario two-more-sdrs

Run "sim COMMAND --help" for a command's flags.
`

func usage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, usageTail)
}

// run runs sim with args (without the program name).
func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			if c, ok := commands[args[1]]; ok {
				return c.run(ctx, e, []string{"--help"})
			}
		}
		usage(stdout)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		var names []string
		for n := range commands {
			if strings.HasPrefix(n, args[0][:min(2, len(args[0]))]) {
				names = append(names, n)
			}
		}
		hint := ""
		if len(names) > 0 {
			sort.Strings(names)
			hint = fmt.Sprintf(" (did you mean %s?)", strings.Join(names, " or "))
		}
		return fmt.Errorf("unknown command %q%s; run 'sim --help'", args[0], hint)
	}
	return c.run(ctx, e, args[1:])
}

// newFlags returns a flag set for a command whose help text is usage; it
// prints its help on stdout.
func newFlags(e *env, name, usage string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "%s\nFlags:\n%s", strings.TrimSpace(usage)+"\n", fs.FlagUsages())
	}
	return fs
}

// parseFlags parses args, printing help on --help, and returns the
// positional arguments.
func parseFlags(fs *pflag.FlagSet, args []string) ([]string, error) {
	var help bool
	fs.BoolVarP(&help, "help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w (run 'sim %s --help')", fs.Name(), err, fs.Name())
	}
	if help {
		fs.Usage()
		return nil, pflag.ErrHelp
	}
	return fs.Args(), nil
}
