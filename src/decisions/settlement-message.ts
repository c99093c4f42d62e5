// What an unsettled proposal still waits for, in words for people. Pure.
import type { Settlement } from './tallying.ts';

const members = (n: number) => (n === 1 ? '1 member' : `${n} members`);

export function settlementMessage(s: Settlement): string {
  const parts: string[] = [];
  if (s.awaitingAuthor) parts.push('its author has not decided yet');
  if (s.notVoted > 0) {
    const through = s.delegated > 0 ? ` (${s.delegated} now through a delegate)` : '';
    parts.push(`${members(s.notVoted)} can still vote${through}`);
  }
  if (parts.length === 0) parts.push('the votes cast could still change the result');
  return `Not settled yet: ${parts.join('; ')}. It closes when the result can no longer change, or at its closing time`;
}
