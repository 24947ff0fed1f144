package data

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ReadOptions configures Read.
type ReadOptions struct {
	// Format is the export's format. FormatUnknown (the zero value) means
	// detected: a file is read as FormatOpportunities, a folder as what
	// Detect finds in it.
	Format Format

	// Options says how rows are read (zone, date order, as-of time,
	// mapping, limits); nil means the defaults. Its MaxRejectShare is
	// passed to the readers as it is: set it to 1 to read whatever share
	// is rejected and judge the share afterwards, as sim does.
	Options *Options
}

// ReadResult is what Read read.
type ReadResult struct {
	Export *Export // the records, with their Report (rows, rejects, warnings)
	Format Format  // the format read, detected or given
	// File is the CSV file read for FormatOpportunities (the source
	// itself, or the file chosen in its folder); "" for the other formats,
	// which read a folder.
	File string
}

// ParseFormat parses a format's name as Format.String writes it
// ("canonical", "salesforce", "hubspot", "opportunities", any case), for
// a --format flag; "" gives FormatUnknown, which Read detects.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "":
		return FormatUnknown, nil
	case "canonical":
		return FormatCanonical, nil
	case "salesforce":
		return FormatSalesforce, nil
	case "hubspot":
		return FormatHubSpot, nil
	case "opportunities":
		return FormatOpportunities, nil
	}
	return FormatUnknown, fmt.Errorf("data: unknown format %q (want canonical, salesforce, hubspot or opportunities)", s)
}

// Read reads the CRM export at the path src, a folder or, for the
// opportunities format, one CSV file, with the reader of its format:
// ReadExport (canonical), ReadSalesforce, ReadHubSpot or
// ReadOpportunitiesOnly. It is the one way every command of sim reads an
// export, and the one function of this package that opens files by name;
// the readers it calls work on an fs.FS or an io.Reader.
//
// With the format not given, a file is read as opportunities and a folder
// as Detect tells from its files' headers. For the opportunities format a
// folder must hold opportunities.csv or a single .csv file. Errors name
// src (or the file read) and, where the format cannot be told or does not
// fit, say how to give it (sim's --format flag). Rejected rows are in the
// export's Report; Read fails on them only as o.Options.MaxRejectShare
// says. It returns ctx's error if ctx is done before reading.
func Read(ctx context.Context, src string, o ReadOptions) (*ReadResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st, err := os.Stat(src)
	if err != nil {
		return nil, err
	}
	format := o.Format
	if format == FormatUnknown {
		format = FormatOpportunities
		if st.IsDir() {
			d, err := Detect(os.DirFS(src))
			if err != nil {
				return nil, fmt.Errorf("%s: cannot tell the export format: %s; pass --format", src, strings.TrimPrefix(err.Error(), "data: "))
			}
			format = d.Format
		}
	}
	res := &ReadResult{Format: format}
	switch format {
	case FormatCanonical, FormatSalesforce, FormatHubSpot:
		if !st.IsDir() {
			return nil, fmt.Errorf("%s is a file; the %s format reads a folder (only --format opportunities reads a single file)", src, format)
		}
		fsys := os.DirFS(src)
		switch format {
		case FormatCanonical:
			res.Export, err = ReadExport(fsys, o.Options)
		case FormatSalesforce:
			res.Export, err = ReadSalesforce(fsys, o.Options)
		default:
			res.Export, err = ReadHubSpot(fsys, o.Options)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
	case FormatOpportunities:
		if res.File, err = opportunitiesFile(src, st.IsDir()); err != nil {
			return nil, err
		}
		f, err := os.Open(res.File)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if res.Export, err = ReadOpportunitiesOnly(f, filepath.Base(res.File), o.Options); err != nil {
			return nil, fmt.Errorf("%s: %w", res.File, err)
		}
	default:
		return nil, fmt.Errorf("data: Read: unknown format %v", format)
	}
	return res, nil
}

// opportunitiesFile returns the CSV file to read for the opportunities
// format: src itself, or in a folder opportunities.csv or its only .csv.
func opportunitiesFile(src string, isDir bool) (string, error) {
	if !isDir {
		return src, nil
	}
	p := filepath.Join(src, OpportunitiesFile)
	if st, err := os.Stat(p); err == nil && !st.IsDir() {
		return p, nil
	}
	csvs, err := filepath.Glob(filepath.Join(src, "*.csv"))
	if err != nil {
		return "", err
	}
	if len(csvs) != 1 {
		return "", fmt.Errorf("%s: the opportunities format reads one CSV file: found %d .csv files and no %s; give the file's path", src, len(csvs), OpportunitiesFile)
	}
	return csvs[0], nil
}
