package linkedin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// usesArticle reports whether the part's link becomes an article card: the
// Link option is article and the media is at most one image (its thumbnail).
func usesArticle(p network.Part, o options) bool {
	if p.Link == "" || o.linkStyle != "article" || len(p.Media) > 1 {
		return false
	}
	return len(p.Media) == 0 || (!strings.HasPrefix(p.Media[0].MIME, "video/") && p.Media[0].MIME != "application/pdf")
}

// content builds the post's content from its media and link, uploading the media.
func (c *Connector) content(ctx context.Context, p network.Part, o options) (map[string]any, error) {
	var images, videos, docs []network.Media
	for _, m := range p.Media {
		switch {
		case strings.HasPrefix(m.MIME, "video/"):
			videos = append(videos, m)
		case m.MIME == "application/pdf":
			docs = append(docs, m)
		default:
			images = append(images, m)
		}
	}
	invalid := func(msg string) error {
		return &network.Error{Class: network.InvalidContent, Network: network.LinkedIn, Message: msg}
	}
	switch {
	case len(videos)+len(docs) > 0 && len(p.Media) > 1:
		return nil, invalid("a LinkedIn post carries one video or one document alone, or images")
	case len(videos) == 1:
		id, err := c.uploadVideo(ctx, videos[0])
		if err != nil {
			return nil, fmt.Errorf("video: %w", err)
		}
		return map[string]any{"media": map[string]any{"id": id, "title": o.documentTitle}}, nil
	case len(docs) == 1:
		if o.documentTitle == "" {
			return nil, invalid("a document post needs a document_title")
		}
		id, err := c.uploadSimple(ctx, "documents", docs[0])
		if err != nil {
			return nil, fmt.Errorf("document: %w", err)
		}
		return map[string]any{"media": map[string]any{"id": id, "title": o.documentTitle}}, nil
	case usesArticle(p, o):
		art := map[string]any{"source": p.Link, "title": o.title}
		if o.title == "" {
			art["title"] = p.Link
		}
		if o.description != "" {
			art["description"] = o.description
		}
		if len(images) == 1 {
			id, err := c.uploadSimple(ctx, "images", images[0])
			if err != nil {
				return nil, fmt.Errorf("thumbnail: %w", err)
			}
			art["thumbnail"] = id
		}
		return map[string]any{"article": art}, nil
	case len(images) == 1:
		id, err := c.uploadSimple(ctx, "images", images[0])
		if err != nil {
			return nil, fmt.Errorf("image: %w", err)
		}
		return map[string]any{"media": map[string]any{"id": id, "altText": images[0].AltText}}, nil
	case len(images) > 1:
		var list []map[string]any
		ids, err := network.UploadEach(ctx, images, func(ctx context.Context, m network.Media) (string, error) {
			return c.uploadSimple(ctx, "images", m)
		})
		if err != nil {
			return nil, err
		}
		for i, id := range ids {
			list = append(list, map[string]any{"id": id, "altText": images[i].AltText})
		}
		return map[string]any{"multiImage": map[string]any{"images": list}}, nil
	}
	return nil, nil
}

// uploadSimple uploads an image or a document: initializeUpload gives an
// upload URL and the asset's URN, then one PUT sends the bytes.
func (c *Connector) uploadSimple(ctx context.Context, kind string, m network.Media) (string, error) {
	var r struct {
		Value struct {
			UploadURL string `json:"uploadUrl"`
			Image     string `json:"image"`
			Document  string `json:"document"`
		} `json:"value"`
	}
	init := map[string]any{"initializeUploadRequest": map[string]any{"owner": c.author}}
	if _, err := c.api.do(ctx, request{method: http.MethodPost, path: "/rest/" + kind, rawQuery: "action=initializeUpload", json: init}, &r); err != nil {
		return "", err
	}
	urn := r.Value.Image + r.Value.Document
	if r.Value.UploadURL == "" || urn == "" {
		return "", &network.Error{Class: network.Unknown, Network: network.LinkedIn, Message: "initializeUpload answered without an upload URL"}
	}
	if _, err := c.api.do(ctx, request{method: http.MethodPut, rawURL: r.Value.UploadURL, body: m.Data, contentType: "application/octet-stream"}, nil); err != nil {
		return "", err
	}
	return urn, nil
}

// uploadVideo initialises a video upload with its size, PUTs each part
// LinkedIn asks for (byte ranges), finalises with the parts' ETags in
// order, then waits until the video is AVAILABLE.
func (c *Connector) uploadVideo(ctx context.Context, m network.Media) (string, error) {
	var r struct {
		Value struct {
			Video              string `json:"video"`
			UploadToken        string `json:"uploadToken"`
			UploadInstructions []struct {
				UploadURL string `json:"uploadUrl"`
				FirstByte int64  `json:"firstByte"`
				LastByte  int64  `json:"lastByte"`
			} `json:"uploadInstructions"`
		} `json:"value"`
	}
	init := map[string]any{"initializeUploadRequest": map[string]any{"owner": c.author, "fileSizeBytes": len(m.Data), "uploadCaptions": false, "uploadThumbnail": false}}
	if _, err := c.api.do(ctx, request{method: http.MethodPost, path: "/rest/videos", rawQuery: "action=initializeUpload", json: init}, &r); err != nil {
		return "", err
	}
	v := r.Value
	if v.Video == "" || len(v.UploadInstructions) == 0 {
		return "", &network.Error{Class: network.Unknown, Network: network.LinkedIn, Message: "initializeUpload answered without upload instructions"}
	}
	etags := make([]string, 0, len(v.UploadInstructions))
	for i, in := range v.UploadInstructions {
		if in.FirstByte < 0 || in.LastByte >= int64(len(m.Data)) || in.FirstByte > in.LastByte {
			return "", &network.Error{Class: network.Permanent, Network: network.LinkedIn, Message: fmt.Sprintf("upload part %d asks for bytes %d–%d of %d", i+1, in.FirstByte, in.LastByte, len(m.Data))}
		}
		ans, err := c.api.do(ctx, request{method: http.MethodPut, rawURL: in.UploadURL, body: m.Data[in.FirstByte : in.LastByte+1], contentType: "application/octet-stream"}, nil)
		if err != nil {
			return "", fmt.Errorf("part %d of %d: %w", i+1, len(v.UploadInstructions), err)
		}
		etag := ans.header.Get("ETag")
		if etag == "" {
			return "", &network.Error{Class: network.Unknown, Network: network.LinkedIn, Message: fmt.Sprintf("upload part %d answered without an ETag", i+1)}
		}
		etags = append(etags, etag)
	}
	fin := map[string]any{"finalizeUploadRequest": map[string]any{"video": v.Video, "uploadToken": v.UploadToken, "uploadedPartIds": etags}}
	if _, err := c.api.do(ctx, request{method: http.MethodPost, path: "/rest/videos", rawQuery: "action=finalizeUpload", json: fin}, nil); err != nil {
		return "", fmt.Errorf("finalize: %w", err)
	}
	for i := 0; i < max(c.maxPolls, 1); i++ {
		var st struct {
			Status string `json:"status"`
		}
		if _, err := c.api.do(ctx, request{method: http.MethodGet, path: "/rest/videos/" + EscapeURN(v.Video)}, &st); err != nil {
			return "", err
		}
		switch st.Status {
		case "AVAILABLE":
			return v.Video, nil
		case "PROCESSING_FAILED":
			return "", &network.Error{Class: network.InvalidContent, Network: network.LinkedIn, Message: "LinkedIn could not process the video"}
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(c.pollEvery):
		}
	}
	return "", &network.Error{Class: network.Retryable, Network: network.LinkedIn, Message: "the video is still processing"}
}
