-- Figures of periods that are over, as the modules returned them, so that a yearly report's months,
-- previous period and units below are not recounted on every view. Kept for a day (see service.ts).
CREATE TABLE report_figure_cache (
  unit_path text NOT NULL,
  date_from date NOT NULL,
  date_to date NOT NULL,
  figures jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (unit_path, date_from, date_to)
);
