package x

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// chunkSize is the APPEND segment size (X accepts up to 5 MB per segment).
const chunkSize = 4 << 20

// maxAltText is X's limit on alt text, in characters.
const maxAltText = 1000

// mediaCategory is X's media_category for a MIME type.
func mediaCategory(mime string) string {
	switch {
	case mime == "image/gif":
		return "tweet_gif"
	case strings.HasPrefix(mime, "video/"):
		return "tweet_video"
	default:
		return "tweet_image"
	}
}

func (c *Connector) uploadAll(ctx context.Context, media []network.Media) ([]string, error) {
	return network.UploadEach(ctx, media, c.upload)
}

// processing is X's processing_info of an uploaded media.
type processing struct {
	State          string `json:"state"`
	CheckAfterSecs int    `json:"check_after_secs"`
	Progress       int    `json:"progress_percent"`
	Error          *struct {
		Code    int    `json:"code"`
		Name    string `json:"name"`
		Message string `json:"message"`
	} `json:"error"`
}

type mediaAnswer struct {
	Data struct {
		ID             string      `json:"id"`
		MediaKey       string      `json:"media_key"`
		ProcessingInfo *processing `json:"processing_info"`
	} `json:"data"`
}

// upload sends one attachment through the chunked upload: initialize,
// append (segments of chunkSize in order), finalize, then STATUS until the
// processing succeeds; then the alt text through media/metadata.
func (c *Connector) upload(ctx context.Context, m network.Media) (string, error) {
	if len(m.Data) == 0 {
		return "", &network.Error{Class: network.Permanent, Network: network.X, Message: "X needs the media bytes; this attachment has none"}
	}
	if n := utf8.RuneCountInString(m.AltText); n > maxAltText {
		return "", &network.Error{Class: network.InvalidContent, Network: network.X, Message: fmt.Sprintf("alt text is %d characters; X allows %d", n, maxAltText)}
	}
	var init mediaAnswer
	err := c.api.do(ctx, request{method: http.MethodPost, path: "/2/media/upload/initialize", json: map[string]any{
		"media_type": m.MIME, "total_bytes": len(m.Data), "media_category": mediaCategory(m.MIME),
	}}, &init)
	if err != nil {
		return "", fmt.Errorf("initialize upload: %w", err)
	}
	id := init.Data.ID
	if id == "" {
		return "", &network.Error{Class: network.Retryable, Network: network.X, Message: "the upload was initialized without a media id"}
	}
	for seg, off := 0, 0; off < len(m.Data); seg, off = seg+1, off+chunkSize {
		body, ctype, err := segment(m.Data[off:min(off+chunkSize, len(m.Data))], seg)
		if err != nil {
			return "", err
		}
		if err := c.api.do(ctx, request{method: http.MethodPost, path: "/2/media/upload/" + url.PathEscape(id) + "/append", body: body, contentType: ctype}, nil); err != nil {
			return "", fmt.Errorf("append segment %d: %w", seg, err)
		}
	}
	var fin mediaAnswer
	if err := c.api.do(ctx, request{method: http.MethodPost, path: "/2/media/upload/" + url.PathEscape(id) + "/finalize"}, &fin); err != nil {
		return "", fmt.Errorf("finalize upload: %w", err)
	}
	if err := c.waitProcessed(ctx, id, fin.Data.ProcessingInfo); err != nil {
		return "", err
	}
	if alt := strings.TrimSpace(m.AltText); alt != "" {
		body := map[string]any{"id": id, "metadata": map[string]any{"alt_text": map[string]string{"text": alt}}}
		if err := c.api.do(ctx, request{method: http.MethodPost, path: "/2/media/metadata", json: body}, nil); err != nil {
			return "", fmt.Errorf("alt text: %w", err)
		}
	}
	return id, nil
}

func segment(chunk []byte, index int) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("segment_index", strconv.Itoa(index)); err != nil {
		return nil, "", err
	}
	fw, err := mw.CreateFormFile("media", "blob")
	if err != nil {
		return nil, "", err
	}
	_, _ = fw.Write(chunk)
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

// waitProcessed polls STATUS while X processes a video or GIF (pending,
// in_progress), waiting check_after_secs between checks.
func (c *Connector) waitProcessed(ctx context.Context, id string, p *processing) error {
	for polls := 0; p != nil; polls++ {
		switch p.State {
		case "succeeded", "":
			return nil
		case "failed":
			msg := "X could not process the media"
			if p.Error != nil && p.Error.Message != "" {
				msg = p.Error.Message
			}
			return &network.Error{Class: network.InvalidContent, Network: network.X, Code: "media-processing-failed", Message: msg}
		}
		if polls >= c.maxPolls {
			return &network.Error{Class: network.Retryable, Network: network.X, Message: fmt.Sprintf("media %s is still processing after %d checks", id, polls)}
		}
		wait := c.pollEvery
		if p.CheckAfterSecs > 0 {
			wait = min(time.Duration(p.CheckAfterSecs)*time.Second, c.pollEvery*10)
		}
		select {
		case <-ctx.Done():
			return network.TransportError(network.X, ctx.Err())
		case <-time.After(wait):
		}
		var st mediaAnswer
		q := url.Values{"command": {"STATUS"}, "media_id": {id}}
		if err := c.api.do(ctx, request{method: http.MethodGet, path: "/2/media/upload", query: q}, &st); err != nil {
			return fmt.Errorf("media status: %w", err)
		}
		p = st.Data.ProcessingInfo
	}
	return nil
}
