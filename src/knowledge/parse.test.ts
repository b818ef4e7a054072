import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { chunkDocument } from './chunk.js';
import { decodeEntities, parseDocument, parseHtml, parseMarkdown } from './parse.js';
import { tinyPdf } from './test-helpers/tiny-pdf.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parse', () => {
  it('Markdown: the first h1 is the title; fenced # lines are not headings', () => {
    const doc = parseMarkdown('# 手册\n\n## 使用\n\n```\n# 不是标题\n```\n\n## 保养\n\n擦干。', 'fallback');
    expect(doc.title).toBe('手册');
    expect(doc.sections.map((s) => s.headings)).toEqual([['使用'], ['保养']]);
    expect(doc.sections[0]!.text).toContain('# 不是标题');
  });

  it('HTML: drops scripts and styles, keeps headings, joins cells, decodes entities', () => {
    const html = `<html><head><title>退货 &amp; 换货</title><style>h1{}</style></head><body>
      <script>alert("x")</script><h1>退货政策</h1><p>签收后<b>7天</b>内&nbsp;可退。</p>
      <h2>运费</h2><table><tr><td>无理由</td><td>买家承担</td></tr></table><ul><li>一</li><li>二</li></ul></body></html>`;
    const doc = parseHtml(html, 'page');
    expect(doc.title).toBe('退货 & 换货');
    const all = doc.sections.map((s) => `${s.headings.join('/')}:${s.text}`).join('\n');
    expect(all).not.toMatch(/alert|h1\{|<|>/);
    expect(doc.sections.find((s) => s.headings[0] === '运费')?.text).toContain('无理由 | 买家承担');
    expect(all).toContain('签收后7天内 可退。');
    expect(all).toContain('- 一');
    expect(decodeEntities('&#x4F60;&#22909;&lt;')).toBe('你好<');
  });

  it('PDF: extracts the text of a real (hand-written) PDF', async () => {
    const doc = await parseDocument(
      'docs/guide.pdf',
      tinyPdf(['Return within 7 days.', 'Refund in 3 days.']),
    );
    expect(doc.title).toBe('guide');
    const text = doc.sections.map((s) => s.text).join('\n');
    expect(text).toContain('Return within 7 days.');
    expect(text).toContain('Refund in 3 days.');
    expect(chunkDocument(doc, { size: 300, overlap: 0 }).length).toBe(1);
  });

  it('a broken PDF or invalid UTF-8 is an InputError naming the file', async () => {
    const pdf = parseDocument('docs/broken.pdf', bytes('%PDF-1.4 garbage'));
    await expect(pdf).rejects.toBeInstanceOf(InputError);
    await expect(pdf).rejects.toThrow(/docs\/broken\.pdf/);
    await expect(parseDocument('a.md', new Uint8Array([0xff, 0xfe, 0xfd]))).rejects.toThrow(/a\.md/);
    await expect(parseDocument('a.docx', bytes('x'))).rejects.toMatchObject({ code: 'E_KB_FILE_TYPE' });
  });
});
