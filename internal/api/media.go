package api

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// uploadBodyLimit bounds a multipart upload: the largest video plus room for the form's other parts.
const uploadBodyLimit = media.MaxVideoUpload + 1<<20

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Media"},
				DefaultStatus: status, MaxBodyBytes: 1 << 20}
		}
		up := op(http.MethodPost, "/media", "upload-media", "Upload an image, GIF, video or audio file (multipart form: file, alt_text)", http.StatusCreated)
		up.Description = "JPEG, PNG, GIF, WebP (images up to 50 MB) and MP4/QuickTime (up to 512 MB). The type is detected from the bytes. " +
			"Images are auto-oriented and stripped of EXIF/GPS metadata. Uploading the same bytes again answers the existing item with 200."
		up.BodyReadTimeout = 15 * time.Minute
		up.Middlewares = huma.Middlewares{limitBody(uploadBodyLimit)}
		huma.Register(h.api, up, h.uploadMedia)
		fromURL := op(http.MethodPost, "/media/from-url", "upload-media-from-url", "Fetch a file by URL into the media library", http.StatusCreated)
		fromURL.Description = "The server fetches the URL (http or https; private and loopback addresses are refused unless the server allows them)."
		huma.Register(h.api, fromURL, h.uploadMediaURL)
		alsoAnswers(h.api, http.MethodPost, "/api/v1/media", http.StatusOK, http.StatusCreated, "The same bytes are already in the library: the existing item")
		alsoAnswers(h.api, http.MethodPost, "/api/v1/media/from-url", http.StatusOK, http.StatusCreated, "The same bytes are already in the library: the existing item")
		huma.Register(h.api, op(http.MethodGet, "/media", "list-media", "The media library, newest first", http.StatusOK), h.listMedia)
		huma.Register(h.api, op(http.MethodGet, "/media/{id}", "get-media", "One media item, with checks against networks", http.StatusOK), h.getMedia)
		huma.Register(h.api, op(http.MethodPatch, "/media/{id}", "update-media", "Change a media item's alt text", http.StatusOK), h.updateMedia)
		huma.Register(h.api, op(http.MethodDelete, "/media/{id}", "delete-media", "Delete a media item and its files", http.StatusNoContent), h.deleteMedia)
	})
}

// limitBody caps the request body before huma parses a multipart form,
// which it otherwise reads without limit.
func limitBody(n int64) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		if r, w := humago.Unwrap(ctx); r != nil {
			r.Body = http.MaxBytesReader(w, r.Body, n)
		}
		next(ctx)
	}
}

// library is the configured media library; without one (tests of other
// routes), reads and edits still work on the records.
func (h *Handler) library() *media.Library {
	if h.d.Media != nil {
		return h.d.Media
	}
	return &media.Library{Store: h.d.Store}
}

// Media is one item of the media library.
type Media struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind" enum:"image,gif,video,audio"`
	MIME       string    `json:"mime" doc:"The type detected from the stored bytes"`
	Bytes      int64     `json:"bytes"`
	Width      int       `json:"width"`
	Height     int       `json:"height"`
	DurationMS int64     `json:"duration_ms" doc:"A video's duration in milliseconds (0 for images)"`
	AltText    string    `json:"alt_text"`
	Filename   string    `json:"filename"`
	SHA256     string    `json:"sha256" doc:"SHA-256 of the uploaded bytes; the same content is stored once per workspace"`
	CreatedAt  time.Time `json:"created_at"`
	// Warnings say what deserves attention everywhere (missing alt text).
	Warnings []string `json:"warnings"`
	// Problems are the checks against the networks asked for with ?networks=.
	Problems []media.Problem `json:"problems,omitempty"`
}

func toMedia(m store.Media) Media {
	out := Media{ID: m.ID, Kind: string(m.Kind), MIME: m.MIME, Bytes: m.Bytes, Width: m.Width, Height: m.Height, DurationMS: m.DurationMS,
		AltText: m.AltText, Filename: m.Filename, SHA256: m.SHA256, CreatedAt: m.CreatedAt, Warnings: []string{}}
	if m.AltText == "" {
		out.Warnings = append(out.Warnings, "Alt text is missing: describe the "+string(m.Kind)+" for people who cannot see it")
	}
	return out
}

// MediaOutput is one item; Status is 201 for a new item and 200 when the same content already existed.
type MediaOutput struct {
	Status int
	Body   Media
}

// UploadMediaInput is a multipart upload.
type UploadMediaInput struct {
	RawBody huma.MultipartFormFiles[struct {
		File    huma.FormFile `form:"file" contentType:"image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime,application/octet-stream" required:"true" doc:"The file"`
		AltText string        `form:"alt_text" required:"false" maxLength:"1500" doc:"Alt text describing the media (at most 1,500 characters)"`
	}]
}

func (h *Handler) uploadMedia(ctx context.Context, in *UploadMediaInput) (*MediaOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	form := in.RawBody.Data()
	if !form.File.IsSet {
		return nil, h.fail(valid.Errorf("file", "required", "Send the file in the multipart field \"file\""))
	}
	m, created, err := h.library().Ingest(ctx, p.Workspace.ID, p.User.ID, form.File.Filename, form.File, media.MaxVideoUpload)
	return h.finishUpload(ctx, p, created, m, err, form.AltText)
}

// UploadURLInput names a file to fetch.
type UploadURLInput struct {
	Body struct {
		URL     string `json:"url" maxLength:"2048" doc:"An http or https URL of a JPEG, PNG, GIF, WebP, MP4 or QuickTime file"`
		AltText string `json:"alt_text,omitempty" maxLength:"1500" doc:"Alt text describing the media"`
	}
}

func (h *Handler) uploadMediaURL(ctx context.Context, in *UploadURLInput) (*MediaOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	m, created, err := h.library().IngestURL(ctx, p.Workspace.ID, p.User.ID, in.Body.URL, media.MaxVideoUpload)
	return h.finishUpload(ctx, p, created, m, err, in.Body.AltText)
}

// finishUpload sets the alt text given with an upload and answers 201, or
// 200 when the content existed before this request.
func (h *Handler) finishUpload(ctx context.Context, p auth.Principal, created bool, m store.Media, err error, alt string) (*MediaOutput, error) {
	if err != nil {
		return nil, h.fail(err)
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK // deduplicated: the item was there before this request
	}
	if strings.TrimSpace(alt) != "" {
		if m, err = h.library().SetAlt(ctx, p.Workspace.ID, m.ID, alt); err != nil {
			return nil, h.fail(err)
		}
	}
	return &MediaOutput{Status: status, Body: toMedia(m)}, nil
}

// ListMediaInput filters the library.
type ListMediaInput struct {
	Kind   string `query:"kind" enum:"image,gif,video,audio" doc:"Only this kind"`
	Limit  int    `query:"limit" minimum:"0" maximum:"200" default:"50"`
	Offset int    `query:"offset" minimum:"0"`
}

// MediaListOutput lists items.
type MediaListOutput struct {
	Body struct {
		Media []Media `json:"media"`
	}
}

func (h *Handler) listMedia(ctx context.Context, in *ListMediaInput) (*MediaListOutput, error) {
	list, err := h.library().List(ctx, principal(ctx).Workspace.ID, media.Filter{Kind: store.MediaKind(in.Kind), Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, h.fail(err)
	}
	out := &MediaListOutput{}
	out.Body.Media = make([]Media, 0, len(list))
	for _, m := range list {
		out.Body.Media = append(out.Body.Media, toMedia(m))
	}
	return out, nil
}

// GetMediaInput names an item and the networks to check it against.
type GetMediaInput struct {
	ID       int64  `path:"id"`
	Networks string `query:"networks" maxLength:"256" doc:"Comma-separated network kinds to check the item against, e.g. bluesky,instagram"`
}

func (h *Handler) getMedia(ctx context.Context, in *GetMediaInput) (*MediaOutput, error) {
	var limits []network.Limits
	for _, k := range strings.Split(in.Networks, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		l, ok := network.LimitsFor(network.Kind(k))
		if !ok {
			return nil, h.fail(valid.Errorf("networks", "unknown", "Unknown network %q in networks; known networks: %s", k, knownNetworks()))
		}
		limits = append(limits, l)
	}
	m, err := h.library().Get(ctx, principal(ctx).Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := toMedia(m)
	for _, l := range limits {
		out.Problems = append(out.Problems, media.Check(m, l)...)
	}
	if len(limits) > 0 && out.Problems == nil {
		out.Problems = []media.Problem{}
	}
	return &MediaOutput{Status: http.StatusOK, Body: out}, nil
}

// UpdateMediaInput changes the alt text.
type UpdateMediaInput struct {
	ID   int64 `path:"id"`
	Body struct {
		AltText *string `json:"alt_text,omitempty" maxLength:"1500" doc:"Alt text describing the media; empty clears it, absent leaves it"`
	}
}

func (h *Handler) updateMedia(ctx context.Context, in *UpdateMediaInput) (*MediaOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	lib := h.library()
	var m store.Media
	if in.Body.AltText == nil {
		m, err = lib.Get(ctx, p.Workspace.ID, in.ID)
	} else if m, err = lib.Get(ctx, p.Workspace.ID, in.ID); err == nil {
		old := m.AltText
		m, err = lib.SetAlt(ctx, p.Workspace.ID, in.ID, *in.Body.AltText)
		if err == nil && m.AltText != old && h.d.Compose != nil {
			// Approved posts showing the item go back to review.
			_, err = h.d.Compose.MediaAltChanged(ctx, p, in.ID)
		}
	}
	if err != nil {
		return nil, h.fail(err)
	}
	return &MediaOutput{Status: http.StatusOK, Body: toMedia(m)}, nil
}

func (h *Handler) deleteMedia(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.library().Delete(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// knownNetworks lists the network kinds with limits, sorted, for error messages.
func knownNetworks() string {
	var ks []string
	for k := range network.DefaultLimits {
		ks = append(ks, string(k))
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}
