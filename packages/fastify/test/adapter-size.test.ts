import { logicLines } from '../../../scripts/logic-lines';

// Adapters stay thin (issue 12): the lifecycle lives in @sess/core. See scripts/logic-lines.ts for what counts.
test('the fastify adapter is at most 60 logic lines', () => {
  expect(logicLines([`${__dirname}/../src/session-plugin.ts`])).toBeLessThanOrEqual(60);
});
