package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

// labelSuggestions are the workspace's labels offered in the composer's
// datalists: values of the target group and theme fields, and the other
// labels as key=value.
type labelSuggestions struct {
	TargetGroups, Themes, Others []string
}

// labelSuggestionsOf reads the workspace's labels for the composer.
func (h *handler) labelSuggestionsOf(ctx context.Context, p auth.Principal) (labelSuggestions, error) {
	var out labelSuggestions
	uses, err := h.d.Compose.Labels(ctx, p)
	for _, u := range uses {
		switch u.Key {
		case compose.LabelTargetGroup:
			out.TargetGroups = append(out.TargetGroups, u.Value)
		case compose.LabelTheme:
			out.Themes = append(out.Themes, u.Value)
		default:
			out.Others = append(out.Others, u.Key+"="+u.Value)
		}
	}
	return out, err
}

// readLabels reads the composer's label fields: the target group, the theme
// and the other labels written key=value.
func readLabels(r *http.Request) ([]store.Label, error) {
	var out []store.Label
	for _, k := range []string{compose.LabelTargetGroup, compose.LabelTheme} {
		if v := strings.TrimSpace(r.PostFormValue("label_" + k)); v != "" {
			out = append(out, store.Label{Key: k, Value: v})
		}
	}
	others, err := parseLabels(r.PostFormValue("labels"))
	return append(out, others...), err
}

// showLabels fills the label fields from a saved post's labels: the first
// target group and theme in their fields, everything else as key=value.
func showLabels(p *page, labels []store.Label) {
	var others []string
	for _, l := range labels {
		field := "label_" + l.Key
		if (l.Key == compose.LabelTargetGroup || l.Key == compose.LabelTheme) && p.Form[field] == "" {
			p.Form[field] = l.Value
			continue
		}
		others = append(others, l.Key+"="+l.Value)
	}
	p.Form["labels"] = strings.Join(others, ", ")
}
