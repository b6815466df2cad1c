import { describeAdapter } from '@sess/adapter-tests';
import { ADAPTERS } from '@sess/test-harness';
import { MODES, storeFixtures } from '../src/stores.js';

// The adapter contract (actix-session's acceptance and integration scenarios, opaque errors, the
// ≥500 rule, the handler's own cookies, the commit before the head, HEAD/204/304) from the
// published kit, for every adapter × store (cookie, memory, Redis) × content-security mode.
for (const adapter of ADAPTERS) {
  describeAdapter(adapter.name, adapter.start, { stores: storeFixtures(`sess-conformance:adapter-kit:${adapter.name}:`), modes: MODES });
}
