// @ts-check
/**
 * Preference labelling (#/labels), with the admin key: the feedback summary; the preference pairs
 * the server derives from customers' thumbs and ratings (GET /admin/feedback/pairs), each kept or
 * dropped and swappable; the rated answers grouped by question (GET /admin/feedback), where the
 * operator picks the better and the worse answer, or writes a better one; and the export of the
 * kept pairs plus the operator's labels as JSONL in the seed's flat `{prompt, chosen, rejected}`
 * layout, which `kefu train` (stage: dpo) reads. Labels are stored on the server where it offers
 * /admin/labels, else in this browser until exported (./label-store.js).
 * Does not: derive pairs (the server does).
 */
import { apiRequest, getCredential } from '../api.js';
import { clearError, credentialPanel, download, h, showError } from '../dom.js';
import { labelStore } from './label-store.js';

/** @typedef {import('./label-store.js').Pair} Pair */

/** @param {string} text */
const normalise = (text) => text.trim().replace(/\s+/g, ' ');

/** @param {HTMLElement} root */
export function mount(root) {
  let credential = getCredential('admin');
  /** @type {(Pair & { keep: boolean })[]} */
  let derived = [];
  /** @type {import('./label-store.js').Label[]} */
  let labels = [];
  /** @type {import('./label-store.js').LabelStore | undefined} */
  let store;
  const where = h('p', { class: 'help', testid: 'labels-where' });

  const errors = h('div', { class: 'errors', hidden: true });
  const summary = h('p', { testid: 'feedback-summary' });
  const derivedList = h('div', { testid: 'derived-pairs' });
  const groupsList = h('div', { testid: 'label-groups' });
  const labelList = h('div', { testid: 'my-labels' });
  const preview = h('textarea', { rows: 6, readOnly: true, testid: 'export-preview' });
  const count = h('span', { testid: 'export-count' });

  const exported = () => {
    /** @type {Pair[]} */
    const pairs = [
      ...derived.filter((p) => p.keep).map(({ prompt, chosen, rejected }) => ({ prompt, chosen, rejected })),
      ...labels.map(({ prompt, chosen, rejected }) => ({ prompt, chosen, rejected })),
    ];
    const seen = new Set();
    return pairs.filter((p) => {
      const key = JSON.stringify([normalise(p.prompt), p.chosen, p.rejected]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };

  const renderExport = () => {
    const pairs = exported();
    preview.value = pairs.map((p) => JSON.stringify(p)).join('\n');
    count.textContent = `共 ${pairs.length} 条偏好对`;
  };

  /** Runs a change on the label store, then shows the labels again. */
  const changeLabels = async (
    /** @type {(store: import('./label-store.js').LabelStore) => Promise<void>} */ change,
  ) => {
    try {
      store ??= await labelStore(() => credential);
      await change(store);
      labels = await store.list();
      where.textContent =
        store.where === 'server'
          ? '标注保存在服务器上（/admin/labels），导出后用于训练（stage: dpo 的 dataset）。'
          : '这个服务器没有保存标注的接口：标注保存在本浏览器里，导出后用于训练（stage: dpo 的 dataset）。';
      renderLabels();
      renderExport();
    } catch (error) {
      showError(errors, error);
    }
  };

  const pairView = (/** @type {Pair} */ p) =>
    h(
      'div',
      { class: 'pair' },
      h('div', { class: 'prompt' }, `问：${p.prompt}`),
      h('div', { class: 'chosen' }, h('span', { class: 'badge ok' }, '更好'), ' ', p.chosen),
      h('div', { class: 'rejected' }, h('span', { class: 'badge bad' }, '更差'), ' ', p.rejected),
    );

  const renderDerived = () => {
    derivedList.replaceChildren(
      ...derived.map((p, i) => {
        const keep = h('input', {
          type: 'checkbox',
          checked: p.keep,
          testid: 'keep-pair',
          onchange: () => {
            derived[i] = { ...p, keep: keep.checked };
            renderExport();
          },
        });
        const swap = () => {
          derived[i] = { ...p, chosen: p.rejected, rejected: p.chosen };
          renderDerived();
          renderExport();
        };
        return h(
          'div',
          { class: 'card' },
          pairView(p),
          h('label', {}, keep, ' 采用'),
          h('button', { type: 'button', onclick: swap }, '交换好坏'),
        );
      }),
    );
    if (!derived.length)
      derivedList.append(
        h('p', { class: 'muted' }, '还没有可自动配对的反馈（同一问题需要既有好评也有差评的回答）。'),
      );
  };

  const renderLabels = () => {
    labelList.replaceChildren(
      ...labels.map((label) =>
        h(
          'div',
          { class: 'card', testid: 'label' },
          pairView(label),
          h(
            'button',
            {
              type: 'button',
              onclick: () => changeLabels((store) => store.remove(label.id)),
            },
            '删除',
          ),
        ),
      ),
    );
    if (!labels.length) labelList.append(h('p', { class: 'muted' }, '还没有标注。'));
  };

  /** @param {any[]} feedback */
  const renderGroups = (feedback) => {
    /** @type {Map<string, Map<string, { up: number, down: number, ratings: number[] }>>} */
    const groups = new Map();
    for (const f of feedback) {
      if (!f.messageId || !f.prompt || !f.answer) continue;
      const prompt = normalise(f.prompt);
      const answers = groups.get(prompt) ?? new Map();
      const votes = answers.get(f.answer) ?? { up: 0, down: 0, ratings: [] };
      if (f.thumb === 'up') votes.up++;
      if (f.thumb === 'down') votes.down++;
      if (typeof f.rating === 'number') votes.ratings.push(f.rating);
      answers.set(f.answer, votes);
      groups.set(prompt, answers);
    }
    const ordered = [...groups].sort(([, a], [, b]) => disliked(b) - disliked(a));
    groupsList.replaceChildren(...ordered.map(([prompt, answers], gi) => groupView(prompt, answers, gi)));
    if (!ordered.length)
      groupsList.append(
        h(
          'p',
          { class: 'muted' },
          '还没有针对单条回答的反馈。顾客在“客服对话”里点 👍/👎 或评分后会出现在这里。',
        ),
      );
  };

  /** @param {Map<string, { down: number, ratings: number[] }>} answers */
  const disliked = (answers) =>
    [...answers.values()].filter((v) => v.down || v.ratings.some((r) => r <= 2)).length;

  /** @param {string} prompt @param {Map<string, { up: number, down: number, ratings: number[] }>} answers @param {number} gi */
  const groupView = (prompt, answers, gi) => {
    const note = h('span', { class: 'muted' });
    const written = h('textarea', {
      rows: 2,
      placeholder: '或者写出更好的回答（作为“更好”）',
      testid: 'better-answer',
    });
    const rows = [...answers].map(([answer, v], ai) =>
      h(
        'tr',
        {},
        h(
          'td',
          {},
          h('input', { type: 'radio', name: `chosen-${gi}`, value: String(ai), testid: 'pick-chosen' }),
        ),
        h(
          'td',
          {},
          h('input', { type: 'radio', name: `rejected-${gi}`, value: String(ai), testid: 'pick-rejected' }),
        ),
        h('td', { class: 'answer' }, answer),
        h(
          'td',
          { class: 'muted' },
          `👍${v.up} 👎${v.down}${v.ratings.length ? ` · 均分 ${(v.ratings.reduce((a, b) => a + b, 0) / v.ratings.length).toFixed(1)}` : ''}`,
        ),
      ),
    );
    const texts = [...answers.keys()];
    const card = h(
      'div',
      { class: 'card', testid: 'label-group' },
      h('div', { class: 'prompt' }, `问：${prompt}`),
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, '更好'), h('th', {}, '更差'), h('th', {}, '回答'), h('th', {}, '反馈')),
        ),
        h('tbody', {}, rows),
      ),
      written,
      h(
        'button',
        { type: 'button', class: 'primary', testid: 'add-label', onclick: () => add() },
        '加入标注',
      ),
      note,
    );
    const add = () => {
      const picked = (/** @type {string} */ name) => {
        const input = /** @type {HTMLInputElement | null} */ (
          card.querySelector(`input[name="${name}-${gi}"]:checked`)
        );
        return input ? texts[Number(input.value)] : undefined;
      };
      const chosen = written.value.trim() || picked('chosen');
      const rejected = picked('rejected');
      if (!chosen || !rejected)
        return void (note.textContent = '请选择“更差”的回答，并选择或写出“更好”的回答');
      if (chosen === rejected) return void (note.textContent = '“更好”和“更差”不能是同一条回答');
      written.value = '';
      changeLabels((store) => store.add({ prompt, chosen, rejected })).then(() => {
        note.textContent = '已加入';
      });
    };
    return card;
  };

  const load = async () => {
    if (!credential) {
      summary.textContent = '请先输入管理员密钥。';
      return;
    }
    try {
      const [s, pairs, feedback] = await Promise.all([
        apiRequest('/admin/feedback/summary', { credential }),
        apiRequest('/admin/feedback/pairs?from=feedback', { credential }),
        apiRequest('/admin/feedback', { credential }),
      ]);
      const pct = (/** @type {number | null} */ x) => (x === null ? '—' : `${Math.round(x * 100)}%`);
      summary.textContent = `回答：👍 ${s.answers.up} · 👎 ${s.answers.down} · 评分 ${s.answers.rated} 条（均分 ${s.answers.meanRating?.toFixed(2) ?? '—'}）；会话评分 ${s.conversations.rated} 条，满意度 ${pct(s.satisfaction)}`;
      derived = pairs.pairs.map((/** @type {Pair} */ p) => ({ ...p, keep: true }));
      renderDerived();
      renderGroups(feedback.feedback);
      renderExport();
      clearError(errors);
    } catch (error) {
      showError(errors, error);
    }
  };

  root.append(
    h('h1', {}, '偏好标注'),
    credentialPanel({
      kind: 'admin',
      label: '管理员密钥',
      help: '工作区 kefu.yaml 的 server.adminKeys 或环境变量 KEFU_ADMIN_KEY。',
      onChange: (v) => {
        credential = v;
        load();
      },
    }),
    errors,
    h(
      'div',
      { class: 'toolbar' },
      summary,
      h('button', { type: 'button', onclick: load, testid: 'labels-refresh' }, '刷新'),
    ),
    h('h2', {}, '由反馈自动配对'),
    derivedList,
    h('h2', {}, '待标注的问题'),
    groupsList,
    h('h2', {}, '我的标注'),
    where,
    labelList,
    h('h2', {}, '导出'),
    h(
      'div',
      { class: 'toolbar' },
      count,
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          testid: 'export',
          onclick: () => download('preference-pairs.jsonl', `${preview.value}\n`, 'application/x-ndjson'),
        },
        '导出 JSONL',
      ),
    ),
    preview,
  );
  load();
  changeLabels(async () => {});
  return () => {};
}
