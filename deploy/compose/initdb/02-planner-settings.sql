-- The planner settings each process asks for at connect (pfdo_kit/db.py PLANNER_SETTINGS) do not pass
-- PgBouncer (it ignores startup parameters it does not track): set them on every database instead.
-- initdb runs on a new volume only; an existing one: `docker compose exec postgres psql -U pfdo -f
-- /docker-entrypoint-initdb.d/02-planner-settings.sql`.
ALTER DATABASE registry SET random_page_cost = 1.1;
ALTER DATABASE certificates SET random_page_cost = 1.1;
ALTER DATABASE catalog SET random_page_cost = 1.1;
ALTER DATABASE billing SET random_page_cost = 1.1;
ALTER DATABASE notifications SET random_page_cost = 1.1;
ALTER DATABASE gateway SET random_page_cost = 1.1;
ALTER DATABASE registry SET jit = off;
ALTER DATABASE certificates SET jit = off;
ALTER DATABASE catalog SET jit = off;
ALTER DATABASE billing SET jit = off;
ALTER DATABASE notifications SET jit = off;
ALTER DATABASE gateway SET jit = off;
