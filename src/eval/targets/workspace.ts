/**
 * An in-process target over a workspace's own assistant (`openWorkspaceAssistant`: the order
 * book, tools, knowledge base and chat model it would serve), and over any assistant built on a
 * `ShopStore`. `reset` puts back the order book as it was when the target opened (read once,
 * stored again in one transaction), so replacement repeats start from the same data; `secrets`
 * is the system prompt the assistant uses. Closing the target closes what it opened.
 */
import type { Assistant } from '../../assistant/contracts.js';
import { systemPromptFor } from '../../assistant/generation/prompt.js';
import { type OpenAssistantOptions, openWorkspaceAssistant } from '../../assistant/open-assistant.js';
import { readShopData, storeShopData } from '../../shop/import/shop-data.js';
import type { ShopStore } from '../../shop/store/shop-store.js';
import type { EvalTarget } from '../types.js';
import { createInProcessTarget } from './in-process.js';

export interface StoreTargetOptions {
  name?: string;
  assistant: Assistant;
  book: ShopStore;
  systemPrompt?: string;
  close?: () => Promise<void>;
}

/** An in-process target whose order book can be restored between repeats. */
export async function createStoreTarget(options: StoreTargetOptions): Promise<EvalTarget> {
  const saved = await readShopData(options.book);
  return createInProcessTarget({
    name: options.name ?? 'in-process',
    assistant: options.assistant,
    reset: async () => {
      await options.book.transaction((tx) => storeShopData(tx, saved));
    },
    ...(options.systemPrompt ? { secrets: async () => [options.systemPrompt as string] } : {}),
    ...(options.close ? { close: options.close } : {}),
  });
}

export interface WorkspaceTarget {
  target: EvalTarget;
  book: ShopStore;
}

/** The workspace's assistant, in process, with `options` as `kefu chat` would take them. */
export async function openWorkspaceTarget(
  options: OpenAssistantOptions & { name?: string },
): Promise<WorkspaceTarget> {
  const opened = await openWorkspaceAssistant(options);
  try {
    const target = await createStoreTarget({
      name: options.name ?? `in-process:${opened.model.id}`,
      assistant: opened.assistant,
      book: opened.book,
      systemPrompt: systemPromptFor(opened.config.shopName, opened.config.systemPrompt),
      close: opened.close,
    });
    return { target, book: opened.book };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
