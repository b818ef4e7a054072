/**
 * The report's "from logs" section: replacement rate and satisfaction computed from the
 * workspace's real conversations (stored sessions and feedback, eval and test traffic left out;
 * see src/server/stats/conversation-stats.ts), as terminal lines and as HTML. Without real
 * conversations it says so. Does not: compute anything.
 */
import { escapeHtml } from '../../data/report/common.js';
import type { ConversationStats } from '../../server/stats/conversation-stats.js';
import { formatShare } from './terminal.js';

export const NO_REAL_CONVERSATIONS = 'no real conversations yet';

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function facts(stats: ConversationStats): string[] {
  const o = stats.outcomes;
  const reasons = Object.entries(stats.handoffReasons)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const sources = Object.entries(stats.bySource)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `replacement rate ${formatShare(stats.replacementRate ?? undefined)}: ${o.resolved} resolved by the assistant, ${o.handed_off} handed to a human, ${o.abandoned} abandoned${stats.inProgress ? `; ${stats.inProgress} still going` : ''}`,
    `satisfaction ${formatShare(stats.satisfaction ?? undefined)}: ${stats.feedback.positive} positive of ${count(stats.feedback.total, 'feedback vote')} (${stats.feedback.answers} on answers, ${stats.feedback.conversations} on conversations)`,
    `${count(stats.conversations, 'conversation')} (${sources || 'none'})${reasons ? `; handoff reasons: ${reasons}` : ''}; an agent replied in ${stats.agentReplied}`,
    `left out: ${stats.excluded.synthetic} eval/test sessions, ${stats.excluded.empty} without a customer message`,
  ];
}

export function fromLogsLines(stats: ConversationStats | undefined): string[] {
  if (!stats) return [];
  if (stats.conversations === 0) return ['', `From real conversation logs: ${NO_REAL_CONVERSATIONS}`];
  return ['', 'From real conversation logs:', ...facts(stats).map((f) => `  ${f}`)];
}

export function fromLogsHtml(stats: ConversationStats | undefined): string {
  if (!stats) return '';
  const body =
    stats.conversations === 0
      ? `<p>${NO_REAL_CONVERSATIONS}</p>`
      : `<ul>${facts(stats)
          .map((f) => `<li>${escapeHtml(f)}</li>`)
          .join('')}</ul>`;
  return `<h2>真实对话 From real conversation logs</h2>${body}`;
}
