package bluesky

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig and imaging.Decode
	"image/jpeg"
	_ "image/png"
	"io"
	"net/http"

	"github.com/disintegration/imaging"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

const (
	// maxImageBytes is the PDS's limit for one image of an images embed.
	maxImageBytes = 2_000_000
	// maxThumbBytes is the lexicon's limit for a link card's thumbnail.
	maxThumbBytes = 1_000_000
	// maxImages is the number of images one post can carry.
	maxImages = 4
)

// imagesEmbed uploads up to four images (shrinking those over the limit) with their alt text.
func (c *Connector) imagesEmbed(ctx context.Context, media []network.Media) (*embed, error) {
	if len(media) > maxImages {
		return nil, invalid(fmt.Sprintf("Bluesky allows %d images per post; this part has %d", maxImages, len(media)))
	}
	e := &embed{Type: "app.bsky.embed.images"}
	for i, m := range media {
		mime := m.MIME
		if mime == "" {
			mime = http.DetectContentType(m.Data)
		}
		if len(mime) < 6 || mime[:6] != "image/" {
			return nil, invalid(fmt.Sprintf("Bluesky posts take images here; attachment %d is %s", i+1, mime))
		}
		data, mime, err := fitImage(m.Data, mime, maxImageBytes)
		if err != nil {
			return nil, err
		}
		b, err := c.uploadBlob(ctx, data, mime)
		if err != nil {
			return nil, err
		}
		img := embedImage{Image: b, Alt: m.AltText}
		w, h := m.Width, m.Height
		if w == 0 || h == 0 {
			if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
				w, h = cfg.Width, cfg.Height
			}
		}
		if w > 0 && h > 0 {
			img.AspectRatio = &aspectRatio{Width: w, Height: h}
		}
		e.Images = append(e.Images, img)
	}
	return e, nil
}

// uploadBlob sends raw bytes to the PDS and returns the blob reference.
func (c *Connector) uploadBlob(ctx context.Context, data []byte, mime string) (blob, error) {
	var out struct {
		Blob blob `json:"blob"`
	}
	err := c.cl.do(ctx, call{method: http.MethodPost, nsid: "com.atproto.repo.uploadBlob", auth: true, raw: data, contentType: mime}, &out)
	if err != nil {
		return blob{}, err
	}
	if out.Blob.Ref.Link == "" {
		return blob{}, fmt.Errorf("bluesky: uploadBlob answered without a blob reference")
	}
	return out.Blob, nil
}

// uploadRemoteImage downloads an image (a link card's og:image) through the
// guarded client and uploads it, shrunk under limit.
func (c *Connector) uploadRemoteImage(ctx context.Context, imageURL string, limit int) (blob, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, imageURL, nil)
	if err != nil {
		return blob{}, fmt.Errorf("bluesky: thumbnail: %w", err)
	}
	resp, err := c.cl.http.Do(req)
	if err != nil {
		return blob{}, fmt.Errorf("bluesky: thumbnail: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return blob{}, fmt.Errorf("bluesky: thumbnail: HTTP %d", resp.StatusCode)
	}
	// Pages link huge originals; read enough to shrink, not unbounded.
	const maxDownload = 20 << 20
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		return blob{}, fmt.Errorf("bluesky: thumbnail: %w", err)
	}
	if len(data) > maxDownload {
		return blob{}, fmt.Errorf("bluesky: thumbnail larger than %d bytes", maxDownload)
	}
	mime := http.DetectContentType(data)
	if len(mime) < 6 || mime[:6] != "image/" {
		return blob{}, fmt.Errorf("bluesky: thumbnail is %s, not an image", mime)
	}
	data, mime, err = fitImage(data, mime, limit)
	if err != nil {
		return blob{}, err
	}
	return c.uploadBlob(ctx, data, mime)
}

// fitImage returns data unchanged when it is within limit bytes, and
// otherwise re-encodes it as JPEG, shrinking its dimensions until it fits.
func fitImage(data []byte, mime string, limit int) ([]byte, string, error) {
	if len(data) <= limit {
		return data, mime, nil
	}
	// Link-card thumbnails come from any website: their header is checked
	// against the media library's decode limits before a pixel is decoded.
	if err := media.CheckDecode(bytes.NewReader(data)); err != nil {
		reason := err.Error()
		if ve, ok := valid.As(err); ok {
			reason = ve.Message
		}
		return nil, "", invalid(fmt.Sprintf("an image is %d bytes, over Bluesky's %d, and cannot be shrunk: %s", len(data), limit, reason))
	}
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, "", invalid(fmt.Sprintf("an image is %d bytes, over Bluesky's %d, and could not be decoded to shrink it: %v", len(data), limit, err))
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	const maxEdge = 2000 // Bluesky shows images at most this wide; larger only costs bytes
	if w > maxEdge || h > maxEdge {
		img = imaging.Fit(img, maxEdge, maxEdge, imaging.Lanczos)
	}
	for _, quality := range []int{85, 75, 65} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
			return nil, "", fmt.Errorf("bluesky: re-encode image: %w", err)
		}
		if buf.Len() <= limit {
			return buf.Bytes(), "image/jpeg", nil
		}
	}
	for scale := 0.75; scale > 0.05; scale *= 0.75 {
		b := img.Bounds()
		small := imaging.Resize(img, int(float64(b.Dx())*scale), 0, imaging.Lanczos)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, small, &jpeg.Options{Quality: 75}); err != nil {
			return nil, "", fmt.Errorf("bluesky: re-encode image: %w", err)
		}
		if buf.Len() <= limit {
			return buf.Bytes(), "image/jpeg", nil
		}
	}
	return nil, "", invalid(fmt.Sprintf("an image could not be shrunk under Bluesky's %d bytes", limit))
}
