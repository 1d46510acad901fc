import { defineCommand } from 'citty';
import { FUNCTION_KINDS, isFunctionKind } from '../../config/limits.js';
import { usageError } from '../args.js';
import { EVENT_FLAGS, eventFromFlags } from '../event-flags.js';
import { ExitCode } from '../exit.js';

const TYPES = `${FUNCTION_KINDS.join(', ')} (a Function URL / HTTP API payload 2.0 event)`;

export default defineCommand({
  meta: {
    name: 'event',
    description: 'Print a sample event of a trigger type as JSON, built as CloudFront (or a Function URL) builds it; feed it to `invoke --event -`',
  },
  args: {
    type: { type: 'positional', required: false, description: TYPES },
    ...EVENT_FLAGS,
    json: { type: 'boolean', description: 'accepted for symmetry: the output is always JSON' },
  },
  run({ args, rawArgs }) {
    const type = args.type;
    if (!isFunctionKind(type)) {
      // A usage mistake (exit 2), like an unknown command: the list of types is the fix.
      throw usageError(type === undefined ? `event: say which type (types: ${TYPES})` : `event: unknown event type ${JSON.stringify(type)} (types: ${TYPES})`);
    }
    process.stdout.write(`${JSON.stringify(eventFromFlags(type, args, rawArgs), null, 2)}\n`);
    return ExitCode.Ok;
  },
});
