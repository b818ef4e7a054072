// @ts-check
/**
 * "Mint a token here": where the server offers POST /admin/tokens and this tab holds the admin
 * key, a customer or agent id field that asks the server for a token and hands it to `onToken`.
 * Otherwise the command that mints one (`kefu token --customer <id>`), as text. The console never
 * signs anything itself.
 * Does not: store the token (the credential panel does).
 */
import { apiRequest, getCredential, serverOffers } from './api.js';
import { errorView, h } from './dom.js';

/**
 * @param {{ kind: 'customer' | 'agent', onToken: (token: string) => void }} options
 * @returns {HTMLElement}
 */
export function mintTokenPanel(options) {
  const label = options.kind === 'customer' ? '客户号' : '坐席名';
  const command = `kefu token --${options.kind} <${label}>`;
  const box = h(
    'div',
    { class: 'mint', testid: `${options.kind}-mint` },
    h('span', { class: 'help' }, `命令行签发：${command}`),
  );
  void (async () => {
    if (!getCredential('admin') || !(await serverOffers('post', '/admin/tokens'))) return;
    const id = h('input', {
      placeholder: options.kind === 'customer' ? 'C0001' : 'wang',
      testid: `${options.kind}-mint-id`,
    });
    const note = h('span', { class: 'muted' });
    const mint = async () => {
      const sub = id.value.trim();
      if (!sub) return;
      try {
        const minted = await apiRequest('/admin/tokens', {
          body: { kind: options.kind, sub },
          credential: getCredential('admin'),
        });
        note.textContent = '';
        options.onToken(minted.token);
      } catch (error) {
        note.replaceChildren(errorView(error));
      }
    };
    box.replaceChildren(
      h('span', { class: 'help' }, `用本页的管理员密钥签发（${label}）：`),
      id,
      h('button', { type: 'button', testid: `${options.kind}-mint-button`, onclick: mint }, '签发并使用'),
      note,
      h('span', { class: 'help' }, `或命令行：${command}`),
    );
  })();
  return box;
}
