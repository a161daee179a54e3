import type { ColumnType } from "kysely";

/** Table types of the jobs module (migration 20261206_0019_job_schedule.sql). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface JobScheduleTable {
  name: string;
  last_due_at: Timestamp;
  last_run_at: Timestamp;
  last_summary: ColumnType<string, string | undefined, string>;
}

export interface JobsTables {
  job_schedule: JobScheduleTable;
}
