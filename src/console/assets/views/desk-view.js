// @ts-check
/**
 * The agent desk (#/desk): with an agent token (or an admin key), the queue of conversations the
 * bot handed off (reason, summary, customer, time; refreshed every few seconds — the server has no
 * queue stream) and the agent's own; claim one, read its history, reply, and hand it back to the
 * bot. The open conversation follows GET /agent/sessions/:id/events, so the customer's new
 * messages and status changes appear live. A 409 (someone else claimed it) is shown with its hint.
 * Does not: assign conversations (agents pick from the queue).
 */
import { apiRequest, getCredential, sseEvents, tokenClaims } from '../api.js';
import {
  bubble,
  clearError,
  credentialPanel,
  formatTime,
  HANDOFF_REASONS,
  h,
  STATUS_LABELS,
  showError,
} from '../dom.js';
import { mintTokenPanel } from '../mint-token.js';

const QUEUE_REFRESH_MS = 3000;

/** @param {HTMLElement} root */
export function mount(root) {
  let credential = getCredential('agent');
  /** @type {any} */
  let current;
  /** @type {AbortController | undefined} */
  let following;
  const shown = new Set();

  const errors = h('div', { class: 'errors', hidden: true });
  const waiting = h('ul', { class: 'queue', testid: 'queue-waiting' });
  const mine = h('ul', { class: 'queue', testid: 'queue-mine' });
  const refreshed = h('span', { class: 'muted' });
  const title = h('h2', {}, '选择左侧的会话');
  const status = h('span', { class: 'badge', testid: 'desk-status' });
  const summary = h('p', { class: 'banner', hidden: true, testid: 'desk-handoff' });
  const log = h('div', { class: 'messages', testid: 'desk-messages' });
  const input = h('textarea', {
    rows: 2,
    placeholder: '回复顾客（Enter 发送）',
    disabled: true,
    testid: 'desk-input',
  });
  const sendButton = h(
    'button',
    { type: 'button', class: 'primary', disabled: true, testid: 'desk-send' },
    '发送',
  );
  const releaseButton = h(
    'button',
    { type: 'button', disabled: true, testid: 'desk-release' },
    '交还智能客服',
  );

  const append = (/** @type {any} */ message) => {
    if (shown.has(message.id)) return;
    shown.add(message.id);
    log.append(bubble(message));
    log.scrollTop = log.scrollHeight;
  };

  const setStatus = (/** @type {any} */ session) => {
    current = { ...current, ...session };
    status.textContent = STATUS_LABELS[current.status] ?? current.status;
    status.dataset.status = current.status;
    const holding = current.status === 'with_agent' && current.agentId === heldBy();
    input.disabled = !holding;
    sendButton.disabled = !holding;
    releaseButton.disabled = !holding;
  };

  /** The agent id the server sees for this credential (set after a claim). */
  let me = tokenClaims(credential)?.sub ?? '';
  const heldBy = () => me;

  const item = (/** @type {any} */ s, /** @type {string} */ action) =>
    h(
      'li',
      { 'data-id': s.id, testid: 'queue-item', class: current?.id === s.id ? 'selected' : '' },
      h(
        'div',
        {},
        h('strong', {}, `顾客 ${s.customerId}`),
        ' ',
        h('span', { class: 'muted' }, formatTime(s.updatedAt)),
      ),
      s.handoff
        ? h(
            'div',
            { class: 'muted' },
            `${HANDOFF_REASONS[s.handoff.reason] ?? s.handoff.reason}：${s.handoff.summary}`,
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          testid: action === 'claim' ? 'claim' : 'open',
          onclick: () => (action === 'claim' ? claim(s.id) : openSession(s.id)),
        },
        action === 'claim' ? '接入' : '打开',
      ),
    );

  const refresh = async () => {
    if (!credential) return;
    try {
      const queue = await apiRequest('/agent/queue', { credential });
      waiting.replaceChildren(...queue.waiting.map((/** @type {any} */ s) => item(s, 'claim')));
      if (!queue.waiting.length) waiting.append(h('li', { class: 'muted' }, '没有等待中的会话'));
      mine.replaceChildren(...queue.mine.map((/** @type {any} */ s) => item(s, 'open')));
      if (!queue.mine.length) mine.append(h('li', { class: 'muted' }, '暂无'));
      if (queue.mine[0]?.agentId) me = queue.mine[0].agentId;
      refreshed.textContent = `更新于 ${formatTime(new Date().toISOString())}`;
      clearError(errors);
    } catch (error) {
      showError(errors, error);
    }
  };

  const claim = async (/** @type {string} */ id) => {
    try {
      const claimed = await apiRequest(`/agent/sessions/${id}/claim`, { method: 'POST', credential });
      me = claimed.agentId;
      await openSession(id);
      refresh();
    } catch (error) {
      showError(errors, error);
      refresh();
    }
  };

  const openSession = async (/** @type {string} */ id) => {
    try {
      const { session, messages } = await apiRequest(`/agent/sessions/${id}`, { credential });
      following?.abort();
      current = session;
      shown.clear();
      log.replaceChildren();
      title.textContent = `顾客 ${session.customerId} · ${session.id}`;
      const handoff = session.state?.handedOff;
      summary.hidden = !handoff;
      summary.textContent = handoff
        ? `转人工原因：${HANDOFF_REASONS[handoff.reason] ?? handoff.reason}。${handoff.summary}`
        : '';
      for (const message of messages) append(message);
      setStatus(session);
      follow(id);
      clearError(errors);
    } catch (error) {
      showError(errors, error);
    }
  };

  const follow = async (/** @type {string} */ id) => {
    const controller = new AbortController();
    following = controller;
    try {
      for await (const { event, data } of sseEvents(`/agent/sessions/${id}/events`, {
        credential,
        signal: controller.signal,
      })) {
        if (current?.id !== id) return;
        if (event === 'message') append(data);
        else if (event === 'status') setStatus({ status: data.status, agentId: data.agentId });
      }
    } catch (error) {
      if (!controller.signal.aborted) showError(errors, error);
    }
  };

  const reply = async () => {
    const text = input.value.trim();
    if (!text || !current) return;
    try {
      const message = await apiRequest(`/agent/sessions/${current.id}/messages`, {
        body: { text },
        credential,
      });
      input.value = '';
      append(message);
    } catch (error) {
      showError(errors, error);
    }
  };

  const release = async () => {
    if (!current) return;
    try {
      setStatus(await apiRequest(`/agent/sessions/${current.id}/release`, { method: 'POST', credential }));
      refresh();
    } catch (error) {
      showError(errors, error);
    }
  };

  sendButton.addEventListener('click', reply);
  releaseButton.addEventListener('click', release);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      reply();
    }
  });

  root.append(
    h('h1', {}, '人工坐席'),
    credentialPanel({
      kind: 'agent',
      label: '坐席令牌',
      help: '粘贴坐席令牌（管理员密钥也可以），按“使用”。',
      extra: (use) => mintTokenPanel({ kind: 'agent', onToken: use }),
      onChange: (value) => {
        credential = value;
        me = tokenClaims(value)?.sub ?? '';
        refresh();
      },
    }),
    errors,
    h(
      'div',
      { class: 'desk' },
      h(
        'aside',
        {},
        h(
          'h2',
          {},
          '等待接入 ',
          h('button', { type: 'button', onclick: refresh, testid: 'queue-refresh' }, '刷新'),
        ),
        waiting,
        h('h2', {}, '我的会话'),
        mine,
        refreshed,
      ),
      h(
        'section',
        { class: 'conversation' },
        h('div', { class: 'toolbar' }, title, status, releaseButton),
        summary,
        log,
        h('div', { class: 'composer' }, input, sendButton),
      ),
    ),
  );
  refresh();
  const timer = setInterval(refresh, QUEUE_REFRESH_MS);
  return () => {
    clearInterval(timer);
    following?.abort();
  };
}
