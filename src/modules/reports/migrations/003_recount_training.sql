-- The network now counts a training completion in the period its certificate was issued (it used to count
-- courses assigned in the period and completed at any time, which changed the figures of periods already over).
-- Figures kept for periods that are over were computed the old way: drop them; they are recounted on the next view.
DELETE FROM report_figure_cache;
