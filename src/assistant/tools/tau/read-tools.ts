/**
 * τ-bench retail's read tools under their own names and arguments: find_user_id_by_email,
 * find_user_id_by_name_zip, get_user_details, get_order_details, get_product_details,
 * list_all_product_types, calculate, think, transfer_to_human_agents. `data.output` is what
 * τ-bench's Python tool returns (the record, the string, or 'Error: …'). The user look-ups only
 * ever find the authenticated customer; another user's id or order is 'not found'.
 * Does not: change data.
 */
import { z } from 'zod';
import { fact } from '../facts.js';
import { readTool, type ToolDefinition } from '../registry.js';
import { ORDER_ID, USER_ID } from './arguments.js';
import { calculate as evaluate } from './calculate.js';
import {
  orderNotFound,
  tauError,
  tauOrderFacts,
  tauProductFacts,
  tauUserFacts,
  userNotFound,
} from './facts.js';
import { ownTauOrder, ownTauUser, type TauProduct, type TauUser } from './records.js';

const found = (userId: string) => ({
  outcome: 'ok' as const,
  message: '已核验用户身份。',
  data: { output: userId },
  facts: [fact('用户ID', userId), fact('核验结果', '与当前账号一致')],
});

export const findUserIdByEmail = readTool({
  name: 'find_user_id_by_email',
  description: 'Find user id by email. If the user is not found, the function will return an error message.',
  args: z.strictObject({
    email: z.string().describe("The email of the user, such as 'something@example.com'."),
  }),
  async run(args, { reader, context }) {
    const record = await ownTauUser(reader, context, context.customerId);
    if (!record || record.tau.email.toLowerCase() !== args.email.toLowerCase()) return userNotFound();
    return found(record.customer.id);
  },
});

export const findUserIdByNameZip = readTool({
  name: 'find_user_id_by_name_zip',
  description:
    'Find user id by first name, last name, and zip code. If the user is not found, the function will return an error message. By default, find user id by email, and only call this function if the user is not found by email or cannot remember email.',
  args: z.strictObject({
    first_name: z.string().describe("The first name of the customer, such as 'John'."),
    last_name: z.string().describe("The last name of the customer, such as 'Doe'."),
    zip: z.string().describe("The zip code of the customer, such as '12345'."),
  }),
  async run(args, { reader, context }) {
    const record = await ownTauUser(reader, context, context.customerId);
    const user = record?.tau;
    const matches =
      user !== undefined &&
      user.name.first_name.toLowerCase() === args.first_name.toLowerCase() &&
      user.name.last_name.toLowerCase() === args.last_name.toLowerCase() &&
      user.address.zip === args.zip;
    return record && matches ? found(record.customer.id) : userNotFound();
  },
});

export const getUserDetails = readTool({
  name: 'get_user_details',
  description: 'Get the details of an user, including their orders.',
  args: z.strictObject({ user_id: USER_ID }),
  async run(args, { reader, context }) {
    const record = await ownTauUser(reader, context, args.user_id);
    if (!record) return userNotFound();
    const user: TauUser = record.tau;
    return {
      outcome: 'ok',
      message: `已查到用户${args.user_id}的资料。`,
      data: { output: user },
      facts: tauUserFacts(args.user_id, user),
    };
  },
});

export const getTauOrderDetails = readTool({
  name: 'get_order_details',
  description: 'Get the status and details of an order.',
  args: z.strictObject({ order_id: ORDER_ID }),
  async run(args, { reader, context }) {
    const record = await ownTauOrder(reader, context, args.order_id);
    if (!record) return orderNotFound(args.order_id);
    return {
      outcome: 'ok',
      message: `订单${args.order_id}当前状态为 ${record.tau.status}。`,
      data: { output: record.tau },
      facts: tauOrderFacts(record.tau),
    };
  },
});

export const getTauProductDetails = readTool({
  name: 'get_product_details',
  description: 'Get the inventory details of a product.',
  args: z.strictObject({
    product_id: z
      .string()
      .describe(
        "The product id, such as '6086499569'. Be careful the product id is different from the item id.",
      ),
  }),
  async run(args, { reader }) {
    const stored = await reader.product(args.product_id);
    const product = stored?.source as TauProduct | undefined;
    if (!stored || !product) {
      return tauError('not_found', 'Error: product not found', `没有找到商品${args.product_id}。`, [
        fact('查询商品', args.product_id),
        fact('查询结果', '未找到该商品'),
      ]);
    }
    return {
      outcome: 'ok',
      message: `${product.name}共有${Object.keys(product.variants).length}个规格。`,
      // `product`: the order book's shape, for the dialogue's option and stock answers.
      data: { output: product, product: { ...stored, source: undefined } },
      facts: tauProductFacts(product),
    };
  },
});

export const listAllProductTypes = readTool({
  name: 'list_all_product_types',
  description:
    'List the name and product id of all product types. Each product type has a variety of different items with unique item ids and options. There are only 50 product types in the store.',
  args: z.strictObject({}),
  async run(_args, { reader }) {
    const products = await reader.searchProducts({ limit: 200 });
    const byName = new Map<string, string>();
    for (const p of products) {
      const source = p.source as TauProduct | undefined;
      byName.set(source?.name ?? p.name, source?.product_id ?? p.id);
    }
    // Python sorts str keys by code point; so does a plain comparison of strings.
    const output = Object.fromEntries([...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      outcome: 'ok',
      message: `店铺共有${byName.size}类商品。`,
      data: { output },
      facts: [
        fact(
          '商品类型',
          Object.entries(output)
            .map(([name, id]) => `${name} ${id}`)
            .join('；'),
        ),
      ],
    };
  },
});

export const calculateTool = readTool({
  name: 'calculate',
  description: 'Calculate the result of a mathematical expression.',
  args: z.strictObject({
    expression: z
      .string()
      .describe(
        "The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.",
      ),
  }),
  async run(args) {
    const output = evaluate(args.expression);
    if (output.startsWith('Error:')) {
      return {
        outcome: 'invalid',
        message: `无法计算：${output}`,
        data: { output },
        facts: [fact('参数错误', `expression: ${output}`)],
      };
    }
    return {
      outcome: 'ok',
      message: `计算结果为${output}。`,
      data: { output },
      facts: [fact('计算结果', `${args.expression} = ${output}`)],
    };
  },
});

export const think = readTool({
  name: 'think',
  description:
    'Use the tool to think about something. It will not obtain new information or change the database, but just append the thought to the log. Use it when complex reasoning is needed.',
  args: z.strictObject({ thought: z.string().describe('A thought to think about.') }),
  async run() {
    return { outcome: 'ok', message: '', data: { output: '' }, facts: [] };
  },
});

export const transferToHumanAgents = readTool({
  name: 'transfer_to_human_agents',
  description:
    "Transfer the user to a human agent, with a summary of the user's issue. Only transfer if the user explicitly asks for a human agent, or if the user's issue cannot be resolved by the agent with the available tools.",
  args: z.strictObject({ summary: z.string().describe("A summary of the user's issue.") }),
  async run(args) {
    return {
      outcome: 'ok',
      message: '已为您转接人工客服，请稍候。',
      data: { output: 'Transfer successful', handoff: { reason: 'customer_asked', summary: args.summary } },
      facts: [fact('转人工', '已转接')],
    };
  },
});

export const TAU_READ_TOOLS: ToolDefinition[] = [
  findUserIdByEmail,
  findUserIdByNameZip,
  getUserDetails,
  getTauOrderDetails,
  getTauProductDetails,
  listAllProductTypes,
  calculateTool,
  think,
  transferToHumanAgents,
];
