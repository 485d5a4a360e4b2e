package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		huma.Register(h.api, huma.Operation{OperationID: "mark-publication-published", Method: http.MethodPost,
			Path:    "/api/v1/posts/{id}/publications/{publicationID}/mark-published",
			Summary: "Confirm that a needs_review publication is on the network (a person checked), instead of retrying it",
			Tags:    []string{"Posts"}, DefaultStatus: http.StatusOK, MaxBodyBytes: 64 << 10}, h.markPublished)
	})
}

// MarkPublishedInput names a publication of a post and, optionally, where it
// is on the network; the body may be left out.
type MarkPublishedInput struct {
	ID            int64              `path:"id"`
	PublicationID int64              `path:"publicationID"`
	Body          *MarkPublishedBody `required:"false"`
}

// MarkPublishedBody is the optional address of the confirmed post.
type MarkPublishedBody struct {
	URL string `json:"url,omitempty" maxLength:"2000" doc:"Address of the post on the network (http or https), if known"`
}

func (h *Handler) markPublished(ctx context.Context, in *MarkPublishedInput) (*PostOutput, error) {
	link := ""
	if in.Body != nil {
		link = in.Body.URL
	}
	v, err := h.d.Compose.MarkPublished(ctx, principal(ctx), in.ID, in.PublicationID, link)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PostOutput{Body: v}, nil
}
