package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/funnelsim/funnel/model"
)

func init() {
	register("model", "print the default model (or a model with a scenario applied) as YAML", modelCmd)
}

const modelUsage = `
Usage: sim model [--model FILE] [--scenario FILE|NAME] [--list-scenarios]

Prints the embedded default model, documented field by field, to copy and
edit:  sim model > my.yaml
With --model or --scenario it prints the resulting model instead, so you
can see exactly what a scenario changes:
  diff <(sim model --model my.yaml) <(sim model --model my.yaml --scenario two-more-sdrs)
`

func modelCmd(ctx context.Context, e *env, args []string) error {
	var path, scenario string
	var list bool
	fs := newFlags(e, "model", modelUsage)
	fs.StringVar(&path, "model", "", "model `FILE`; default: the embedded default")
	fs.StringVar(&scenario, "scenario", "", "scenario `FILE` or embedded name to apply")
	fs.BoolVar(&list, "list-scenarios", false, "list the embedded scenarios")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if list {
		for _, n := range model.Scenarios() {
			s, err := model.EmbeddedScenario(n)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%-22s %s\n", n, s.Description)
		}
		return nil
	}
	if path == "" && scenario == "" {
		_, err := e.stdout.Write(model.DefaultYAML())
		return err
	}
	m, _, err := loadModel(path, scenario)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(e.stdout, strings.TrimSpace(string(model.Marshal(m)))+"\n")
	return err
}
