package store

import "context"

// LabelUse is a label with the number of the workspace's posts that carry it.
type LabelUse struct {
	Label
	Posts int `json:"posts"`
}

// LabelStore reads the labels a workspace uses, for the composer's suggestions.
type LabelStore interface {
	// WorkspaceLabels lists the distinct labels of the workspace's posts, by
	// key, the most used first within a key, at most limit of them.
	WorkspaceLabels(ctx context.Context, workspaceID int64, limit int) ([]LabelUse, error)
}
