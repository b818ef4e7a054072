// @ts-check
/**
 * Small DOM helpers shared by the views: `h` (create an element), `showError` (an API error with
 * its message, hint and code, never a blank panel), `credentialPanel` (the token / admin key field
 * each view starts with), the Chinese labels of statuses, roles and reasons, and formatters.
 * Does not: call the API.
 */
import { ApiError, getCredential, setCredential, tokenClaims } from './api.js';

/**
 * @typedef {{ [key: string]: unknown }} Props
 * @typedef {Node | string | number | null | undefined | false} Child
 * @typedef {Child | Child[] | Child[][]} Children
 */

/**
 * `h('button', { class: 'primary', onclick: fn, testid: 'send' }, '发送')`
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...Children} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (key === 'testid') el.dataset.testid = String(value);
    else if (key === 'class') el.className = String(value);
    else if (key in el && key !== 'list') /** @type {any} */ (el)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(2)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
  return el;
}

/**
 * Replaces `box`'s content with the error: message, hint, code and request id.
 * @param {HTMLElement} box
 * @param {unknown} error
 */
export function showError(box, error) {
  box.replaceChildren(errorView(error));
  box.hidden = false;
}

/** @param {unknown} error */
export function errorView(error) {
  if (error instanceof ApiError) {
    return h(
      'div',
      { class: 'error', role: 'alert', testid: 'error' },
      h('strong', {}, error.message),
      error.hint ? h('div', { class: 'hint' }, `提示：${error.hint}`) : null,
      h(
        'div',
        { class: 'code' },
        `${error.code}${error.status ? ` · HTTP ${error.status}` : ''}${error.requestId ? ` · ${error.requestId}` : ''}`,
      ),
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return h('div', { class: 'error', role: 'alert', testid: 'error' }, h('strong', {}, message));
}

/** @param {HTMLElement} box */
export function clearError(box) {
  box.replaceChildren();
  box.hidden = true;
}

/**
 * The credential field a view starts with; calls `onChange` with the saved value.
 * `extra` adds an element under it that may set the credential (mint-token.js's panel).
 * @param {{ kind: import('./api.js').CredentialKind, label: string, help: string, onChange: (value: string) => void, extra?: (use: (value: string) => void) => HTMLElement }} options
 */
export function credentialPanel(options) {
  const input = h('input', {
    type: 'password',
    value: getCredential(options.kind),
    placeholder: options.kind === 'admin' ? '管理员密钥' : 'kefu1.…',
    autocomplete: 'off',
    testid: `${options.kind}-credential`,
  });
  const who = h('span', { class: 'who', testid: `${options.kind}-who` });
  const describe = () => {
    const value = getCredential(options.kind);
    const claims = tokenClaims(value);
    if (!value) who.textContent = '未设置';
    else if (claims) {
      const expired = claims.exp * 1000 < Date.now();
      who.textContent = `${claims.kind === 'agent' ? '坐席' : '客户'} ${claims.sub} · ${expired ? '已过期' : `有效至 ${formatTime(new Date(claims.exp * 1000).toISOString())}`}`;
    } else who.textContent = '已设置';
  };
  const save = () => {
    setCredential(options.kind, input.value.trim());
    describe();
    options.onChange(getCredential(options.kind));
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') save();
  });
  describe();
  return h(
    'section',
    { class: 'credential' },
    h('label', {}, options.label, input),
    h('button', { type: 'button', onclick: save, testid: `${options.kind}-use` }, '使用'),
    who,
    h('p', { class: 'help' }, options.help),
    options.extra?.((value) => {
      input.value = value;
      save();
    }),
  );
}

export const STATUS_LABELS = /** @type {Record<string, string>} */ ({
  open: '机器人接待中',
  handed_off: '等待人工',
  with_agent: '人工接待中',
  closed: '已结束',
});

export const ROLE_LABELS = /** @type {Record<string, string>} */ ({
  customer: '顾客',
  assistant: '智能客服',
  agent: '人工客服',
  system: '系统',
});

export const HANDOFF_REASONS = /** @type {Record<string, string>} */ ({
  customer_asked: '顾客要求人工',
  repeated_failure: '多次未能解答',
  low_confidence: '把握不足',
  anger: '顾客情绪激动',
  out_of_scope: '超出服务范围',
});

export const ORIGIN_LABELS = /** @type {Record<string, string>} */ ({
  model: '模型生成',
  template: '事实模板',
  agent: '人工',
});

export const OUTCOME_LABELS = /** @type {Record<string, string>} */ ({
  ok: '成功',
  not_found: '未找到',
  needs_confirmation: '待确认',
  refused: '被拒绝',
  invalid: '参数无效',
});

/** @param {string | undefined} iso */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * A message bubble: role label, time, text.
 * @param {{ id?: string, role: string, text: string, createdAt?: string }} message
 */
export function bubble(message) {
  return h(
    'div',
    { class: `bubble ${message.role}`, testid: `msg-${message.role}`, 'data-id': message.id },
    h(
      'div',
      { class: 'meta' },
      ROLE_LABELS[message.role] ?? message.role,
      ' ',
      formatTime(message.createdAt),
    ),
    h('div', { class: 'text' }, message.text),
  );
}

/**
 * Offers `text` as a file download.
 * @param {string} name @param {string} text @param {string} type
 */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
