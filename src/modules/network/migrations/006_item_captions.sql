-- A suggested caption for each campaign item, for members to paste with their link (issue 15).
ALTER TABLE network_campaign_items ADD COLUMN caption text;
