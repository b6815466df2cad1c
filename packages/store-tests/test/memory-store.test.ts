import { MemorySessionStore } from '@sess/core';
import { describeSessionStore } from '@sess/store-tests';

// The memory store takes its clock as an option: the TTL tests move it instead of waiting.
describeSessionStore('MemorySessionStore', () => {
  let now = Date.now();
  const store = new MemorySessionStore({ now: () => now });
  return {
    store,
    inspect: { count: async () => store.size },
    advanceTime: async (seconds) => {
      now += seconds * 1000;
    },
  };
}, { loadSync: true, compareAndUpdate: true, ownerIndex: true });
