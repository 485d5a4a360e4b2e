package compose

import (
	"context"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// The label keys the composer gives fields of their own; other labels are
// free key=value pairs.
const (
	LabelTargetGroup = "target_group"
	LabelTheme       = "theme"
)

// maxLabelSuggestions bounds the suggestions read for the composer.
const maxLabelSuggestions = 500

// Labels lists the labels the workspace's posts carry, by key and the most
// used first, for suggestions while composing.
func (s *Service) Labels(ctx context.Context, p auth.Principal) ([]store.LabelUse, error) {
	if err := need(p, auth.ActView); err != nil {
		return nil, err
	}
	out, err := s.Store.WorkspaceLabels(ctx, p.Workspace.ID, maxLabelSuggestions)
	if out == nil {
		out = []store.LabelUse{}
	}
	return out, err
}
