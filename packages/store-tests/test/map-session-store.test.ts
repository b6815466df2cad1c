import { describeSessionStore } from '@sess/store-tests';
import { MapSessionStore, type SessionRow } from '../examples/map-session-store.js';

describeSessionStore(
  'MapSessionStore',
  () => {
    const rows = new Map<string, SessionRow>(); // a fresh backend for every test
    let now = Date.now();
    return {
      store: new MapSessionStore({ rows, now: () => now }),
      // The suite moves this clock instead of sleeping through TTLs.
      advanceTime: async (seconds) => {
        now += seconds * 1000;
      },
      // Looks at the backend itself, not only at what the store reads back.
      inspect: {
        exists: async (key) => rows.has(key),
        ttlSeconds: async (key) => {
          const row = rows.get(key);
          return row === undefined ? null : Math.ceil((row.expiresAt - now) / 1000);
        },
        writeRecord: async (key, record, ttlSeconds) => {
          rows.set(key, { record, expiresAt: now + ttlSeconds * 1000 });
        },
        count: async () => rows.size, // only this fixture's rows are in this Map
      },
    };
  },
  { rawRecords: true },
);
