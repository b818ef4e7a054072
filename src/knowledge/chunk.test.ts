import { describe, expect, it } from 'vitest';
import { chunkDocument, chunkText, splitSentences } from './chunk.js';
import { parseMarkdown } from './parse.js';

const sentence = (i: number) => `第${i}条：签收后七天内商品完好可以申请无理由退货，运费由买家承担。`;

describe('chunkDocument', () => {
  it('never crosses a heading and keeps the heading path', () => {
    const doc = parseMarkdown(
      '# 退货政策\n\n前言。\n\n## 条件\n\n七天无理由。\n\n### 例外\n\n食品不退。\n\n## 运费\n\n买家承担。',
      'x',
    );
    const chunks = chunkDocument(doc, { size: 300, overlap: 30 });
    expect(doc.title).toBe('退货政策');
    expect(chunks.map((c) => [c.headings, c.text])).toEqual([
      [[], '前言。'],
      [['条件'], '七天无理由。'],
      [['条件', '例外'], '食品不退。'],
      [['运费'], '买家承担。'],
    ]);
  });

  it('packs Chinese paragraphs to the target size, counting characters, with overlap', () => {
    const text = Array.from({ length: 20 }, (_, i) => sentence(i)).join('\n\n');
    const chunks = chunkText(text, { size: 120, overlap: 40 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect([...chunk].length).toBeLessThanOrEqual(120 + 40 + 2);
    for (let i = 1; i < chunks.length; i++) {
      // the next chunk starts with the tail of the previous one
      const head = chunks[i]!.split('\n\n')[0]!;
      expect(chunks[i - 1]!.endsWith(head)).toBe(true);
      expect([...head].length).toBeLessThanOrEqual(40);
    }
    // every sentence survives
    for (let i = 0; i < 20; i++) expect(chunks.some((c) => c.includes(sentence(i)))).toBe(true);
  });

  it('cuts a long paragraph at sentence ends, then hard', () => {
    const long = Array.from({ length: 12 }, (_, i) => sentence(i)).join('');
    const chunks = chunkText(long, { size: 100, overlap: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect([...chunk].length).toBeLessThanOrEqual(100);
      expect(chunk.endsWith('。')).toBe(true);
    }
    const unbroken = '字'.repeat(250);
    expect(chunkText(unbroken, { size: 100, overlap: 0 }).map((c) => c.length)).toEqual([100, 100, 50]);
  });

  it('splits sentences keeping their end marks', () => {
    expect(splitSentences('你好。在吗？好的！ok')).toEqual(['你好。', '在吗？', '好的！', 'ok']);
  });

  it('rejects an overlap that is not smaller than the size', () => {
    expect(() => chunkDocument({ title: 't', sections: [] }, { size: 10, overlap: 10 })).toThrow(RangeError);
  });
});
