package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
)

// UserCmd groups user commands.
type UserCmd struct {
	Create   UserCreateCmd   `cmd:"" help:"Create a user account."`
	Password UserPasswordCmd `cmd:"" help:"Set a user's password (reads it on stdin) and sign them out everywhere."`
}

// UserCreateCmd creates a user.
type UserCreateCmd struct {
	DataFlags
	Email         string `name:"email" required:"" help:"E-mail address (the login)."`
	Name          string `name:"name" help:"Display name."`
	PasswordStdin bool   `name:"password-stdin" required:"" help:"Read the password from the first line of stdin."`
	Admin         bool   `name:"admin" help:"Make the user an instance administrator."`
}

func readSecretLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 8192)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// Run creates the user.
func (c *UserCreateCmd) Run(ctx context.Context) error {
	pw, err := readSecretLine(os.Stdin)
	if err != nil {
		return err
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Auth.CreateUser(ctx, c.Email, c.Name, pw, c.Admin)
	if err != nil {
		return err
	}
	fmt.Println(u.ID)
	return nil
}

// UserPasswordCmd resets a password.
type UserPasswordCmd struct {
	DataFlags
	Email string `name:"email" required:""`
}

// Run resets the password.
func (c *UserPasswordCmd) Run(ctx context.Context) error {
	pw, err := readSecretLine(os.Stdin)
	if err != nil {
		return err
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Auth.ResetPassword(ctx, c.Email, pw)
}

// WorkspaceCmd groups workspace commands.
type WorkspaceCmd struct {
	Create WorkspaceCreateCmd `cmd:"" help:"Create a workspace (a brand or client)."`
	List   WorkspaceListCmd   `cmd:"" help:"List workspaces of a user."`
}

// WorkspaceCreateCmd creates a workspace.
type WorkspaceCreateCmd struct {
	DataFlags
	Name     string `name:"name" required:""`
	Slug     string `name:"slug" help:"URL name (default: from the name)."`
	Owner    string `name:"owner" required:"" help:"E-mail of the owner."`
	Timezone string `name:"timezone" default:"UTC" help:"IANA time zone, e.g. Europe/Paris."`
}

// Run creates the workspace.
func (c *WorkspaceCreateCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Store.UserByEmail(ctx, c.Owner)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("owner: no user with the e-mail %s (create it with relais user create)", c.Owner)
	}
	if err != nil {
		return err
	}
	w, err := a.Auth.CreateWorkspace(ctx, u, c.Name, c.Slug, c.Timezone)
	if err != nil {
		return err
	}
	fmt.Println(w.Slug)
	return nil
}

// WorkspaceListCmd lists a user's workspaces.
type WorkspaceListCmd struct {
	DataFlags
	Email string `name:"email" required:""`
}

// Run lists workspaces.
func (c *WorkspaceListCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := a.Store.UserByEmail(ctx, c.Email)
	if err != nil {
		return fmt.Errorf("email: no user with the e-mail %s", c.Email)
	}
	list, err := a.Store.WorkspacesOf(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, w := range list {
		fmt.Printf("%s\t%s\t%s\n", w.Slug, w.Role, w.Name)
	}
	return nil
}

// TokenCmd groups token commands.
type TokenCmd struct {
	Create TokenCreateCmd `cmd:"" help:"Create a personal API token; prints it on stdout and nothing else."`
}

// TokenCreateCmd creates a token.
type TokenCreateCmd struct {
	DataFlags
	Email     string `name:"email" required:""`
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Name      string `name:"name" default:"cli" help:"A name to recognise the token by."`
}

// Run creates the token.
func (c *TokenCreateCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	tok, _, err := a.Auth.CreateToken(ctx, p, c.Name)
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}

// KeyCmd groups secret key commands.
type KeyCmd struct {
	Rotate KeyRotateCmd `cmd:"" help:"Add a new key and make it current; old tokens still open and are re-sealed when next saved."`
}

// KeyRotateCmd rotates the key.
type KeyRotateCmd struct {
	DataFlags
}

// Run rotates the key.
func (c *KeyRotateCmd) Run() error {
	id, err := secret.Rotate(c.Config().KeyFile())
	if err != nil {
		return err
	}
	fmt.Println(id)
	return nil
}
