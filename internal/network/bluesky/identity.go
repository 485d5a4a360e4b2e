package bluesky

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
)

// errNoDID is returned when a handle does not resolve to a DID.
var errNoDID = errors.New("bluesky: handle does not resolve to a DID")

// resolver finds an account's DID and PDS.
type resolver struct {
	http *http.Client
	// plc is the PLC directory's base URL.
	plc string
	// handleService, when set, is the XRPC service asked with
	// com.atproto.identity.resolveHandle instead of DNS and HTTPS.
	handleService string
	// lookupTXT is net.DefaultResolver.LookupTXT, replaceable in tests.
	lookupTXT func(ctx context.Context, name string) ([]string, error)
}

// normalizeHandle strips the @ and spaces people paste with a handle.
func normalizeHandle(h string) string {
	h = strings.TrimSpace(h)
	h = strings.TrimPrefix(h, "@")
	if strings.HasPrefix(h, "did:") {
		return h
	}
	return strings.ToLower(h)
}

// resolveHandle turns a handle into a DID: through the configured XRPC
// service when there is one, else DNS TXT _atproto.<handle>, then
// https://<handle>/.well-known/atproto-did.
func (r resolver) resolveHandle(ctx context.Context, handle string) (string, error) {
	if strings.HasPrefix(handle, "did:") {
		return handle, nil
	}
	if r.handleService != "" {
		return resolveHandleXRPC(ctx, r.http, r.handleService, handle)
	}
	if r.lookupTXT != nil {
		if txts, err := r.lookupTXT(ctx, "_atproto."+handle); err == nil {
			for _, t := range txts {
				if did, ok := strings.CutPrefix(strings.TrimSpace(t), "did="); ok && strings.HasPrefix(did, "did:") {
					return did, nil
				}
			}
		}
	}
	if did, err := r.wellKnownDID(ctx, handle); err == nil {
		return did, nil
	}
	return "", fmt.Errorf("%w: %s", errNoDID, handle)
}

func (r resolver) wellKnownDID(ctx context.Context, handle string) (string, error) {
	if net.ParseIP(handle) != nil || !strings.Contains(handle, ".") {
		return "", errNoDID
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+handle+"/.well-known/atproto-did", nil)
	if err != nil {
		return "", err
	}
	resp, err := r.http.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%w: HTTP %d", errNoDID, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if err != nil {
		return "", err
	}
	did := strings.TrimSpace(string(b))
	if !strings.HasPrefix(did, "did:") || strings.ContainsAny(did, " \n<") {
		return "", errNoDID
	}
	return did, nil
}

// resolveHandleXRPC asks a PDS or AppView for a handle's DID.
func resolveHandleXRPC(ctx context.Context, hc *http.Client, service, handle string) (string, error) {
	cl := &client{http: hc, pds: service}
	var out struct {
		DID string `json:"did"`
	}
	err := cl.do(ctx, call{method: http.MethodGet, nsid: "com.atproto.identity.resolveHandle", query: url.Values{"handle": {handle}}}, &out)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(out.DID, "did:") {
		return "", fmt.Errorf("%w: %s", errNoDID, handle)
	}
	return out.DID, nil
}

// didDocument is the part of a DID document relais reads.
type didDocument struct {
	ID          string   `json:"id"`
	AlsoKnownAs []string `json:"alsoKnownAs"`
	Service     []struct {
		ID              string `json:"id"`
		Type            string `json:"type"`
		ServiceEndpoint any    `json:"serviceEndpoint"`
	} `json:"service"`
}

// pdsEndpoint returns the #atproto_pds service of the document.
func (d didDocument) pdsEndpoint() (string, bool) {
	for _, s := range d.Service {
		if s.ID == "#atproto_pds" || s.ID == d.ID+"#atproto_pds" {
			if ep, ok := s.ServiceEndpoint.(string); ok && ep != "" {
				return strings.TrimRight(ep, "/"), true
			}
		}
	}
	return "", false
}

// resolvePDS fetches the DID document (did:plc from the PLC directory, did:web
// from the domain) and returns its PDS URL.
func (r resolver) resolvePDS(ctx context.Context, did string) (string, error) {
	var docURL string
	switch {
	case strings.HasPrefix(did, "did:plc:"):
		docURL = strings.TrimRight(r.plc, "/") + "/" + did
	case strings.HasPrefix(did, "did:web:"):
		// atproto allows only host-level did:web (a port is escaped as %3A, paths are not allowed).
		rest := strings.TrimPrefix(did, "did:web:")
		host, err := url.PathUnescape(rest)
		if err != nil || host == "" || strings.Contains(rest, ":") || strings.ContainsAny(host, "/?#@") {
			return "", fmt.Errorf("bluesky: unsupported did:web %q", did)
		}
		docURL = "https://" + host + "/.well-known/did.json"
	default:
		return "", fmt.Errorf("bluesky: unsupported DID method in %q", did)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return "", fmt.Errorf("bluesky: %w", err)
	}
	req.Header.Set("Accept", "application/did+ld+json, application/json")
	resp, err := r.http.Do(req)
	if err != nil {
		return "", network.TransportError(network.Bluesky, err)
	}
	body, err := network.ReadBody(resp)
	if err != nil {
		return "", network.TransportError(network.Bluesky, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", &network.Error{Class: network.ClassForStatus(resp.StatusCode), Network: network.Bluesky, Status: resp.StatusCode,
			Message: fmt.Sprintf("the DID document of %s could not be read", did)}
	}
	var doc didDocument
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", fmt.Errorf("bluesky: DID document of %s: %w", did, err)
	}
	if doc.ID != did {
		return "", fmt.Errorf("bluesky: DID document of %s names %q", did, doc.ID)
	}
	ep, ok := doc.pdsEndpoint()
	if !ok {
		return "", fmt.Errorf("bluesky: DID document of %s has no #atproto_pds service", did)
	}
	return ep, nil
}
