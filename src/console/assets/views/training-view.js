// @ts-check
/**
 * Training and evaluation (#/training), with the admin key: the workspace's models and adapters
 * with the active one, hot-switching (POST /admin/models/active; open sessions carry on); the
 * admin jobs — start a training run from a recipe with key=value overrides, or a `kefu eval` run
 * with its flags, cancel one — and a job's live log over SSE: trainer_log.jsonl progress (step,
 * loss, learning rate, a loss curve) and the command's output (./job-log.js); the evaluation
 * history and report files where the server offers them (./eval-reports.js).
 * Does not: train or evaluate (the server runs the kefu CLI as a child process).
 */
import { apiRequest, getCredential } from '../api.js';
import { clearError, credentialPanel, errorView, formatTime, h, showError } from '../dom.js';
import { evalReportsPanel } from './eval-reports.js';
import { JOB_STATUS, jobLogPanel } from './job-log.js';

const KIND_LABELS = /** @type {Record<string, string>} */ ({
  model: '完整模型',
  adapter: 'LoRA 适配器',
  gguf: 'GGUF',
  train: '训练',
  eval: '评测',
});

/** @param {HTMLElement} root */
export function mount(root) {
  let credential = getCredential('admin');

  const errors = h('div', { class: 'errors', hidden: true });
  const active = h('code', { testid: 'active-model' });
  const models = h('tbody', { testid: 'models' });
  const switchNote = h('span', { class: 'muted', testid: 'switch-note' });
  const jobs = h('tbody', { testid: 'jobs' });
  const recipe = h('input', {
    placeholder: '训练配方，例如 recipes/sft.yaml（相对工作区）',
    testid: 'train-config',
  });
  const overrides = h('textarea', {
    rows: 2,
    placeholder: '覆盖项，每行一个 key=value，例如 max_steps=20',
    testid: 'train-set',
  });
  const evalArgs = h('input', {
    placeholder: 'kefu eval 参数，例如 --limit 50 --route sessions',
    testid: 'eval-args',
  });
  const evalReports = evalReportsPanel(() => credential);
  const jobLog = jobLogPanel({
    credential: () => credential,
    onEnd: () => {
      loadJobs().catch((error) => showError(errors, error));
      evalReports.load().catch((error) => showError(errors, error));
    },
    onError: (error) => showError(errors, error),
  });

  const loadModels = async () => {
    const listed = await apiRequest('/admin/models', { credential });
    active.textContent = listed.active;
    models.replaceChildren(
      ...listed.models.map((/** @type {any} */ m) =>
        h(
          'tr',
          { testid: 'model-row' },
          h('td', {}, m.name),
          h('td', {}, KIND_LABELS[m.kind] ?? m.kind),
          h('td', { class: 'muted' }, m.base ? `基于 ${m.base}` : m.path),
          h(
            'td',
            {},
            h(
              'button',
              { type: 'button', testid: `switch-${m.name}`, onclick: () => switchTo(m.path, m.name) },
              '切换到它',
            ),
          ),
        ),
      ),
    );
    if (!listed.models.length)
      models.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, '工作区 models/ 里没有模型')));
  };

  const switchTo = async (/** @type {string | undefined} */ path, /** @type {string} */ name) => {
    switchNote.textContent = `正在加载 ${name}…`;
    try {
      const result = await apiRequest('/admin/models/active', {
        body: path ? { model: path } : {},
        credential,
      });
      switchNote.textContent = `已切换：${result.previous} → ${result.active}`;
      active.textContent = result.active;
    } catch (error) {
      switchNote.replaceChildren(errorView(error));
    }
  };

  const loadJobs = async () => {
    const listed = await apiRequest('/admin/jobs', { credential });
    jobs.replaceChildren(
      ...listed.jobs.map((/** @type {any} */ j) =>
        h(
          'tr',
          { testid: 'job-row', 'data-id': j.id },
          h('td', {}, h('code', {}, j.id)),
          h('td', {}, KIND_LABELS[j.kind] ?? j.kind),
          h(
            'td',
            { class: `status ${j.status}` },
            JOB_STATUS[j.status] ?? j.status,
            j.exitCode !== undefined && j.exitCode !== null ? `（退出码 ${j.exitCode}）` : '',
          ),
          h(
            'td',
            { class: 'muted' },
            formatTime(j.startedAt),
            j.endedAt ? ` → ${formatTime(j.endedAt)}` : '',
          ),
          h(
            'td',
            {},
            h(
              'button',
              { type: 'button', testid: 'job-log', onclick: () => jobLog.follow(j.id) },
              '查看日志',
            ),
            j.status === 'running'
              ? h('button', { type: 'button', onclick: () => cancel(j.id) }, '取消')
              : null,
          ),
        ),
      ),
    );
    if (!listed.jobs.length)
      jobs.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, '本次服务启动以来还没有任务')));
  };

  const load = async () => {
    if (!credential) return void showError(errors, new Error('请先输入管理员密钥。'));
    try {
      await Promise.all([loadModels(), loadJobs(), evalReports.load()]);
      clearError(errors);
    } catch (error) {
      showError(errors, error);
    }
  };

  const start = async (/** @type {string} */ path, /** @type {unknown} */ body) => {
    try {
      const job = await apiRequest(path, { body, credential });
      await loadJobs();
      jobLog.follow(job.id);
      clearError(errors);
    } catch (error) {
      showError(errors, error);
    }
  };

  const cancel = async (/** @type {string} */ id) => {
    try {
      await apiRequest(`/admin/jobs/${id}/cancel`, { method: 'POST', credential });
      await loadJobs();
    } catch (error) {
      showError(errors, error);
    }
  };

  const overrideList = () =>
    overrides.value
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);

  root.append(
    h('h1', {}, '训练与评测'),
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
    h('h2', {}, '模型 ', h('button', { type: 'button', onclick: load, testid: 'training-refresh' }, '刷新')),
    h(
      'p',
      {},
      '当前服务的模型：',
      active,
      ' ',
      h(
        'button',
        { type: 'button', testid: 'switch-default', onclick: () => switchTo(undefined, '工作区默认模型') },
        '恢复工作区默认',
      ),
      ' ',
      switchNote,
    ),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, '名称'), h('th', {}, '类型'), h('th', {}, '说明'), h('th', {}, '')),
      ),
      models,
    ),
    h('h2', {}, '任务'),
    h(
      'div',
      { class: 'forms' },
      h(
        'form',
        {
          onsubmit: (/** @type {Event} */ e) => {
            e.preventDefault();
            start('/admin/jobs/train', { config: recipe.value.trim(), set: overrideList() });
          },
        },
        h('h3', {}, '开始训练'),
        recipe,
        overrides,
        h('button', { type: 'submit', class: 'primary', testid: 'start-train' }, '开始训练'),
      ),
      h(
        'form',
        {
          onsubmit: (/** @type {Event} */ e) => {
            e.preventDefault();
            start('/admin/jobs/eval', { args: evalArgs.value.split(/\s+/).filter(Boolean) });
          },
        },
        h('h3', {}, '开始评测'),
        evalArgs,
        h('button', { type: 'submit', class: 'primary', testid: 'start-eval' }, '开始评测'),
      ),
    ),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, '任务'),
          h('th', {}, '类型'),
          h('th', {}, '状态'),
          h('th', {}, '时间'),
          h('th', {}, ''),
        ),
      ),
      jobs,
    ),
    h('h2', {}, '评测报告'),
    evalReports.element,
    jobLog.element,
  );
  load();
  return () => jobLog.stop();
}
