import { randomFillSync } from "node:crypto";

/**
 * Time-ordered ids (RFC 9562 UUIDv7) for rows that batch jobs walk in id ranges (policies,
 * mandates). A random v4 id scatters neighbouring ids over the whole table, so a billing chunk's id
 * range touches one heap page per row; v7 ids sort by creation time, so a range is a few
 * contiguous pages. PostgreSQL compares uuids bytewise, which is exactly the v7 order.
 *
 * Layout: 48-bit Unix milliseconds, version 7, a 12-bit counter (random start each millisecond,
 * incremented within it, so ids of one process are strictly increasing), variant 10, 62 random
 * bits.
 */

let lastMs = -1;
let counter = 0;
const random = new Uint8Array(10);

/** A new UUIDv7; `now` (milliseconds) is for tests, ids are never derived from business time. */
export function uuidv7(now: number = Date.now()): string {
  randomFillSync(random);
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    counter += 1;
    // 4096 ids in one millisecond: borrow the next millisecond rather than break the order.
    if (counter > 0xfff) {
      ms += 1;
      counter = random[0]! & 0x7ff;
    }
  } else {
    // Random start, top bit clear, so a millisecond has room for at least 2048 increments.
    counter = ((random[0]! << 8) | random[1]!) & 0x7ff;
  }
  lastMs = ms;
  const bytes = new Uint8Array(16);
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (random[2]! & 0x3f);
  bytes.set(random.subarray(3, 10), 9);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The creation time a UUIDv7 carries (milliseconds since the epoch). */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
}
