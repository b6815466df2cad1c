import { logicLines } from '../../../scripts/logic-lines';

// Adapters stay thin (issue 12): the lifecycle lives in @sess/core. See scripts/logic-lines.ts for what counts.
test('the express adapter (middleware and response hold) is at most 140 logic lines', () => {
  expect(logicLines([`${__dirname}/../src/session-middleware.ts`, `${__dirname}/../src/hold-response-head.ts`])).toBeLessThanOrEqual(140);
});
