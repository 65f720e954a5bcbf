-- Daily figures per unit, category and agency, kept exact by a trigger on mailbox_reports, so that a
-- province's yearly report sums a few thousand rows instead of counting a million reports (issue 7).
-- Days are Vietnam calendar days (vn_day(), platform migration 004). Spam is never counted.
--
-- Overdue "at midnight D" is a stabbing count over each report's overdue window (start, end):
--   start = greatest(deadline_at, received_at); end = first_answered_at for a report no longer open,
--   never for an open one; rejected, merged and spam reports have no window.
-- overdue_delta adds 1 on the day the window starts and subtracts 1 on the day it ends, so
-- overdue(D) = sum(overdue_delta) over the days before D. The end is counted on the day of (end - 1 µs)
-- because a report answered exactly at midnight D is no longer overdue at D.
CREATE TABLE mailbox_daily (
  unit_id int NOT NULL,
  day date NOT NULL,
  category_id int NOT NULL,
  -- 0: not yet routed to an agency
  agency_id int NOT NULL,
  received int NOT NULL DEFAULT 0,
  accepted int NOT NULL DEFAULT 0,
  answered int NOT NULL DEFAULT 0,
  answered_on_time int NOT NULL DEFAULT 0,
  rating_sum int NOT NULL DEFAULT 0,
  rating_count int NOT NULL DEFAULT 0,
  overdue_delta int NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, day, category_id, agency_id)
);

-- What one report adds to the rollup (sign = -1 takes it away again).
CREATE FUNCTION mailbox_daily_rows(r mailbox_reports, sign int)
RETURNS TABLE (unit_id int, day date, category_id int, agency_id int, received int, accepted int, answered int,
               answered_on_time int, rating_sum int, rating_count int, overdue_delta int)
LANGUAGE sql STABLE AS $$
  WITH w AS (
    SELECT greatest(r.deadline_at, r.received_at) AS start,
      CASE WHEN r.status IN ('received', 'accepted', 'assigned', 'in_progress', 'reopened') THEN NULL
           ELSE coalesce(r.first_answered_at, '-infinity'::timestamptz) END AS finish,
      r.deadline_at IS NOT NULL AND r.status NOT IN ('rejected', 'merged') AS can_be_late
  ), e(day, received, accepted, answered, on_time, rating_sum, rating_count, overdue) AS (
    SELECT vn_day(r.received_at), 1, 0, 0, 0, 0, 0, 0
    UNION ALL SELECT vn_day(r.accepted_at), 0, 1, 0, 0, 0, 0, 0
    UNION ALL SELECT vn_day(r.first_answered_at), 0, 0, 1, CASE WHEN r.answered_on_time THEN 1 ELSE 0 END, 0, 0, 0
    UNION ALL SELECT CASE WHEN r.rating IS NOT NULL THEN vn_day(r.rated_at) END, 0, 0, 0, 0, r.rating, 1, 0
    UNION ALL SELECT vn_day(w.start), 0, 0, 0, 0, 0, 0, 1 FROM w WHERE w.can_be_late AND (w.finish IS NULL OR w.finish > w.start)
    UNION ALL SELECT vn_day(w.finish - interval '1 microsecond'), 0, 0, 0, 0, 0, 0, -1 FROM w WHERE w.can_be_late AND w.finish > w.start
  )
  SELECT r.unit_id, e.day, r.category_id, coalesce(r.agency_id, 0),
    sign * sum(e.received)::int, sign * sum(e.accepted)::int, sign * sum(e.answered)::int, sign * sum(e.on_time)::int,
    sign * sum(e.rating_sum)::int, sign * sum(e.rating_count)::int, sign * sum(e.overdue)::int
  FROM e WHERE e.day IS NOT NULL AND r.status <> 'spam'
  GROUP BY e.day
$$;

-- Adds a batch of changes (rows shaped like the rollup's) to the rollup. PL/pgSQL, so that its plan is
-- cached for the session (an SQL-language function's INSERT is planned again on every call).
CREATE FUNCTION mailbox_daily_add(changes mailbox_daily[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO mailbox_daily AS d (unit_id, day, category_id, agency_id, received, accepted, answered, answered_on_time, rating_sum, rating_count, overdue_delta)
  SELECT x.unit_id, x.day, x.category_id, x.agency_id, sum(x.received), sum(x.accepted), sum(x.answered), sum(x.answered_on_time),
    sum(x.rating_sum), sum(x.rating_count), sum(x.overdue_delta)
  FROM unnest(changes) x
  GROUP BY 1, 2, 3, 4
  -- an update that changed nothing counted (a title, a reminder) writes nothing
  HAVING (sum(x.received), sum(x.accepted), sum(x.answered), sum(x.answered_on_time), sum(x.rating_sum), sum(x.rating_count), sum(x.overdue_delta))
    <> (0, 0, 0, 0, 0, 0, 0)
  -- a fixed order, so that two transactions touching the same rows take their locks in the same order
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (unit_id, day, category_id, agency_id) DO UPDATE SET
    received = d.received + excluded.received, accepted = d.accepted + excluded.accepted, answered = d.answered + excluded.answered,
    answered_on_time = d.answered_on_time + excluded.answered_on_time, rating_sum = d.rating_sum + excluded.rating_sum,
    rating_count = d.rating_count + excluded.rating_count, overdue_delta = d.overdue_delta + excluded.overdue_delta;
END $$;

-- Row-level triggers: the mailbox writes one report per statement, and an update that touches nothing
-- counted (a draft, a reminder, a purge of contact details) is skipped by the WHEN clause without a call.
-- A bulk import is better done with triggers off and mailbox_daily_rebuild() after it.
CREATE FUNCTION mailbox_daily_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- OLD is null on INSERT and NEW on DELETE: their rows are simply empty
  PERFORM mailbox_daily_add(ARRAY(
    SELECT ROW(x.*)::mailbox_daily FROM (SELECT * FROM mailbox_daily_rows(OLD, -1) UNION ALL SELECT * FROM mailbox_daily_rows(NEW, 1)) x));
  RETURN NULL;
END $$;

CREATE TRIGGER mailbox_daily_insert_delete AFTER INSERT OR DELETE ON mailbox_reports
  FOR EACH ROW EXECUTE FUNCTION mailbox_daily_track();
CREATE TRIGGER mailbox_daily_update AFTER UPDATE ON mailbox_reports
  FOR EACH ROW WHEN ((OLD.status, OLD.unit_id, OLD.category_id, OLD.agency_id, OLD.received_at, OLD.accepted_at, OLD.first_answered_at,
                      OLD.answered_on_time, OLD.rating, OLD.rated_at, OLD.deadline_at)
    IS DISTINCT FROM (NEW.status, NEW.unit_id, NEW.category_id, NEW.agency_id, NEW.received_at, NEW.accepted_at, NEW.first_answered_at,
                      NEW.answered_on_time, NEW.rating, NEW.rated_at, NEW.deadline_at))
  EXECUTE FUNCTION mailbox_daily_track();

-- Recounts the whole rollup from the reports (after a bulk load with triggers off; `npm run cli -- mailbox-rollup`).
CREATE FUNCTION mailbox_daily_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM mailbox_daily;
  INSERT INTO mailbox_daily (unit_id, day, category_id, agency_id, received, accepted, answered, answered_on_time, rating_sum, rating_count, overdue_delta)
  SELECT x.unit_id, x.day, x.category_id, x.agency_id, sum(x.received), sum(x.accepted), sum(x.answered), sum(x.answered_on_time),
    sum(x.rating_sum), sum(x.rating_count), sum(x.overdue_delta)
  FROM mailbox_reports r, LATERAL mailbox_daily_rows(r, 1) x
  GROUP BY 1, 2, 3, 4;
$$;

SELECT mailbox_daily_rebuild();

-- Overdue at midnight D sums the deltas of every day before D: only the days that have one, from the index.
CREATE INDEX mailbox_daily_late ON mailbox_daily (unit_id, day) INCLUDE (category_id, agency_id, overdue_delta) WHERE overdue_delta <> 0;

-- What the rollup cannot hold, read from the reports: the median time to answer (answered in the period)
-- and the overdue count at a moment that is not a midnight (a period still running: "now"). The index
-- covers what those queries read, so they scan index entries of the subtree's units, not report rows.
CREATE INDEX mailbox_reports_answer_times ON mailbox_reports (unit_id, first_answered_at) INCLUDE (received_at, deadline_at, category_id, agency_id)
  WHERE status <> 'spam' AND first_answered_at IS NOT NULL;
CREATE INDEX mailbox_events_reopened ON mailbox_events (at) WHERE kind = 'reopened';
