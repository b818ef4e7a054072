/**
 * The dialogue engine's settings (`assistant:` in kefu.yaml): the shop's persona and tone, how the
 * model generates, how much is retrieved, whether replies are grounding-checked, and when the
 * conversation goes to a person. Every field has a default and a description.
 * Does not: pick or load a model (the CLI and server do), or configure the tools.
 */
import { z } from 'zod';

export const assistantConfigSchema = z
  .object({
    shopName: z
      .string()
      .default('')
      .describe(
        "Shop name the assistant speaks for (system prompt and templates); empty = the imported shop's name.",
      ),
    personaName: z
      .string()
      .default('')
      .describe('Name the assistant introduces itself with (e.g. 小悦); empty = "智能客服".'),
    tone: z
      .enum(['warm', 'formal'])
      .default('warm')
      .describe('Tone of template answers: warm (亲/～) or formal (您好/。).'),
    systemPrompt: z
      .string()
      .default('')
      .describe(
        'System prompt override; empty = the prompt the model was trained with, with shopName filled in.',
      ),
    maxTokens: z.number().int().min(1).max(4096).default(120).describe('Most tokens one reply may have.'),
    temperature: z.number().min(0).max(2).default(0).describe('Sampling temperature; 0 = greedy.'),
    historyTurns: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(4)
      .describe('Earlier (customer, assistant) pairs given to the model, newest kept first.'),
    retrievalLimit: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(3)
      .describe('Passages retrieved for product and policy questions (0 = no retrieval).'),
    grounding: z
      .boolean()
      .default(true)
      .describe(
        'Check every order number, price, date, status and policy number of a reply against the facts.',
      ),
    regenerateOnUngrounded: z
      .boolean()
      .default(true)
      .describe('Regenerate once (sampling) before falling back to a template answer.'),
    handoff: z
      .object({
        maxFailures: z
          .number()
          .int()
          .min(1)
          .default(2)
          .describe('Consecutive turns without an answer after which the customer goes to a person.'),
        onAnger: z.boolean().default(true).describe('Hand off when the customer is angry.'),
        onOutOfScope: z
          .boolean()
          .default(false)
          .describe('Hand off at once on a message outside the four tasks (else answer politely first).'),
      })
      .strict()
      .prefault({})
      .describe('When the bot hands the conversation to a person.'),
  })
  .strict();

export type AssistantConfig = z.infer<typeof assistantConfigSchema>;

/** The default config, parsed (every field filled). */
export function defaultAssistantConfig(
  overrides: z.input<typeof assistantConfigSchema> = {},
): AssistantConfig {
  return assistantConfigSchema.parse(overrides);
}
