-- The network now also counts in-person training sessions and their participants, awards, and the reach of the
-- groups members share into: figures kept for periods that are over lack them; they are recounted on the next view.
DELETE FROM report_figure_cache;
