// @ts-check
/**
 * How the chat widget shows one answer: its badges (how it was made, whether its facts were
 * checked), the tools called with their outcome and order facts, the knowledge sources (one line
 * per document section), and the feedback controls — thumbs and a 1–5 rating per answer, a 1–5
 * rating with a comment for the whole conversation. Feedback goes through the `send` function the
 * view passes (POST /sessions/:id/feedback); thumb and rating are sent together, because the server
 * keeps one row per answer.
 * Does not: hold session state or read streams (./chat-view.js does).
 */
import { errorView, h, ORIGIN_LABELS, OUTCOME_LABELS } from '../dom.js';

/** @typedef {(body: { messageId?: string, thumb?: 'up' | 'down', rating?: number, comment?: string }) => Promise<unknown>} SendFeedback */

/**
 * Appends badges, tools, sources (unless the stream already showed them) and feedback to `el`.
 * @param {HTMLElement} el @param {any} reply AssistantReply or a stored message's meta
 * @param {string | undefined} messageId @param {SendFeedback} send
 */
export function decorateAnswer(el, reply, messageId, send) {
  el.append(
    h(
      'div',
      { class: 'badges' },
      reply.origin ? h('span', { class: 'badge' }, ORIGIN_LABELS[reply.origin] ?? reply.origin) : null,
      reply.grounded === true ? h('span', { class: 'badge ok', testid: 'grounded' }, '事实已核对') : null,
      reply.grounded === false ? h('span', { class: 'badge bad' }, '未通过事实核对') : null,
    ),
  );
  if (!el.querySelector('.tools') && reply.toolCalls?.length) {
    const calls = reply.toolCalls.map((/** @type {any} */ t) =>
      h('li', {}, `${t.name} · ${OUTCOME_LABELS[t.outcome] ?? t.outcome}`),
    );
    el.append(h('ul', { class: 'tools' }, calls));
  }
  if (!el.querySelector('.sources') && reply.sources?.length) el.append(sourceList(reply.sources));
  if (messageId) el.append(answerFeedback(messageId, send));
}

/** @param {string} messageId @param {SendFeedback} send */
function answerFeedback(messageId, send) {
  /** @type {{ thumb?: 'up' | 'down', rating?: number }} */
  const given = {};
  const note = h('span', { class: 'muted' });
  const box = h('div', { class: 'feedback', testid: 'answer-feedback' });
  const save = async () => {
    try {
      await send({ messageId, ...given });
      note.textContent = '已记录，谢谢';
      for (const button of box.querySelectorAll('button')) {
        const value = button.dataset.value;
        button.classList.toggle('chosen', value === given.thumb || value === String(given.rating));
      }
    } catch (error) {
      note.replaceChildren(errorView(error));
    }
  };
  const button = (
    /** @type {string} */ value,
    /** @type {string} */ label,
    /** @type {() => void} */ set,
  ) => {
    const choose = () => {
      set();
      save();
    };
    return h(
      'button',
      { type: 'button', 'data-value': value, testid: `answer-${value}`, onclick: choose },
      label,
    );
  };
  box.append(
    button('up', '👍', () => (given.thumb = 'up')),
    button('down', '👎', () => (given.thumb = 'down')),
    h('span', { class: 'muted' }, ' 评分 '),
    ...[1, 2, 3, 4, 5].map((n) => button(String(n), String(n), () => (given.rating = n))),
    note,
  );
  return box;
}

/** The 1–5 rating of the whole conversation, with an optional comment. @param {SendFeedback} send */
export function conversationRating(send) {
  const note = h('span', { class: 'muted' });
  const comment = h('input', { placeholder: '意见（可选）', testid: 'conversation-comment' });
  const rate = async (/** @type {number} */ n) => {
    try {
      await send({ rating: n, ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) });
      note.textContent = `已为本次会话评 ${n} 分`;
    } catch (error) {
      note.replaceChildren(errorView(error));
    }
  };
  return h(
    'div',
    { class: 'feedback conversation', testid: 'conversation-feedback' },
    h('span', {}, '为本次会话评分：'),
    [1, 2, 3, 4, 5].map((n) =>
      h('button', { type: 'button', class: 'star', onclick: () => rate(n) }, String(n)),
    ),
    comment,
    note,
  );
}

/** A `tool-result` event: replaces its `tool-call` line with the outcome and the facts. */
/** @param {HTMLElement} tools @param {any} data */
export function showToolResult(tools, data) {
  const result = data.result;
  const facts = result.facts?.length
    ? h(
        'dl',
        { class: 'facts', testid: 'facts' },
        result.facts.map((/** @type {any} */ f) => [h('dt', {}, f.key), h('dd', {}, f.value)]),
      )
    : null;
  const item = h(
    'li',
    { class: `tool-result ${result.outcome}`, testid: 'tool-result' },
    h('div', {}, `${data.name} · ${OUTCOME_LABELS[result.outcome] ?? result.outcome}：${result.message}`),
    facts,
  );
  const call = tools.querySelector(`[data-call="${CSS.escape(data.id)}"]`);
  if (call) call.replaceWith(item);
  else tools.append(item);
}

/** The knowledge sources, one line per document section. @param {any[]} all */
export function sourceList(all) {
  const seen = new Set();
  const sources = all.filter((s) => {
    const key = `${s.source}|${s.title}|${(s.headings ?? []).join('>')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const line = (/** @type {any} */ s) =>
    h(
      'li',
      { title: s.text ?? '' },
      `${s.title || s.source}${s.headings?.length ? ` › ${s.headings.join(' › ')}` : ''}`,
      h('span', { class: 'muted' }, ` (${s.source})`),
    );
  return h(
    'div',
    { class: 'sources', testid: 'sources' },
    h('span', { class: 'muted' }, '参考资料：'),
    h('ul', {}, sources.map(line)),
  );
}
