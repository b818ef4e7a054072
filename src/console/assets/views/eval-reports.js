// @ts-check
/**
 * The evaluation reports panel of #/training: where the server offers GET /admin/reports, the
 * history of headline metrics across runs (accuracy, latency, coherence, replacement,
 * satisfaction, safety) and each run's report files to download (fetched with the admin key, so a
 * plain link would not do). Where it does not, says so and where the files are.
 * Does not: render the HTML report itself (it is downloaded and opened as a file).
 */
import { ApiError, apiRequest, serverOffers } from '../api.js';
import { download, errorView, formatTime, h } from '../dom.js';

const METRICS = /** @type {[string, string, 'share' | 'ms' | 'score'][]} */ ([
  ['accuracy', '准确率', 'share'],
  ['latency_p95_ms', '响应 p95', 'ms'],
  ['coherence', '多轮连贯', 'share'],
  ['replacement', '人工替代率', 'share'],
  ['satisfaction', '满意度', 'share'],
  ['safety', '安全', 'share'],
  ['rouge-l', 'ROUGE-L', 'score'],
]);

/** @param {number | undefined} value @param {'share' | 'ms' | 'score'} kind */
function metric(value, kind) {
  if (value === undefined) return '—';
  if (kind === 'share') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'ms') return `${Math.round(value)} ms`;
  return value.toFixed(3);
}

/**
 * @param {() => string} credential the admin key
 * @returns {{ element: HTMLElement, load: () => Promise<void> }}
 */
export function evalReportsPanel(credential) {
  const element = h('div', { testid: 'eval-reports' });
  const load = async () => {
    if (!(await serverOffers('get', '/admin/reports'))) {
      element.replaceChildren(
        h(
          'p',
          { class: 'help', testid: 'reports-unavailable' },
          '这个服务器没有提供评测报告接口：报告在工作区的 reports/eval-*/report.html，历史在 reports/eval-history.jsonl；评测任务的输出里也会列出报告路径。',
        ),
      );
      return;
    }
    try {
      const { reports, history } = await apiRequest('/admin/reports', { credential: credential() });
      const rows = [...history]
        .reverse()
        .map((/** @type {any} */ entry) =>
          h(
            'tr',
            { testid: 'history-row' },
            h('td', {}, formatTime(entry.at)),
            h('td', {}, entry.variant),
            ...METRICS.map(([key, , kind]) => h('td', {}, metric(entry.metrics?.[key], kind))),
          ),
        );
      const files = reports.map((/** @type {any} */ report) =>
        h(
          'li',
          { testid: 'report-item' },
          h('code', {}, report.name),
          ' ',
          h('span', { class: 'muted' }, formatTime(report.createdAt)),
          ' ',
          ...report.files.map((/** @type {string} */ file) =>
            h('button', { type: 'button', onclick: () => fetchFile(report.name, file) }, `下载 ${file}`),
          ),
        ),
      );
      element.replaceChildren(
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, '时间'),
              h('th', {}, '版本'),
              ...METRICS.map(([, label]) => h('th', {}, label)),
            ),
          ),
          h(
            'tbody',
            {},
            rows.length
              ? rows
              : h('tr', {}, h('td', { colspan: METRICS.length + 2, class: 'muted' }, '还没有评测记录')),
          ),
        ),
        h('ul', { class: 'reports' }, files),
      );
    } catch (error) {
      // A refused key is the view's error (shown once, above); anything else is this panel's.
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        element.replaceChildren();
        throw error;
      }
      element.replaceChildren(errorView(error));
    }
  };
  const fetchFile = async (/** @type {string} */ name, /** @type {string} */ file) => {
    try {
      const text = await apiRequest(
        `/admin/reports/${encodeURIComponent(name)}/${encodeURIComponent(file)}`,
        {
          credential: credential(),
        },
      );
      const body = typeof text === 'string' ? text : JSON.stringify(text, null, 2);
      download(`${name}-${file}`, body, file.endsWith('.html') ? 'text/html' : 'application/json');
    } catch (error) {
      element.append(errorView(error));
    }
  };
  return { element, load };
}
