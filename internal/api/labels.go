package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		huma.Register(h.api, huma.Operation{OperationID: "list-labels", Method: http.MethodGet, Path: "/api/v1/labels",
			Summary: "The labels the workspace's posts carry, with how many posts carry each (suggestions while composing)",
			Tags:    []string{"Posts"}, DefaultStatus: http.StatusOK}, h.listLabels)
	})
}

// LabelsOutput lists the workspace's labels.
type LabelsOutput struct {
	Body struct {
		Labels []store.LabelUse `json:"labels"`
	}
}

func (h *Handler) listLabels(ctx context.Context, _ *struct{}) (*LabelsOutput, error) {
	out, err := h.d.Compose.Labels(ctx, principal(ctx))
	if err != nil {
		return nil, h.fail(err)
	}
	res := &LabelsOutput{}
	res.Body.Labels = out
	return res, nil
}
