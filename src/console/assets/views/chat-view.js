// @ts-check
/**
 * The customer chat widget (#/chat): with a customer token, start a session (or reopen one by id),
 * send messages and render the assistant's streamed reply from the sessions API — text as it
 * arrives, the tools it called with their order facts, the knowledge sources, a handoff banner —
 * then thumbs up/down and a 1–5 rating per answer and for the whole conversation. An event stream
 * on the session shows the agent's replies and status changes live. Another customer's session is
 * the server's 404, shown as an error.
 * Does not: mint tokens (`kefu token --customer <id>` does) or decide anything about replies.
 */
import { ApiError, apiRequest, getCredential, sseEvents } from '../api.js';
import {
  bubble,
  clearError,
  credentialPanel,
  errorView,
  HANDOFF_REASONS,
  h,
  STATUS_LABELS,
  showError,
} from '../dom.js';
import { mintTokenPanel } from '../mint-token.js';
import { conversationRating, decorateAnswer, showToolResult, sourceList } from './chat-answer.js';

const SESSION_KEY = 'kefu.console.session';

/** @param {HTMLElement} root */
export function mount(root) {
  let token = getCredential('customer');
  /** @type {any} */
  let session;
  /** @type {AbortController | undefined} */
  let following;
  let mounted = true;
  const shown = new Set();

  const errors = h('div', { class: 'errors', hidden: true });
  const status = h('span', { class: 'badge', testid: 'session-status' }, '未开始');
  const sessionLabel = h('code', { testid: 'session-id' }, '');
  const banner = h('div', { class: 'banner', hidden: true, testid: 'handoff-banner' });
  const log = h('div', { class: 'messages', testid: 'chat-messages' });
  const input = h('textarea', {
    rows: 2,
    placeholder: '输入问题，例如：订单 DD… 到哪了（Enter 发送，Shift+Enter 换行）',
    testid: 'chat-input',
  });
  const sendButton = h('button', { type: 'button', class: 'primary', testid: 'chat-send' }, '发送');
  const resumeInput = h('input', { placeholder: '会话号 s_…', testid: 'resume-id' });
  /** @type {import('./chat-answer.js').SendFeedback} */
  const sendFeedback = (body) =>
    session
      ? apiRequest(`/sessions/${session.id}/feedback`, { body, credential: token })
      : Promise.reject(new Error('请先新建或打开一个会话'));
  const rating = conversationRating(sendFeedback);

  const setStatus = (/** @type {string} */ value, /** @type {string} */ agentId = '') => {
    status.textContent = STATUS_LABELS[value] ?? value;
    status.dataset.status = value;
    if (session) session.status = value;
    const closed = value === 'closed';
    input.disabled = closed || !session;
    sendButton.disabled = closed || !session;
    if (value === 'with_agent') {
      banner.textContent = `人工客服${agentId ? ` ${agentId}` : ''} 已接入，请直接和 TA 对话`;
      banner.hidden = false;
    } else if (value === 'handed_off') {
      banner.hidden = false;
      if (!banner.textContent) banner.textContent = '已为您转接人工客服，请稍候';
    } else if (value === 'open' && !banner.hidden) {
      banner.textContent = '人工客服已结束接待，智能客服继续为您服务';
    } else if (closed) {
      banner.textContent = '会话已结束';
      banner.hidden = false;
    }
  };

  const append = (/** @type {any} */ message) => {
    if (message.id && shown.has(message.id)) return;
    if (message.id) shown.add(message.id);
    const el = bubble(message);
    if (message.role === 'assistant') decorateAnswer(el, message.meta ?? {}, message.id, sendFeedback);
    log.append(el);
    log.scrollTop = log.scrollHeight;
  };

  const follow = async () => {
    following?.abort();
    const controller = new AbortController();
    following = controller;
    for (let attempt = 0; mounted && !controller.signal.aborted && attempt < 5; attempt++) {
      try {
        for await (const { event, data } of sseEvents(`/sessions/${session.id}/events`, {
          credential: token,
          signal: controller.signal,
        })) {
          attempt = 0;
          if (event === 'status') setStatus(data.status, data.agentId);
          else if (event === 'message') append(data);
        }
        if (session?.status === 'closed') return;
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500)
          return showError(errors, error);
      }
      await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
    }
  };

  const open = async (/** @type {() => Promise<any>} */ get, quiet = false) => {
    clearError(errors);
    try {
      const next = await get();
      const { messages } = await apiRequest(`/sessions/${next.id}/messages`, { credential: token });
      session = next;
      sessionStorage.setItem(SESSION_KEY, next.id);
      sessionLabel.textContent = next.id;
      shown.clear();
      log.replaceChildren();
      banner.textContent = '';
      banner.hidden = true;
      for (const message of messages) append(message);
      if (next.state?.handedOff) showHandoff(next.state.handedOff);
      setStatus(next.status, next.agentId);
      follow();
    } catch (error) {
      // A remembered session of an earlier token is dropped without an error.
      if (quiet) sessionStorage.removeItem(SESSION_KEY);
      else showError(errors, error);
    }
  };

  const showHandoff = (/** @type {any} */ handoff) => {
    banner.textContent = `已转人工（${HANDOFF_REASONS[handoff.reason] ?? handoff.reason}）：${handoff.summary}。请稍候，人工客服会尽快接入`;
    banner.hidden = false;
  };

  const send = async () => {
    const text = input.value.trim();
    if (!text || !session) return;
    clearError(errors);
    input.value = '';
    sendButton.disabled = true;
    log.append(bubble({ role: 'customer', text, createdAt: new Date().toISOString() }));
    const answer = bubble({ role: 'assistant', text: '' });
    answer.classList.add('streaming');
    const textEl = /** @type {HTMLElement} */ (answer.querySelector('.text'));
    const tools = h('ul', { class: 'tools', testid: 'tool-events' });
    const sources = new Map();
    log.append(answer);
    try {
      for await (const { event, data } of sseEvents(`/sessions/${session.id}/messages`, {
        body: { text },
        credential: token,
      })) {
        if (event === 'text-delta') textEl.textContent += data.text;
        else if (event === 'tool-call') {
          if (!tools.isConnected) answer.append(tools);
          tools.append(h('li', { 'data-call': data.id }, `调用 ${data.name} ${JSON.stringify(data.args)}`));
        } else if (event === 'tool-result') showToolResult(tools, data);
        else if (event === 'source') sources.set(data.passage.id, data.passage);
        else if (event === 'handoff') showHandoff(data.handoff);
        else if (event === 'error') throw new ApiError(0, data.code, data.message, data.hint, data.requestId);
        else if (event === 'finish') {
          const reply = data.reply;
          if (reply.origin === 'agent' && !reply.text) answer.remove();
          else {
            textEl.textContent = reply.text;
            answer.dataset.id = reply.messageId;
            shown.add(reply.messageId);
            if (sources.size) answer.append(sourceList([...sources.values()]));
            decorateAnswer(answer, reply, reply.messageId, sendFeedback);
          }
          if (reply.handoff) setStatus('handed_off');
        }
        log.scrollTop = log.scrollHeight;
      }
    } catch (error) {
      answer.append(errorView(error));
    } finally {
      answer.classList.remove('streaming');
      sendButton.disabled = session?.status === 'closed';
    }
  };

  sendButton.addEventListener('click', send);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });

  const start = () =>
    open(() => apiRequest('/sessions', { body: { channel: 'console' }, credential: token }));
  const resume = () => {
    const id = resumeInput.value.trim();
    if (id) open(() => apiRequest(`/sessions/${encodeURIComponent(id)}`, { credential: token }));
  };
  const close = async () => {
    if (!session) return;
    try {
      const closed = await apiRequest(`/sessions/${session.id}/close`, { method: 'POST', credential: token });
      setStatus(closed.status);
    } catch (error) {
      showError(errors, error);
    }
  };

  root.append(
    h('h1', {}, '客服对话'),
    credentialPanel({
      kind: 'customer',
      label: '客户令牌',
      help: '粘贴客户令牌（kefu1.…），按“使用”。令牌只保存在本标签页，关闭即清除。',
      extra: (use) => mintTokenPanel({ kind: 'customer', onToken: use }),
      onChange: (value) => {
        token = value;
        sessionStorage.removeItem(SESSION_KEY);
        following?.abort();
        session = undefined;
        log.replaceChildren();
        setStatus('open');
        status.textContent = '未开始';
      },
    }),
    h(
      'section',
      { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', onclick: start, testid: 'new-session' }, '新建会话'),
      resumeInput,
      h('button', { type: 'button', onclick: resume, testid: 'resume-session' }, '打开会话'),
      h('span', {}, '会话 ', sessionLabel, ' ', status),
      h('button', { type: 'button', onclick: close, testid: 'close-session' }, '结束会话'),
    ),
    errors,
    banner,
    log,
    h('div', { class: 'composer' }, input, sendButton),
    rating,
  );
  input.disabled = true;
  sendButton.disabled = true;
  const previous = sessionStorage.getItem(SESSION_KEY);
  if (token && previous) {
    open(() => apiRequest(`/sessions/${encodeURIComponent(previous)}`, { credential: token }), true);
  }
  return () => {
    mounted = false;
    following?.abort();
  };
}
