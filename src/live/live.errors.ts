import { failer, type CodeOf } from '../shared/result.ts';

/** Every error live updates answer with, before a stream starts. */
export const liveErrors = {
  // Anonymous callers name what they follow; a signed-in caller without a topic gets their own.
  topic_required: 'invalid_input',
  too_many_streams: 'rate_limited',
} as const;
export type LiveErrorCode = CodeOf<typeof liveErrors>;

export const liveFail = failer(liveErrors);
