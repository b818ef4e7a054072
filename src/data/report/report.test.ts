import { describe, expect, it } from 'vitest';
import type { Example } from '../example.js';
import { type CleanSummary, DatasetStats } from '../stats.js';
import { escapeHtml, renderReportHtml } from './html.js';
import { niceCeil } from './svg.js';
import { displayWidth, formatTable, renderReportText } from './terminal.js';

const examples: Example[] = [
  {
    kind: 'sft',
    system: '你是客服',
    messages: [
      { role: 'user', content: '我的快递到哪了' },
      { role: 'assistant', content: '亲，已经在派送中了' },
    ],
  },
  {
    kind: 'sft',
    messages: [
      { role: 'user', content: '尺码偏大吗' },
      { role: 'assistant', content: '正常尺码' },
      { role: 'user', content: '有货吗' },
      { role: 'assistant', content: '有的' },
    ],
  },
  { kind: 'preference', messages: [{ role: 'user', content: '我要退款' }], chosen: '好的', rejected: '不行' },
];
const stats = new DatasetStats().addAll(examples).toJSON();
const clean: CleanSummary = {
  processed: 10,
  kept: 3,
  dropped: 7,
  reasons: { 'duplicate.exact': 4, 'junk.mojibake': 2, '<script>alert(1)</script>': 1, 'pii.phone': 3 },
  masked: { phone: 5, id_card: 1, email: 0 },
  modified: 2,
};

describe('terminal report', () => {
  it('counts CJK as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('订单')).toBe(4);
    expect(displayWidth('订单 order')).toBe(10);
    expect(displayWidth('，')).toBe(2);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('aligns columns by display width', () => {
    const table = formatTable([
      ['任务', 'n'],
      ['订单 order', '12'],
      ['x', '3'],
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    const ends = lines.map(displayWidth);
    expect(new Set(ends).size).toBe(1);
    expect(lines[1]).toMatch(/^-+ {2}-+$/);
  });

  it('renders every section', () => {
    const text = renderReportText({ title: '店铺数据 report', stats, clean });
    for (const needle of [
      'examples',
      '物流 shipping',
      '4-5',
      'p99',
      'duplicate.exact',
      '手机号 phone',
      'modified',
    ]) {
      expect(text).toContain(needle);
    }
    expect(text).not.toContain('email'); // zero counts are left out
    expect(text).not.toContain('pii.phone'); // informational codes are not removals
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('leaves the cleaning sections out without a summary', () => {
    expect(renderReportText({ stats })).not.toContain('cleaning');
  });
});

function countTags(html: string, tag: string): { open: number; close: number } {
  return {
    open: (html.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length,
    close: (html.match(new RegExp(`</${tag}>`, 'g')) ?? []).length,
  };
}

describe('html report', () => {
  const html = renderReportHtml({
    title: 'Shop <b>report</b>',
    stats,
    clean,
    generatedAt: new Date('2025-01-02T03:04:05Z'),
  });

  it('is one self-contained page', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).toContain('2025-01-02T03:04:05.000Z');
  });

  it('has an svg per chart', () => {
    expect(countTags(html, 'svg').open).toBe(5);
    for (const label of [
      'Examples per task',
      'User turns per dialogue',
      'Message length, user vs assistant',
      'Records removed per reason',
      'Spans masked per PII kind',
    ]) {
      expect(html).toContain(`aria-label="${label}"`);
    }
  });

  it('escapes text from the data', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Shop &lt;b&gt;report&lt;/b&gt;');
    expect(html).not.toContain('<b>report</b>');
    expect(html).not.toContain('pii.phone');
  });

  it('has balanced tags', () => {
    for (const tag of [
      'html',
      'body',
      'main',
      'section',
      'svg',
      'table',
      'tr',
      'td',
      'th',
      'figure',
      'text',
      'title',
    ]) {
      const { open, close } = countTags(html, tag);
      expect(open, tag).toBeGreaterThan(0);
      expect(close, tag).toBe(open);
    }
  });

  it('renders without a cleaning summary, and for an empty dataset', () => {
    const empty = renderReportHtml({ title: 't', stats: new DatasetStats().toJSON(), generatedAt: 'now' });
    expect(countTags(empty, 'svg').open).toBe(3);
    expect(empty).not.toContain('NaN');
    expect(empty).not.toContain('Infinity');
    const noRemovals = renderReportHtml({
      title: 't',
      stats,
      clean: { processed: 3, kept: 3, dropped: 0, reasons: {}, masked: {} },
      generatedAt: 'now',
    });
    expect(countTags(noRemovals, 'svg').open).toBe(5);
    expect(noRemovals).toContain('无 none');
  });

  it('does not produce NaN coordinates', () => {
    expect(html).not.toContain('NaN');
  });
});

describe('helpers', () => {
  it('escapeHtml escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('niceCeil rounds axis maxima up', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(7)).toBe(10);
    expect(niceCeil(0.42)).toBeCloseTo(0.5);
    expect(niceCeil(230)).toBe(250);
    expect(niceCeil(1000)).toBe(1000);
  });
});
