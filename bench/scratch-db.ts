import pg from "pg";

/**
 * A scratch database of a bench's own on the PostgreSQL server of BENCH_DATABASE_URL (else
 * TEST_DATABASE_URL, else the local server), dropped and created afresh. BENCH_DATABASE_NAME
 * gives it another name, so benches of several checkouts can share a server.
 */
export async function scratchDatabase(defaultName: string) {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/postgres";
  const name = process.env.BENCH_DATABASE_NAME ?? defaultName;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
