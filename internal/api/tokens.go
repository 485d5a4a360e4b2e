package api

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

// Token is an API token (its secret is only shown at creation).
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	// Token is the secret, returned once at creation.
	Token string `json:"token,omitempty"`
}

func toToken(t store.APIToken) Token {
	return Token{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt}
}

// TokensOutput lists tokens.
type TokensOutput struct {
	Body struct {
		Tokens []Token `json:"tokens"`
	}
}

func (h *Handler) listTokens(ctx context.Context, _ *struct{}) (*TokensOutput, error) {
	p := principal(ctx)
	list, err := h.d.Store.Tokens(ctx, p.Workspace.ID, p.User.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &TokensOutput{}
	out.Body.Tokens = []Token{}
	for _, t := range list {
		out.Body.Tokens = append(out.Body.Tokens, toToken(t))
	}
	return out, nil
}

// CreateTokenInput names a new token.
type CreateTokenInput struct {
	Body struct {
		Name string `json:"name" maxLength:"100"`
	}
}

// TokenOutput is one token.
type TokenOutput struct{ Body Token }

func (h *Handler) createToken(ctx context.Context, in *CreateTokenInput) (*TokenOutput, error) {
	secret, t, err := h.d.Auth.CreateToken(ctx, principal(ctx), in.Body.Name)
	if err != nil {
		return nil, h.fail(err)
	}
	out := toToken(t)
	out.Token = secret
	return &TokenOutput{Body: out}, nil
}

func (h *Handler) deleteToken(ctx context.Context, in *IDInput) (*struct{}, error) {
	p := principal(ctx)
	if err := h.d.Store.DeleteToken(ctx, p.Workspace.ID, p.User.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}
