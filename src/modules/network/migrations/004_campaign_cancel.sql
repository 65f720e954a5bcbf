-- Campaigns edited and cancelled by their organisers: who cancelled, when and why (clicks and shares are kept).
ALTER TABLE network_campaigns ADD COLUMN cancelled_at timestamptz;
ALTER TABLE network_campaigns ADD COLUMN cancelled_by int REFERENCES users(id);
ALTER TABLE network_campaigns ADD COLUMN cancel_reason text;
ALTER TABLE network_campaigns ADD COLUMN updated_at timestamptz;
ALTER TABLE network_campaigns ADD COLUMN updated_by int REFERENCES users(id);
