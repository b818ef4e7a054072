// @ts-check
/**
 * The console's entry: a one-page app with hash routes (#/chat, #/desk, #/labels, #/training).
 * Mounts the view of the current route into <main id="view">, unmounting the previous one (which
 * stops its streams), marks the active tab, and shows the server's readiness in the header.
 * A view that fails to load, or an error no view caught, is shown instead of a blank page.
 * Does not: hold any view's logic.
 */
import { errorView, h } from './dom.js';

/** @typedef {(root: HTMLElement) => (() => void)} MountView */

/** @type {Record<string, { title: string, load: () => Promise<{ mount: MountView }> }>} */
const ROUTES = {
  chat: { title: '客服对话', load: () => import('./views/chat-view.js') },
  desk: { title: '人工坐席', load: () => import('./views/desk-view.js') },
  labels: { title: '偏好标注', load: () => import('./views/labelling-view.js') },
  training: { title: '训练与评测', load: () => import('./views/training-view.js') },
};

/** @type {(() => void) | undefined} */
let unmount;
let generation = 0;

async function route() {
  const name = location.hash.replace(/^#\/?/, '').split('/')[0] || 'chat';
  const target = ROUTES[name] ?? ROUTES.chat;
  const root = /** @type {HTMLElement} */ (document.getElementById('view'));
  const mine = ++generation;
  unmount?.();
  unmount = undefined;
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.getAttribute('data-route') === (ROUTES[name] ? name : 'chat'));
  }
  document.title = `${target?.title ?? ''} · kefu 控制台`;
  root.replaceChildren(h('p', { class: 'muted' }, '加载中…'));
  try {
    const view = await /** @type {NonNullable<typeof target>} */ (target).load();
    if (mine !== generation) return;
    root.replaceChildren();
    unmount = view.mount(root);
  } catch (error) {
    if (mine === generation) root.replaceChildren(errorView(error));
  }
}

/** The header's readiness badge, from GET /readyz (503 lists the failing checks). */
async function showReadiness() {
  const badge = document.querySelector('[data-testid="server-status"]');
  if (!badge) return;
  try {
    const response = await fetch('/readyz');
    /** @type {{ status: string, checks: Record<string, { ok: boolean, detail?: string }> }} */
    const body = await response.json();
    const failing = Object.entries(body.checks ?? {}).filter(([, check]) => !check.ok);
    const model = body.checks?.model?.detail;
    badge.textContent =
      body.status === 'ready'
        ? `服务就绪${model ? ` · 模型 ${model}` : ''}`
        : `服务未就绪：${failing.map(([name, check]) => `${name} ${check.detail ?? ''}`).join('；')}`;
    badge.className = body.status === 'ready' ? 'server ok' : 'server bad';
  } catch {
    badge.textContent = '无法连接 kefu 服务';
    badge.className = 'server bad';
  }
}

/** Anything a view did not catch is shown above the view, never swallowed into a blank page. */
function showUncaught(/** @type {unknown} */ error) {
  const root = document.getElementById('view');
  if (!root?.parentElement) return;
  const box = h('div', { class: 'uncaught', testid: 'uncaught' }, errorView(error));
  box.append(h('button', { type: 'button', onclick: () => box.remove() }, '关闭'));
  root.parentElement.insertBefore(box, root);
}

window.addEventListener('unhandledrejection', (event) => showUncaught(event.reason));
window.addEventListener('error', (event) => showUncaught(event.error ?? event.message));
window.addEventListener('hashchange', route);
route();
showReadiness();
