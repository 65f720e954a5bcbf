-- Clicks and reported shares per unit and Vietnam calendar day, kept exact by triggers, so that a province's
-- yearly report sums a few thousand rows instead of counting ten million clicks (issue 7).
CREATE TABLE network_daily (
  unit_id int NOT NULL,
  day date NOT NULL,
  clicks int NOT NULL DEFAULT 0,
  shares int NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, day)
);

-- Row-level triggers: clicks and shares are written one per statement.
CREATE FUNCTION network_daily_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  is_click boolean := TG_TABLE_NAME = 'network_clicks';
BEGIN
  -- OLD is null on INSERT and NEW on DELETE; an update that moves nothing adds -1 and +1 to the same row
  INSERT INTO network_daily AS d (unit_id, day, clicks, shares)
  SELECT x.unit_id, x.day, CASE WHEN is_click THEN sum(x.n) ELSE 0 END, CASE WHEN is_click THEN 0 ELSE sum(x.n) END
  FROM (VALUES (OLD.unit_id, vn_day(OLD.at), -1), (NEW.unit_id, vn_day(NEW.at), 1)) x(unit_id, day, n)
  WHERE x.unit_id IS NOT NULL
  GROUP BY 1, 2 HAVING sum(x.n) <> 0
  -- a fixed order, so that concurrent updates take their row locks in the same order
  ORDER BY 1, 2
  ON CONFLICT (unit_id, day) DO UPDATE SET clicks = d.clicks + excluded.clicks, shares = d.shares + excluded.shares;
  RETURN NULL;
END $$;

CREATE TRIGGER network_clicks_daily AFTER INSERT OR DELETE OR UPDATE OF unit_id, at ON network_clicks
  FOR EACH ROW EXECUTE FUNCTION network_daily_track();
CREATE TRIGGER network_shares_daily AFTER INSERT OR DELETE OR UPDATE OF unit_id, at ON network_shares
  FOR EACH ROW EXECUTE FUNCTION network_daily_track();

-- Recounts the rollup (after a bulk load with triggers off; `npm run cli -- network-rollup --rebuild`).
CREATE FUNCTION network_daily_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM network_daily;
  INSERT INTO network_daily (unit_id, day, clicks, shares)
  SELECT unit_id, day, sum(clicks), sum(shares) FROM (
    SELECT unit_id, vn_day(at) AS day, count(*) AS clicks, 0 AS shares FROM network_clicks GROUP BY 1, 2
    UNION ALL
    SELECT unit_id, vn_day(at), 0, count(*) FROM network_shares GROUP BY 1, 2
  ) x GROUP BY 1, 2;
$$;

SELECT network_daily_rebuild();

-- Who was active in a period (distinct people cannot be summed per day): read from the rows of the
-- subtree's units, by time.
CREATE INDEX network_recipients_opened ON network_recipients (unit_id, opened_at) INCLUDE (user_id) WHERE opened_at IS NOT NULL;
CREATE INDEX network_shares_unit_at ON network_shares (unit_id, at) INCLUDE (user_id);
