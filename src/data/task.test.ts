import { describe, expect, it } from 'vitest';
import type { Example, Task } from './example.js';
import { classifyTask, classifyText, pickTask, scoreExample, TASK_RULES } from './task.js';

function sft(users: string[], extra: Partial<Example> = {}): Example {
  const messages = users.flatMap((content) => [
    { role: 'user' as const, content },
    { role: 'assistant' as const, content: '亲，好的' },
  ]);
  return { kind: 'sft', messages, ...extra };
}

const cases: [string, Task][] = [
  // order
  ['我想取消订单，拍错了', 'order'],
  ['亲，帮我改一下地址，地址填错了', 'order'],
  ['下单后能开发票吗？要电子发票', 'order'],
  ['付款一直失败，支付不了怎么办', 'order'],
  ['订单号DD20240312001 帮我看下', 'order'],
  ['can I cancel my order?', 'order'],
  // shipping
  ['我的快递到哪了', 'shipping'],
  ['my order 到哪了', 'shipping'],
  ['怎么还不发货啊，都三天了', 'shipping'],
  ['SF1234567890123 这个单号查不到物流', 'shipping'],
  ['显示已签收但是我没收到', 'shipping'],
  ['今天能派送吗，几天到北京', 'shipping'],
  ['where is my package', 'shipping'],
  ['YT9876543210 咋还没到', 'shipping'],
  // after_sales
  ['收到的杯子是坏的，有质量问题，我要退货', 'after_sales'],
  ['退款什么时候到账', 'after_sales'],
  ['支持七天无理由吗', 'after_sales'],
  ['这个能换货吗，尺码小了想换大一号', 'after_sales'],
  ['耳机左边没声音，保修期内可以维修吗', 'after_sales'],
  ['I want a refund, the item arrived damaged', 'after_sales'],
  ['订单DD20240101123 申请退款', 'after_sales'],
  // product
  ['这件衣服有什么颜色？尺码偏大吗', 'product'],
  ['身高170体重65穿多大码', 'product'],
  ['这两个型号有什么区别', 'product'],
  ['这款还有货吗', 'product'],
  ['面料是纯棉的吗', 'product'],
  ['扫地机器人怎么用？说明书在哪', 'product'],
  ['is this in stock in size M?', 'product'],
  // other
  ['你好', 'other'],
  ['在吗在吗', 'other'],
  ['hello', 'other'],
  ['谢谢，没事了', 'other'],
];

describe('classifyText', () => {
  it.each(cases)('%s → %s', (text, task) => {
    expect(classifyText(text)).toBe(task);
  });
});

describe('classifyTask', () => {
  it('keeps an existing task label', () => {
    expect(classifyTask(sft(['我的快递到哪了'], { task: 'product' }))).toBe('product');
  });

  it('looks at every user turn, not only the first', () => {
    expect(classifyTask(sft(['你好', '在吗', '快递几天到上海']))).toBe('shipping');
  });

  it('ignores assistant replies', () => {
    const example: Example = {
      kind: 'sft',
      messages: [
        { role: 'user', content: '你好' },
        { role: 'assistant', content: '您好，退货退款请提供订单号' },
      ],
    };
    expect(classifyTask(example)).toBe('other');
  });

  it('counts a topic the customer returns to more than a passing mention', () => {
    const example = sft(['订单DD20240101999能改地址吗', '地址是新的那个，帮我改地址', '顺便问下快递是哪家']);
    expect(classifyTask(example)).toBe('order');
  });

  it('uses alpaca input at half weight', () => {
    expect(classifyTask(sft(['帮我查一下'], { input: '运单号 SF1234567890' }))).toBe('shipping');
    const scores = scoreExample(sft(['帮我查一下'], { input: '运单号 SF1234567890' }));
    expect(scores.shipping).toBe((3 + 3) / 2);
    // a user turn outweighs the same words in input
    expect(classifyTask(sft(['这个还有货吗'], { input: '订单号 DD12345678' }))).toBe('product');
  });

  it('classifies preference records by their prompt', () => {
    const example: Example = {
      kind: 'preference',
      messages: [{ role: 'user', content: '质量问题能退吗' }],
      chosen: '可以的亲',
      rejected: '不行',
    };
    expect(classifyTask(example)).toBe('after_sales');
  });

  it('breaks ties towards the more specific intent', () => {
    expect(pickTask({ order: 3, shipping: 3, after_sales: 3, product: 3 })).toBe('after_sales');
    expect(pickTask({ order: 3, shipping: 3, after_sales: 0, product: 3 })).toBe('shipping');
    expect(pickTask({ order: 0, shipping: 0, after_sales: 0, product: 0 })).toBe('other');
  });

  it('has rules for every scored task', () => {
    const tasks = new Set(TASK_RULES.map((r) => r.task));
    expect([...tasks].sort()).toEqual(['after_sales', 'order', 'product', 'shipping']);
  });
});
