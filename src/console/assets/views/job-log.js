// @ts-check
/**
 * The live log of one admin job in #/training, from GET /admin/jobs/:id/log (SSE): a training
 * run's trainer_log.jsonl lines as progress (step, loss, learning rate, time left, a loss curve),
 * the command's output lines, the evaluation report paths found in that output, and the end
 * status. Following another job stops the previous stream.
 * Does not: start or cancel jobs (./training-view.js does).
 */
import { sseEvents } from '../api.js';
import { h } from '../dom.js';

export const JOB_STATUS = /** @type {Record<string, string>} */ ({
  running: '运行中',
  succeeded: '成功',
  failed: '失败',
  cancelled: '已取消',
});

/**
 * @param {{ credential: () => string, onEnd: () => void, onError: (error: unknown) => void }} options
 */
export function jobLogPanel(options) {
  /** @type {AbortController | undefined} */
  let following;
  const title = h('h2', {}, '任务日志');
  const progress = h('progress', { max: 100, value: 0, hidden: true, testid: 'job-progress' });
  const step = h('div', { class: 'muted', testid: 'job-step' });
  const chart = h('div', { class: 'chart' });
  const reports = h('ul', { testid: 'job-reports' });
  const output = h('pre', { class: 'log', hidden: true, testid: 'job-output' });

  /** @param {any} line a trainer_log.jsonl record */
  const showProgress = (line, /** @type {number[]} */ losses) => {
    progress.hidden = false;
    progress.value = Number(line.percentage ?? 0);
    const parts = [`第 ${line.current_steps}/${line.total_steps} 步`, `loss ${Number(line.loss).toFixed(4)}`];
    if (line.lr !== undefined) parts.push(`lr ${Number(line.lr).toExponential(2)}`);
    if (line.remaining_time) parts.push(`剩余 ${line.remaining_time}`);
    step.textContent = parts.join(' · ');
    if (Number.isFinite(Number(line.loss))) losses.push(Number(line.loss));
    chart.replaceChildren(lossChart(losses));
  };

  const follow = async (/** @type {string} */ id) => {
    following?.abort();
    const controller = new AbortController();
    following = controller;
    title.textContent = `任务日志 · ${id}`;
    output.textContent = '';
    output.hidden = false;
    step.textContent = '';
    reports.replaceChildren();
    progress.hidden = true;
    /** @type {number[]} */
    const losses = [];
    try {
      const path = `/admin/jobs/${encodeURIComponent(id)}/log`;
      for await (const { event, data } of sseEvents(path, {
        credential: options.credential(),
        signal: controller.signal,
      })) {
        if (event === 'log') showProgress(data, losses);
        else if (event === 'output') {
          output.textContent += `${data.line}\n`;
          output.scrollTop = output.scrollHeight;
          for (const match of String(data.line).matchAll(/\S*reports\/eval-[^\s/]+\/report\.html/g)) {
            reports.append(h('li', {}, '评测报告：', h('code', {}, match[0])));
          }
        } else if (event === 'end') {
          const ended = `任务结束：${JOB_STATUS[data.status] ?? data.status}`;
          step.textContent = step.textContent ? `${step.textContent} · ${ended}` : ended;
          options.onEnd();
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) options.onError(error);
    }
  };

  return {
    element: h('section', { class: 'job-log' }, title, progress, step, chart, reports, output),
    follow,
    stop: () => following?.abort(),
  };
}

/**
 * A small SVG line of the loss per logged step.
 * @param {number[]} losses
 */
function lossChart(losses) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 300 80');
  svg.setAttribute('class', 'loss');
  if (losses.length < 2) return svg;
  const max = Math.max(...losses);
  const min = Math.min(...losses);
  const span = max - min || 1;
  const points = losses.map(
    (l, i) =>
      `${((i / (losses.length - 1)) * 296 + 2).toFixed(1)},${(78 - ((l - min) / span) * 74).toFixed(1)}`,
  );
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.append(line);
  return svg;
}
