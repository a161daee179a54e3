-- Issue 14, item 4: on the embedded database the server runs the platform's scheduled jobs
-- itself (PostgreSQL deployments use graphile-worker's crontab). The last due instant each job
-- was run for survives a restart, so a run missed while the server was down is caught up once,
-- and a run already done is not repeated.
create table job_schedule (
  name text primary key,
  last_due_at timestamptz not null,
  last_run_at timestamptz not null,
  last_summary text not null default ''
);
