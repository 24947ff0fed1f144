package model

import (
	"strings"
	"testing"
)

func TestDisplayName(t *testing.T) {
	tests := []struct {
		stage Stage
		want  string
	}{
		{Stage{Name: "mql"}, "MQL"},
		{Stage{Name: "tql"}, "TQL"},
		{Stage{Name: "sal"}, "SAL"},
		{Stage{Name: "opportunity"}, "Opportunity"},
		{Stage{Name: "closed_won"}, "Closed won"},
		{Stage{Name: "sales-accepted"}, "Sales accepted"},
		{Stage{Name: "évalué"}, "Évalué"},
		{Stage{Name: "sal", Label: "Sales accepted"}, "Sales accepted"},
		{Stage{Name: ""}, ""},
	}
	for _, tt := range tests {
		if got := tt.stage.DisplayName(); got != tt.want {
			t.Errorf("%+v.DisplayName() = %q, want %q", tt.stage, got, tt.want)
		}
	}
}

func TestLabelValidated(t *testing.T) {
	m := Default()
	m.Stages[2].Label = strings.Repeat("x", MaxLabelBytes+1)
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "stages[2].label") {
		t.Errorf("Validate with a long label: %v, want an error naming stages[2].label", err)
	}
	m.Stages[2].Label = "Marketing\nqualified"
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "stages[2].label") {
		t.Errorf("Validate with a control character in a label: %v, want an error naming stages[2].label", err)
	}
	m.Stages[2].Label = "Marketing qualified"
	if err := m.Validate(); err != nil {
		t.Errorf("Validate with a plain label: %v", err)
	}
	if h := m.Hash(); h == Default().Hash() {
		t.Error("a label does not change the model's hash")
	}
}
