/** readExamples/writeExamples on temp files: JSON, JSONL, CSV, bad encodings, truncation, a 50 MB line. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import type { Example } from '../example.js';
import { JsonArraySplitter } from './json-array.js';
import { LineSplitter } from './lines.js';
import { readAllExamples, readExamples } from './read.js';
import { readText } from './text.js';
import { writeExamples } from './write.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function readError(path: string): Promise<InputError> {
  try {
    await readAllExamples(path);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

const alpaca = (n: number) => ({ instruction: `q${n}`, input: '', output: `a${n}` });

describe('readExamples: JSON array', () => {
  it('reads elements with the line each starts on', async () => {
    const path = await file('ok.json', JSON.stringify([alpaca(1), alpaca(2)], null, 2));
    const { examples, issues } = await readAllExamples(path);
    expect(issues).toEqual([]);
    expect(examples.map((e) => e.source?.line)).toEqual([2, 7]);
    expect(examples[1]?.messages[0]?.content).toBe('q2');
  });

  it('truncated JSON names the line of the open element', async () => {
    const text = JSON.stringify([alpaca(1), alpaca(2)], null, 2);
    const path = await file('cut.json', text.slice(0, text.length - 20));
    const error = await readError(path);
    expect(error.message).toBe(`${path}:7: truncated JSON: the element that starts on line 7 is not closed`);
    const path2 = await file('cut2.json', '[\n{"instruction": "a", "output": "b"},\n');
    expect((await readError(path2)).message).toMatch(/:3: truncated JSON: the array has no closing/);
  });

  it('not an array', async () => {
    const path = await file('obj.json', '\n{"instruction": "a"}\n');
    const error = await readError(path);
    expect(error.message).toBe(`${path}:2: expected a JSON array of records, got an object`);
    expect(error.hint).toMatch(/\.jsonl/);
  });

  it('GBK bytes are reported as not UTF-8 with the line', async () => {
    const head = Buffer.from('[\n{"instruction": "', 'utf8');
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3]); // 你好 in GBK
    const path = await file('gbk.json', Buffer.concat([head, gbk, Buffer.from('", "output": "x"}]')]));
    const error = await readError(path);
    expect(error.message).toContain(
      ':2: not UTF-8 (looks like GBK/GB18030?); convert with iconv -f GBK -t UTF-8',
    );
  });

  it('strips a UTF-8 BOM, rejects a UTF-16 BOM', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const path = await file('bom.json', Buffer.concat([bom, Buffer.from(JSON.stringify([alpaca(1)]))]));
    expect((await readAllExamples(path)).examples).toHaveLength(1);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[]', 'utf16le')]);
    const error = await readError(await file('utf16.json', utf16));
    expect(error.message).toMatch(/:1: UTF-16 text/);
  });

  it('record problems are issues, not errors', async () => {
    const text = `[\n${JSON.stringify(alpaca(1))},\n{"instruction": 5, "input": ""},\n{"instruction": secret42x},\n42\n]`;
    const { examples, issues } = await readAllExamples(await file('mixed.json', text));
    expect(examples).toHaveLength(1);
    expect(issues.map((i) => [i.line, i.field, i.message])).toEqual([
      [3, 'instruction', 'expected a string, got number'],
      [3, 'output', 'missing: expected a string'],
      [4, '(record)', expect.stringMatching(/^invalid JSON/)],
      [5, '(record)', expect.stringMatching(/^cannot tell the record format/)],
    ]);
    expect(JSON.stringify(issues)).not.toContain('secret42x');
  });

  it('kind and format options', async () => {
    const path = await file(
      'pref.json',
      JSON.stringify([{ prompt: 'p', chosen: 'c', rejected: 'r' }, alpaca(1)]),
    );
    const { examples, issues } = await readAllExamples(path, { kind: 'preference' });
    expect(examples).toHaveLength(1);
    expect(issues[0]?.message).toBe('expected a preference record, got a sft record (alpaca)');
    const forced = await readAllExamples(path, { format: 'preference' });
    expect(forced.issues.map((i) => i.field)).toEqual(['prompt', 'chosen', 'rejected']);
  });

  it('a 50 MB single-line array streams in bounded chunks', async () => {
    const record = JSON.stringify({
      instruction: '你好'.repeat(500),
      input: '',
      output: 'x\\"]},{['.repeat(100),
    });
    const count = Math.ceil((50 * 1024 * 1024) / (record.length * 2));
    const path = join(dir, 'big.json');
    const body = `[${Array.from({ length: 200 }, () => record).join(',')}`;
    const parts: string[] = [];
    for (let i = 0; i < count; i += 200) parts.push(body.slice(1));
    await writeFile(path, `[${parts.join(',')}]`);
    let n = 0;
    for await (const item of readExamples(path)) {
      expect(item.ok).toBe(true);
      n++;
    }
    expect(n).toBe(parts.length * 200);
  }, 20_000);
});

describe('JsonArraySplitter', () => {
  it('gives the same elements whatever the chunk boundaries', () => {
    const text = '[ {"a": "x\\"]}"}, [1, [2]], "s\\\\", 3.5e2 ,null,\n{"b": {"c": []}} ]';
    const expected = ['{"a": "x\\"]}"}', '[1, [2]]', '"s\\\\"', '3.5e2', 'null', '{"b": {"c": []}}'];
    for (let size = 1; size <= text.length; size++) {
      const splitter = new JsonArraySplitter('t.json');
      const got: string[] = [];
      for (let i = 0; i < text.length; i += size)
        got.push(...splitter.push(text.slice(i, i + size)).map((e) => e.text));
      splitter.end();
      expect(got).toEqual(expected);
    }
  });

  it('rejects a trailing comma and text after the array', () => {
    expect(() => new JsonArraySplitter('t.json').push('[1,]')).toThrow(/trailing comma/);
    expect(() => new JsonArraySplitter('t.json').push('[1] x')).toThrow(/after the array/);
    expect(() => new JsonArraySplitter('t.json').push('[1 2]')).toThrow(/expected ',' or '\]'/);
  });
});

describe('readText and LineSplitter', () => {
  it('decodes UTF-8 split across tiny chunks, and finds GBK on a later line', async () => {
    const text = '你好，\n世界🙂\n'.repeat(3);
    const path = await file('u8.txt', text);
    let got = '';
    for await (const chunk of readText(path, 2)) got += chunk;
    expect(got).toBe(text);
    const gbk = await file('g.txt', Buffer.concat([Buffer.from('a\nb\nc'), Buffer.from([0xc4, 0xe3])]));
    await expect(async () => {
      for await (const _ of readText(gbk, 1)) void _;
    }).rejects.toThrow(/g\.txt:3: not UTF-8/);
    await expect(readAllExamples(join(dir, 'missing.json'))).rejects.toThrow(/no such file/);
  });

  it('splits lines across chunks', () => {
    const text = 'a\r\nbb\n\nccc';
    for (let size = 1; size <= text.length; size++) {
      const splitter = new LineSplitter();
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...splitter.push(text.slice(i, i + size)));
      got.push(...splitter.end());
      expect(got).toEqual([
        { line: 1, text: 'a' },
        { line: 2, text: 'bb' },
        { line: 4, text: 'ccc' },
      ]);
    }
  });
});

describe('readExamples: JSONL', () => {
  it('one record per line; a bad line is an issue', async () => {
    const lines = [
      JSON.stringify(alpaca(1)),
      '',
      '{"instruction": "x", broken',
      `${JSON.stringify(alpaca(3))}\r`,
    ];
    const { examples, issues } = await readAllExamples(await file('a.jsonl', lines.join('\n')));
    expect(examples.map((e) => e.source?.line)).toEqual([1, 4]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 3, field: '(record)' });
    expect(issues[0]?.message).not.toContain('broken');
  });
});

describe('readExamples: CSV', () => {
  it('quoted newlines, doubled quotes, history as JSON', async () => {
    const csv = [
      'instruction,input,output,history,task',
      '"退货\n怎么办？",订单 1,"请说""退货""，\r\n我们处理。",,after_sales',
      'q2,,a2,"[[""你好"",""您好""]]",',
      '',
    ].join('\r\n');
    const { examples, issues } = await readAllExamples(await file('a.csv', csv));
    expect(issues).toEqual([]);
    expect(examples[0]?.messages).toEqual([
      { role: 'user', content: '退货\n怎么办？' },
      { role: 'assistant', content: '请说"退货"，\r\n我们处理。' },
    ]);
    expect(examples[0]?.input).toBe('订单 1');
    expect(examples[0]?.task).toBe('after_sales');
    expect(examples[1]?.source?.line).toBe(5);
    expect(examples[1]?.messages).toHaveLength(4);
  });

  it('preference columns; wrong cell counts and bad history are issues', async () => {
    const csv = 'prompt,chosen,rejected\np,c,r\np,c\n';
    const { examples, issues } = await readAllExamples(await file('p.csv', csv));
    expect(examples[0]).toMatchObject({ kind: 'preference', chosen: 'c', rejected: 'r' });
    expect(issues[0]).toMatchObject({ line: 3, message: 'expected 3 cells as in the header, got 2' });
    const bad = await readAllExamples(await file('h.csv', 'instruction,output,history\nq,a,[oops\n'));
    expect(bad.issues[0]).toMatchObject({ line: 2, field: 'history' });
  });

  it('an unclosed quote is a file error with its line', async () => {
    const error = await readError(await file('open.csv', 'instruction,output\nq,a\nq,"a\nb\n'));
    expect(error.message).toMatch(/open\.csv:3: truncated CSV/);
  });
});

describe('writeExamples', () => {
  const examples: Example[] = [
    {
      kind: 'sft',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
      input: '',
    },
    {
      kind: 'sft',
      messages: [
        { role: 'user', content: '问' },
        { role: 'assistant', content: '答' },
      ],
      task: 'order',
    },
  ];

  it('JSON and JSONL round-trip through readExamples', async () => {
    for (const name of ['out.json', 'out.jsonl']) {
      const path = join(dir, name);
      expect(await writeExamples(path, examples, 'alpaca')).toBe(2);
      const { examples: back, issues } = await readAllExamples(path);
      expect(issues).toEqual([]);
      expect(back.map(({ source, ...rest }) => rest)).toEqual(
        examples.map((e) => ({ ...e, input: e.input ?? '' })),
      );
    }
    expect((await readFile(join(dir, 'out.jsonl'), 'utf8')).split('\n')).toHaveLength(3);
  });

  it('leaves nothing behind when an example cannot be written', async () => {
    const sub = await mkdtemp(join(dir, 'w-'));
    const pref: Example = {
      kind: 'preference',
      messages: [{ role: 'user', content: 'q' }],
      chosen: 'c',
      rejected: 'r',
    };
    await expect(writeExamples(join(sub, 'x.json'), [...examples, pref], 'alpaca')).rejects.toThrow(
      /preference/,
    );
    expect(await readdir(sub)).toEqual([]);
  });

  it('accepts async iterables and writes an empty array', async () => {
    async function* none(): AsyncGenerator<Example> {}
    const path = join(dir, 'empty.json');
    expect(await writeExamples(path, none(), 'sharegpt')).toBe(0);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([]);
  });
});
