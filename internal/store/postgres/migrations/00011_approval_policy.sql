-- +goose Up
-- The approval policy: whose posts need approval when approval is on
-- ('everyone', or 'editors': owners and admins publish directly), and whether
-- an author may approve their own post.
ALTER TABLE workspaces ADD COLUMN approval_for TEXT NOT NULL DEFAULT 'everyone';
ALTER TABLE workspaces ADD COLUMN self_approval BOOLEAN NOT NULL DEFAULT false;

-- Workspaces that already required approval let authors approve their own
-- posts, as before; new workspaces start with self-approval off.
UPDATE workspaces SET self_approval = true WHERE approval_required = true;

-- +goose Down
ALTER TABLE workspaces DROP COLUMN self_approval;
ALTER TABLE workspaces DROP COLUMN approval_for;
