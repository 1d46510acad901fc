import { defineCommand } from 'citty';
import { EDGE_EVENT_TYPES, isEdgeEventType } from '../../config/limits.js';
import { EdgeError } from '../../errors.js';
import { completeCloudFrontEvent, describeAssumed, eventTypeOf, formatViolation, isCloudFrontShaped, validateResult } from '../../events/index.js';
import { readEventFile } from '../../invoke/event-input.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';
import { escapeControl } from '../terminal-text.js';

export default defineCommand({
  meta: { name: 'validate', description: 'Check a function result the way CloudFront does; exit 1 when CloudFront would reject it' },
  args: {
    result: { type: 'positional', required: true, description: 'the result JSON file, or - for standard input' },
    'event-type': { type: 'string', description: `${EDGE_EVENT_TYPES.join(' | ')} (default: the --event's type)` },
    event: { type: 'string', description: 'the event the function received, to compare read-only headers, status and method with (without it those checks are skipped)' },
    json: { type: 'boolean', description: 'print the violations as JSON' },
  },
  run({ args }) {
    const given = args['event-type'];
    if (given !== undefined && !isEdgeEventType(given)) {
      throw new EdgeError('E_USAGE', `--event-type must be one of ${EDGE_EVENT_TYPES.join(', ')} (got ${given})`);
    }
    let event = args.event === undefined ? undefined : readEventFile(args.event);
    if (event !== undefined && !isCloudFrontShaped(event)) {
      throw new EdgeError('E_EVENT_INVALID', `--event ${args.event} is not a CloudFront event (no Records[0].cf.request or .response)`, {
        hint: 'give the event the function received, e.g. one printed by `lambda-wasm event <type>`',
      });
    }
    const eventType = given ?? (event === undefined ? undefined : eventTypeOf(event));
    if (eventType === undefined) {
      throw new EdgeError(
        'E_USAGE',
        event === undefined
          ? 'say which event the result answers: --event-type <type> or --event <event.json>'
          : `--event ${args.event} has no config.eventType (as AWS's sample events have none): say which trigger it is for with --event-type <type>`,
      );
    }
    if (event !== undefined) {
      // AWS's sample events lack config.eventType and more: complete them for the trigger, and say so.
      const completed = completeCloudFrontEvent(event, eventType)!;
      if (eventTypeOf(completed.event) !== eventType) {
        throw new EdgeError('E_EVENT_INVALID', `--event is a ${eventTypeOf(completed.event)} event, not a ${eventType} event`);
      }
      const note = describeAssumed(completed.assumed, `--event-type is ${eventType}`);
      if (note !== undefined) process.stderr.write(`${paint.dim('note')}  ${note}\n`);
      event = completed.event;
    }
    const result = readEventFile(args.result, undefined, 'result');
    // Without the event, the comparisons with it (read-only headers, status, method) are skipped.
    const violations = validateResult(eventType, result, event);
    if (args.json === true) {
      process.stdout.write(`${JSON.stringify(violations, null, 2)}\n`);
    } else if (violations.length === 0) {
      process.stdout.write(`${paint.green('✓')} valid ${eventType} result\n`);
    } else {
      for (const v of violations) process.stdout.write(`${escapeControl(formatViolation(v))}\n`);
      process.stderr.write(`${paint.red('✗')} ${violations.length} violation${violations.length > 1 ? 's' : ''}: CloudFront would answer 502 LambdaValidationError\n`);
    }
    return violations.length === 0 ? ExitCode.Ok : ExitCode.Failure;
  },
});
