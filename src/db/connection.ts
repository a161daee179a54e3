import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { AppError } from "../shared/errors.ts";
import { lockDataDir } from "./embedded-lock.ts";
import type { Database } from "./schema.ts";

/**
 * One open database: the typed query builder plus the raw client underneath, for the few things
 * Kysely can't do on every backend (multi-statement scripts on PGlite, data-dir dumps).
 */
export interface Db {
  kysely: Kysely<Database>;
  dialect: "pglite" | "postgres";
  client: { dialect: "pglite"; pglite: PGlite } | { dialect: "postgres"; pool: pg.Pool };
  /** Closes the pool or the PGlite instance; safe to call more than once. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL of a PostgreSQL server; when absent, an embedded PGlite is used. */
  url?: string;
  /** PGlite data directory (default `./data`). */
  dataDir?: string;
  /** PGlite in memory, nothing written to disk. */
  memory?: boolean;
  /** An existing PGlite instance; Db.close() closes it. */
  pglite?: PGlite;
  /** Maximum connections in the pg pool (default 10). */
  poolSize?: number;
  /** Called once the given `pglite` is closed: releases the folder lock its opener took. */
  release?: () => void;
}

// ---------------------------------------------------------------------------------------------
// Result types. pg and PGlite disagree on int8 (string vs number), date (Date at local midnight,
// which shifts the calendar day in some time zones) and their arrays; these parsers are the one
// place that decides, and both backends use them.

const OID = {
  int8: 20,
  json: 114,
  numeric: 1700,
  date: 1082,
  timestamptz: 1184,
  jsonb: 3802,
  int8Array: 1016,
  jsonArray: 199,
  numericArray: 1231,
  dateArray: 1182,
  timestamptzArray: 1185,
  jsonbArray: 3807,
  textArray: 1009,
} as const;

type Parser = (value: string) => unknown;

function parseSafeInteger(value: string): number {
  // Integer cents and counts must survive the trip exactly; a silent rounding would be a money bug.
  const n = Number(value);
  if (!Number.isSafeInteger(n) || !/^-?\d+$/.test(value)) {
    throw new AppError(
      "database_value_out_of_range",
      `database returned ${value}, which is not a safe integer; cast it to text or float8 in SQL`,
    );
  }
  return n;
}

// pg-types' enum of type ids is incomplete (no text[]), and its parsers are typed `any`.
const builtinParser = pg.types.getTypeParser as (oid: number, format?: "text" | "binary") => Parser;
// pg-types' timestamptz parser handles every offset form and 'infinity'; PGlite's uses `new Date`.
const parseTimestamptz = builtinParser(OID.timestamptz, "text");
const parseTextArray = builtinParser(OID.textArray, "text");

const elementParsers: Record<number, Parser> = {
  [OID.int8]: parseSafeInteger,
  [OID.numeric]: parseSafeInteger,
  [OID.date]: (value) => value,
  [OID.timestamptz]: parseTimestamptz,
  [OID.json]: (value) => JSON.parse(value),
  [OID.jsonb]: (value) => JSON.parse(value),
};

const arrayElementOid: Record<number, number> = {
  [OID.int8Array]: OID.int8,
  [OID.numericArray]: OID.numeric,
  [OID.dateArray]: OID.date,
  [OID.timestamptzArray]: OID.timestamptz,
  [OID.jsonArray]: OID.json,
  [OID.jsonbArray]: OID.jsonb,
};

function mapNested(value: unknown, parse: Parser): unknown {
  if (Array.isArray(value)) return value.map((v) => mapNested(v, parse));
  return value === null ? null : parse(String(value));
}

/** Parsers for pg (which leaves array handling to us: split as text[], then parse each element). */
function pgParser(oid: number): Parser | undefined {
  const element = elementParsers[oid];
  if (element) return element;
  const elementOid = arrayElementOid[oid];
  const inner = elementOid === undefined ? undefined : elementParsers[elementOid];
  if (!inner) return undefined;
  return (value) => mapNested(parseTextArray(value), inner);
}

const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    const ours = format === "binary" ? undefined : pgParser(oid);
    return ours ?? builtinParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** PGlite parses arrays itself with the element type's parser, so only element parsers are needed. */
export const pgliteParsers: Record<number, Parser> = { ...elementParsers };

// ---------------------------------------------------------------------------------------------

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  if (opts.pglite) return wrapPglite(opts.pglite, opts.release);
  if (opts.memory) return wrapPglite(new PGlite({ parsers: pgliteParsers }));
  const dataDir = opts.dataDir ?? "./data";
  const release = lockDataDir(dataDir);
  try {
    return await wrapPglite(new PGlite({ dataDir, parsers: pgliteParsers }), release);
  } catch (e) {
    release();
    throw e;
  }
}

function openPostgres(url: string, max: number): Db {
  // UTC sessions so `timestamptz::date` and literal timestamps mean the same on every server.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: pgTypes,
    options: "-c TimeZone=UTC -c DateStyle=ISO",
  });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on("error", () => {});
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: "postgres",
    client: { dialect: "postgres", pool },
    close: once(() => kysely.destroy()),
  };
}

async function wrapPglite(pglite: PGlite, release: () => void = () => {}): Promise<Db> {
  await pglite.waitReady;
  // PGlite is one session; set it once. An instance passed in may have been built without our
  // parsers, so every query through Kysely also carries them.
  await pglite.exec("set time zone 'UTC'");
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: withParsers(pglite) }) });
  return {
    kysely,
    dialect: "pglite",
    client: { dialect: "pglite", pglite },
    close: once(async () => {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    }),
  };
}

type KyselyPglite = ConstructorParameters<typeof PGliteDialect>[0]["pglite"] & object;
type KyselyPgliteInstance = Exclude<KyselyPglite, (...args: never[]) => unknown>;
type QueryOptions = Parameters<PGlite["query"]>[2];

function withParsers(pglite: PGlite): KyselyPgliteInstance {
  const opts = (o: QueryOptions): QueryOptions => ({ ...o, parsers: { ...pgliteParsers, ...o?.parsers } });
  return {
    get closed() {
      return pglite.closed;
    },
    get ready() {
      return pglite.ready;
    },
    get waitReady() {
      return pglite.waitReady;
    },
    close: () => pglite.close(),
    query: (query, params, o) => pglite.query(query, params, opts(o)),
    transaction: (callback) =>
      pglite.transaction((tx) =>
        callback({
          query: (query, params, o) => tx.query(query, params, opts(o)),
          rollback: () => tx.rollback(),
        }),
      ),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}

/** The database answers a trivial query: the health probes' and the start-up wait's check. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
