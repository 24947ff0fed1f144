package data

import (
	"strings"
	"testing/fstest"
)

func parseMappingString(s string) (*Mapping, error) { return ParseMapping(strings.NewReader(s)) }

// mapFS builds an in-memory export from file contents.
func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

func rejectStrings(rep *Report) []string {
	var out []string
	for _, e := range rep.Rejected {
		out = append(out, e.Error())
	}
	return out
}
