-- The Vietnam calendar day of a moment (Asia/Ho_Chi_Minh keeps UTC+7 all year): the day of the modules'
-- daily rollups and of report periods.
CREATE FUNCTION vn_day(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT (t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date $$;
