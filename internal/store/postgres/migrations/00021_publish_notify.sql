-- +goose Up
-- Work for the publishing engine (a publication queued, requeued or released
-- from a hold) sends NOTIFY relais_publish, so every instance's engine looks
-- at once instead of at its next idle look (up to 10 s later). PostgreSQL
-- sends one notification per transaction however many rows fire it.
-- +goose StatementBegin
CREATE FUNCTION relais_notify_publish() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('relais_publish', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER publications_notify AFTER INSERT OR UPDATE ON publications
    FOR EACH ROW WHEN (NEW.state = 'scheduled' AND NEW.hold_reason = '')
    EXECUTE FUNCTION relais_notify_publish();

-- +goose Down
DROP TRIGGER publications_notify ON publications;
DROP FUNCTION relais_notify_publish();
