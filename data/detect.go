package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Format is the kind of export a folder holds.
type Format int

// Formats. The zero value is FormatUnknown.
const (
	FormatUnknown       Format = iota
	FormatCanonical            // the engine's own files (ReadExport)
	FormatSalesforce           // Salesforce Data Export, Data Loader or report CSVs (ReadSalesforce)
	FormatHubSpot              // HubSpot contacts and deals exports (ReadHubSpot)
	FormatOpportunities        // one generic file of deals (ReadOpportunitiesOnly)
)

// String returns "unknown", "canonical", "salesforce", "hubspot" or
// "opportunities", the names of the sim command's --format flag.
func (f Format) String() string {
	switch f {
	case FormatUnknown:
		return "unknown"
	case FormatCanonical:
		return "canonical"
	case FormatSalesforce:
		return "salesforce"
	case FormatHubSpot:
		return "hubspot"
	case FormatOpportunities:
		return "opportunities"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Object is the kind of record a file holds, as told by its header.
type Object int

// Objects. The zero value is ObjectUnknown.
const (
	ObjectUnknown Object = iota
	// Canonical files (FormatCanonical).
	ObjectLeads          // leads.csv
	ObjectStageEvents    // stage_events.csv
	ObjectActivities     // activities.csv
	ObjectOpportunities  // opportunities.csv
	ObjectOppStageEvents // opportunity_stage_events.csv
	// Salesforce objects (FormatSalesforce).
	ObjectSalesforceLead        // Lead: Id, CreatedDate, Status, LeadSource, IsConverted, ...
	ObjectSalesforceLeadHistory // LeadHistory: LeadId, Field, OldValue, NewValue, CreatedDate
	ObjectSalesforceOpportunity // Opportunity: Id, StageName, CloseDate, IsClosed, IsWon, ...
	ObjectSalesforceOppHistory  // OpportunityHistory: OpportunityId, StageName, CreatedDate
	// HubSpot objects (FormatHubSpot).
	ObjectHubSpotContact // contacts: Record ID, Create Date, Lifecycle Stage, "Became a ... Date"
	ObjectHubSpotDeal    // deals: Record ID, Deal Stage, Amount, Create Date, Close Date
	// A generic file of deals (FormatOpportunities).
	ObjectDeals
)

var objectNames = [...]string{
	ObjectUnknown:               "unknown",
	ObjectLeads:                 "leads",
	ObjectStageEvents:           "stage events",
	ObjectActivities:            "activities",
	ObjectOpportunities:         "opportunities",
	ObjectOppStageEvents:        "opportunity stage events",
	ObjectSalesforceLead:        "Salesforce Lead",
	ObjectSalesforceLeadHistory: "Salesforce LeadHistory",
	ObjectSalesforceOpportunity: "Salesforce Opportunity",
	ObjectSalesforceOppHistory:  "Salesforce OpportunityHistory",
	ObjectHubSpotContact:        "HubSpot contacts",
	ObjectHubSpotDeal:           "HubSpot deals",
	ObjectDeals:                 "deals",
}

// String returns the object's name for people ("Salesforce Lead").
func (o Object) String() string {
	if o >= 0 && int(o) < len(objectNames) {
		return objectNames[o]
	}
	return fmt.Sprintf("Object(%d)", int(o))
}

// Format returns the format the object belongs to.
func (o Object) Format() Format {
	switch {
	case o >= ObjectLeads && o <= ObjectOppStageEvents:
		return FormatCanonical
	case o >= ObjectSalesforceLead && o <= ObjectSalesforceOppHistory:
		return FormatSalesforce
	case o == ObjectHubSpotContact || o == ObjectHubSpotDeal:
		return FormatHubSpot
	case o == ObjectDeals:
		return FormatOpportunities
	}
	return FormatUnknown
}

// DetectedFile is one file of a folder and what its header says it holds.
type DetectedFile struct {
	Name     string   // file name in the folder
	Object   Object   // ObjectUnknown for a file the readers do not read (Account.csv, rejects.csv)
	Encoding Encoding // as DetectEncoding finds it
	Err      error    // why the header could not be read (empty file, binary); nil if it was
}

// Detection is what Detect found in a folder.
type Detection struct {
	Format Format         // the export's format
	Files  []DetectedFile // every CSV file (.csv, .tsv, .txt) at the folder's root, by name
}

// File returns the name of the file holding obj, "" if none does.
func (d Detection) File(obj Object) string {
	for _, f := range d.Files {
		if f.Object == obj {
			return f.Name
		}
	}
	return ""
}

// Detect tells the format of the export in fsys, and the object each of
// its CSV files holds, from the files' headers rather than their names:
// CRMs name their files as they please (HubSpot's
// "hubspot-crm-exports-all-deals-2023-05-16.csv", Salesforce's
// "report1700000000000.csv", Data Loader's "extract.csv"). Header names
// match as the readers match them (ignoring case, spaces, underscores and
// punctuation); the signatures are:
//
//	leads, stage events, activities,  the canonical column names (lead_id, created_at,
//	opportunities, opp. stage events  source; lead_id, stage, at; ...)
//	HubSpot deals                     Deal Stage with Record ID or Deal ID
//	HubSpot contacts                  Record ID (or Contact ID) with Create Date, and no stage
//	Salesforce LeadHistory            LeadId (Lead ID), Field, NewValue
//	Salesforce OpportunityHistory     OpportunityId (Opportunity ID), StageName (Stage, To Stage) and
//	                                  a date, without CloseDate's deal fields (IsClosed, Amount alone)
//	Salesforce Opportunity            Id (Opportunity ID), StageName (Stage), CloseDate
//	Salesforce Lead                   Id (Lead ID), CreatedDate, and Status, LeadSource or IsConverted
//	deals                             one file with the columns ReadOpportunitiesOnly needs
//
// The format is that of the objects found. Detect returns an error when
// no file is recognised, when files of two formats are present (Salesforce
// and HubSpot files in one folder), or when two files hold the same
// object; the error names the files. Unreadable files are listed with
// their Err and do not stop detection.
func Detect(fsys fs.FS) (Detection, error) {
	var d Detection
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return d, fmt.Errorf("data: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		switch strings.ToLower(path.Ext(e.Name())) {
		case ".csv", ".tsv", ".txt":
		default:
			continue
		}
		f := DetectedFile{Name: e.Name()}
		var hdr []string
		hdr, f.Encoding, f.Err = readHeader(fsys, e.Name())
		if f.Err == nil {
			f.Object = objectOf(hdr)
		}
		d.Files = append(d.Files, f)
	}
	sort.Slice(d.Files, func(i, j int) bool { return d.Files[i].Name < d.Files[j].Name })
	byFormat := make(map[Format][]string)
	byObject := make(map[Object][]string)
	for _, f := range d.Files {
		if f.Object != ObjectUnknown {
			byFormat[f.Object.Format()] = append(byFormat[f.Object.Format()], f.Name)
			byObject[f.Object] = append(byObject[f.Object], f.Name)
		}
	}
	// A canonical export's own opportunities file also reads as deals.
	if len(byFormat) > 1 && len(byFormat[FormatOpportunities]) > 0 {
		delete(byFormat, FormatOpportunities)
	}
	switch len(byFormat) {
	case 0:
		var names []string
		for _, f := range d.Files {
			names = append(names, f.Name)
		}
		if len(names) == 0 {
			return d, errors.New("data: no CSV file in the folder")
		}
		return d, fmt.Errorf("data: no file has the header of a known export (read: %s)", strings.Join(names, ", "))
	case 1:
		for f := range byFormat {
			d.Format = f
		}
	default:
		var parts []string
		for _, f := range []Format{FormatCanonical, FormatSalesforce, FormatHubSpot} {
			if n := byFormat[f]; len(n) > 0 {
				parts = append(parts, fmt.Sprintf("%s (%s)", f, strings.Join(n, ", ")))
			}
		}
		return d, fmt.Errorf("data: files of several formats in one folder: %s", strings.Join(parts, "; "))
	}
	for obj, names := range byObject {
		if obj.Format() == d.Format && len(names) > 1 {
			return d, fmt.Errorf("data: %d files hold %s records: %s", len(names), obj, strings.Join(names, ", "))
		}
	}
	return d, nil
}

// readHeader returns the header of file name in fsys and its encoding.
func readHeader(fsys fs.FS, name string) ([]string, Encoding, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, UTF8, err
	}
	defer f.Close()
	r, enc := DetectEncoding(f)
	lim := DefaultLimits
	count := new(LineCount)
	rr := &recordReader{lr: newLineReader(r, lim.LineBytes), comma: ',', lim: lim, count: count}
	for {
		l, err := rr.readLine()
		if err == io.EOF {
			return nil, enc, errors.New("empty file (no header line)")
		}
		if err != nil {
			return nil, enc, err
		}
		if !rr.isBlank(l.text) {
			rr.comma = sniff(l.text)
			l.text = append([]byte(nil), l.text...)
			rr.pending = append(rr.pending, l)
			break
		}
	}
	if err := rr.read(0); err != nil {
		return nil, enc, err
	}
	hdr := append([]string(nil), rr.fields...)
	for _, h := range hdr {
		if c, ok := controlChar(h); ok {
			return nil, enc, fmt.Errorf("control character %U in the header: not a CSV file", c)
		}
	}
	return hdr, enc, nil
}

// objectOf tells the object a file holds from its header.
func objectOf(header []string) Object {
	h := make(map[string]bool, len(header))
	for _, c := range header {
		h[normKey(c)] = true
	}
	hasAny := func(keys ...string) bool {
		for _, k := range keys {
			if h[k] {
				return true
			}
		}
		return false
	}
	all := func(keys ...string) bool {
		for _, k := range keys {
			if !h[k] {
				return false
			}
		}
		return true
	}
	became := false
	for _, c := range header {
		if _, ok := becameStage(c); ok {
			became = true
		}
		if _, ok := enteredStage(c); ok {
			became = true
		}
	}
	switch {
	// Canonical files carry the canonical names.
	case all("opportunityid", "createdat", "amount", "stage", "outcome"):
		return ObjectOpportunities
	case all("opportunityid", "stage", "at"):
		return ObjectOppStageEvents
	case all("leadid", "at", "channel", "outcome"):
		return ObjectActivities
	case all("leadid", "stage", "at"):
		return ObjectStageEvents
	case all("leadid", "createdat", "source"):
		return ObjectLeads
	// HubSpot.
	case hasAny("dealstage") && hasAny("recordid", "dealid", "hsobjectid"):
		return ObjectHubSpotDeal
	case hasAny("recordid", "contactid", "hsobjectid") && hasAny("createdate", "createddate") &&
		!hasAny("stage", "stagename") && (became || hasAny("lifecyclestage", "email", "firstname", "lastname", "contactowner", "originalsource", "originaltrafficsource")):
		return ObjectHubSpotContact
	// Salesforce.
	case hasAny("leadid") && hasAny("field", "fieldevent") && hasAny("newvalue"):
		return ObjectSalesforceLeadHistory
	case hasAny("opportunityid") && hasAny("stagename", "stage", "tostage") && !hasAny("isclosed", "closed", "iswon", "won") &&
		hasAny("createddate", "editdate", "lastmodifieddate", "lastmodified", "createdate"):
		return ObjectSalesforceOppHistory
	case hasAny("leadid") && hasAny("opportunityid") && hasAny("createddate", "createdate") &&
		hasAny("status", "leadstatus", "leadsource", "isconverted", "converted"):
		// A report of leads with their converted opportunities' columns
		// ("Leads with converted lead information"): read as leads, and
		// its opportunity columns as opportunities (ReadSalesforce).
		return ObjectSalesforceLead
	case hasAny("id", "opportunityid") && hasAny("stagename", "stage") && hasAny("closedate"):
		return ObjectSalesforceOpportunity
	case hasAny("id", "leadid") && hasAny("createddate", "createdate") &&
		hasAny("status", "leadstatus", "leadsource", "isconverted", "converted", "convertedopportunityid"):
		return ObjectSalesforceLead
	}
	// A generic deals file: the columns ReadOpportunitiesOnly needs.
	for _, s := range oppOnlySpecs {
		if !s.required {
			continue
		}
		keys := []string{normKey(s.name)}
		for _, a := range s.aliases {
			keys = append(keys, normKey(a))
		}
		if !hasAny(keys...) {
			return ObjectUnknown
		}
	}
	return ObjectDeals
}

// locate returns the file holding each of objs in fsys: the file named
// as in names (the CRM's usual name) when it exists, else the one whose
// header Detect recognises as that object, "" when there is none.
func locate(fsys fs.FS, objs []Object, names []string) ([]string, error) {
	out := make([]string, len(objs))
	var d *Detection
	for i, obj := range objs {
		ok, err := exists(fsys, names[i])
		if err != nil {
			return nil, err
		}
		if ok {
			out[i] = names[i]
			continue
		}
		if d == nil {
			det, _ := Detect(fsys) // its errors concern other files; each object is checked below
			d = &det
		}
		var found []string
		for _, f := range d.Files {
			if f.Object == obj {
				found = append(found, f.Name)
			}
		}
		switch len(found) {
		case 0:
		case 1:
			out[i] = found[0]
		default:
			return nil, fmt.Errorf("data: %d files hold %s records: %s", len(found), obj, strings.Join(found, ", "))
		}
	}
	return out, nil
}
