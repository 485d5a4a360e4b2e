package snapchat

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// ChunkSize is the largest part of an encrypted file (the guide splits files over 32 MB).
const ChunkSize = 32 << 20

// Encrypt encrypts data with AES-256-CBC and PKCS#7 padding, as
// `openssl enc -aes-256-cbc -nosalt -K key -iv iv` does (the guide's sample).
func Encrypt(data, key, iv []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != aes.BlockSize {
		return nil, errors.New("snapchat: the IV must be 16 bytes")
	}
	pad := aes.BlockSize - len(data)%aes.BlockSize
	buf := make([]byte, len(data)+pad)
	copy(buf, data)
	for i := len(data); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
	return buf, nil
}

// Decrypt undoes Encrypt, checking the padding.
func Decrypt(data, key, iv []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != aes.BlockSize || len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, errors.New("snapchat: ciphertext is not whole AES blocks")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize || pad > len(out) {
		return nil, errors.New("snapchat: bad padding")
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, errors.New("snapchat: bad padding")
		}
	}
	return out[:len(out)-pad], nil
}

// mediaType is the API's type of a MIME type.
func mediaType(mime string) (string, error) {
	switch {
	case mime == "image/jpeg" || mime == "image/png":
		return "IMAGE", nil
	case mime == "video/mp4":
		return "VIDEO", nil
	}
	return "", invalid("Snapchat takes a JPEG or PNG image or an MP4 video; this media is %s", mime)
}

type mediaAnswer struct {
	Media []struct {
		SubRequestStatus string `json:"sub_request_status"`
		Media            struct {
			ID          string `json:"id"`
			MediaStatus string `json:"media_status"`
		} `json:"media"`
	} `json:"media"`
}

func (m mediaAnswer) first() (id, status string) {
	if len(m.Media) == 0 {
		return "", ""
	}
	return m.Media[0].Media.ID, m.Media[0].Media.MediaStatus
}

// upload encrypts the media under a fresh key and IV, creates the media
// container with them (base64), sends the ciphertext in parts of at most
// ChunkSize through the multipart upload (INIT, ADD each part, FINALIZE),
// then polls the media until Snapchat has processed it (READY).
func (c *Connector) upload(ctx context.Context, m network.Media, name string) (string, error) {
	typ, err := mediaType(m.MIME)
	if err != nil {
		return "", err
	}
	if len(m.Data) == 0 {
		return "", &network.Error{Class: network.Permanent, Network: Kind, Message: "the media has no bytes to upload"}
	}
	key, iv := make([]byte, 32), make([]byte, 16)
	_, _ = rand.Read(key)
	_, _ = rand.Read(iv)
	enc, err := Encrypt(m.Data, key, iv)
	if err != nil {
		return "", err
	}
	var created mediaAnswer
	body := map[string]any{"media": []map[string]string{{"type": typ, "name": name,
		"key": base64.StdEncoding.EncodeToString(key), "iv": base64.StdEncoding.EncodeToString(iv)}}}
	if err := c.api.do(ctx, request{Method: http.MethodPost, Path: c.path("/media"), JSON: body}, &created); err != nil {
		return "", fmt.Errorf("create media: %w", err)
	}
	id, _ := created.first()
	if id == "" {
		return "", &network.Error{Class: network.Retryable, Network: Kind, Message: "Snapchat created the media without an id"}
	}
	parts := (len(enc) + ChunkSize - 1) / ChunkSize
	base := c.path("/media/" + url.PathEscape(id) + "/multipart-upload-v2")
	var init struct {
		UploadID     string `json:"upload_id"`
		AddPath      string `json:"add_path"`
		FinalizePath string `json:"finalize_path"`
	}
	q := url.Values{"action": {"INIT"}}
	initBody := map[string]any{"file_name": name, "file_size": len(enc), "number_of_parts": parts}
	if err := c.api.do(ctx, request{Method: http.MethodPost, Path: base, Query: q, JSON: initBody}, &init); err != nil {
		return "", fmt.Errorf("start upload: %w", err)
	}
	if init.UploadID == "" {
		return "", &network.Error{Class: network.Retryable, Network: Kind, Message: "Snapchat started the upload without an upload id"}
	}
	for i := 0; i < parts; i++ {
		chunk := enc[i*ChunkSize : min((i+1)*ChunkSize, len(enc))]
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("upload_id", init.UploadID)
		_ = mw.WriteField("part_number", strconv.Itoa(i+1))
		fw, _ := mw.CreateFormFile("file", name+".part"+strconv.Itoa(i+1))
		_, _ = fw.Write(chunk)
		_ = mw.Close()
		if err := c.api.do(ctx, request{Method: http.MethodPost, Path: base, Query: url.Values{"action": {"ADD"}}, Body: buf.Bytes(), ContentType: mw.FormDataContentType()}, nil); err != nil {
			return "", fmt.Errorf("upload part %d of %d: %w", i+1, parts, err)
		}
	}
	if err := c.api.do(ctx, request{Method: http.MethodPost, Path: base, Query: url.Values{"action": {"FINALIZE"}}, JSON: map[string]string{"upload_id": init.UploadID}}, nil); err != nil {
		return "", fmt.Errorf("finalize upload: %w", err)
	}
	return id, c.waitReady(ctx, id)
}

// waitReady polls the media until its status is READY; FAILED is invalid content.
func (c *Connector) waitReady(ctx context.Context, id string) error {
	for polls := 0; ; polls++ {
		var st mediaAnswer
		if err := c.api.do(ctx, request{Method: http.MethodGet, Path: c.path("/media/" + url.PathEscape(id))}, &st); err != nil {
			return fmt.Errorf("media status: %w", err)
		}
		switch _, s := st.first(); strings.ToUpper(s) {
		case "READY":
			return nil
		case "FAILED", "ERROR":
			return &network.Error{Class: network.InvalidContent, Network: Kind, Code: "media_failed", Message: "Snapchat could not process the media"}
		}
		if polls >= c.maxPolls {
			return &network.Error{Class: network.Retryable, Network: Kind, Message: fmt.Sprintf("media %s is still processing after %d checks", id, polls)}
		}
		select {
		case <-ctx.Done():
			return network.TransportError(Kind, ctx.Err())
		case <-time.After(c.pollEvery):
		}
	}
}
