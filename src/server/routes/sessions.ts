/**
 * The sessions API for thin clients (the shop's widget and app): create a session, post a message
 * (an SSE stream of the assistant's events — `text-delta`, `tool-call`, `tool-result`, `source`,
 * `handoff`, `finish`, or `error` — or one JSON reply with `stream: false`), read the history,
 * close, follow the conversation (GET /sessions/:id/events: agents' replies and status changes),
 * and give feedback on an answer or the whole conversation. Every route is scoped to the token's
 * customer: another customer's session is 404. Does not: decide replies (the assistant does).
 */
import { Hono } from 'hono';
import type { AssistantEvent, AssistantReply, StoredMessage } from '../../assistant/contracts.js';
import { asKefuError, NotFoundError } from '../../core/errors.js';
import { customerIdOf, requireCustomer, type ServerEnv, sessionSourceOf } from '../auth/principal.js';
import { startTurn } from '../generation.js';
import { errorBody } from '../http-errors.js';
import type { ServerRuntime } from '../runtime.js';
import { createSessionSchema, feedbackSchema, parseWith, postMessageSchema } from '../schemas.js';
import { sseResponse } from '../sse.js';
import { readJson } from './body.js';

/** The wire form of an assistant event (the contract's, with the event name in `type`). */
export function eventData(event: AssistantEvent): unknown {
  return event;
}

export function sessionRoutes(rt: ServerRuntime): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  const { assistant } = rt;
  app.use('*', requireCustomer);

  app.post('/', async (c) => {
    const body = parseWith(createSessionSchema, await readJson(c));
    // The store directly (what assistant.openSession does), to record where the traffic comes from.
    const session = await rt.deps.sessions.create(customerIdOf(c), {
      ...(body.channel ? { channel: body.channel } : {}),
      source: sessionSourceOf(c, body.channel),
    });
    return c.json(session, 201);
  });

  app.get('/:id', async (c) => c.json(await assistant.session(c.req.param('id'), customerIdOf(c))));

  app.get('/:id/messages', async (c) =>
    c.json({ messages: await assistant.history(c.req.param('id'), customerIdOf(c)) }),
  );

  app.post('/:id/close', async (c) => {
    const id = c.req.param('id');
    await assistant.close(id, customerIdOf(c));
    rt.bus.publish(id, { type: 'status', status: 'closed' });
    return c.json(await assistant.session(id, customerIdOf(c)));
  });

  app.post('/:id/messages', async (c) => {
    const body = parseWith(postMessageSchema(rt.config.maxMessageChars), await readJson(c));
    const customerId = customerIdOf(c);
    const sessionId = c.req.param('id');
    const before = await assistant.session(sessionId, customerId);
    const turn = await startTurn(rt, { sessionId, customerId, message: body.text, signal: c.req.raw.signal });
    const afterTurn = async (reply: AssistantReply | undefined) => {
      // A message to an agent: show it on the agent's desk stream.
      if (reply?.origin === 'agent' || before.status === 'with_agent') {
        const last = (await rt.deps.sessions.messages(sessionId)).filter((m) => m.role === 'customer').at(-1);
        if (last) rt.bus.publish(sessionId, { type: 'message', message: last });
      }
      if (reply?.handoff) rt.bus.publish(sessionId, { type: 'status', status: 'handed_off' });
    };
    if (body.stream === false) {
      const leave = rt.inFlight.enter();
      try {
        let reply: AssistantReply | undefined;
        const events: AssistantEvent[] = [];
        for await (const event of turn) {
          if (event.type === 'finish') reply = event.reply;
          else if (event.type !== 'text-delta') events.push(event);
        }
        await afterTurn(reply);
        return c.json({ reply, events });
      } finally {
        leave();
      }
    }
    const leave = rt.inFlight.enter();
    return sseResponse(
      async (send) => {
        try {
          let reply: AssistantReply | undefined;
          for await (const event of turn) {
            if (event.type === 'finish') reply = event.reply;
            send(eventData(event), event.type);
          }
          await afterTurn(reply);
        } catch (error) {
          const failure = asKefuError(error);
          rt.metrics.errors.inc({ code: failure.code });
          send(errorBody(failure, c.get('requestId')).error, 'error');
        }
      },
      { signal: c.req.raw.signal, onClose: leave },
    );
  });

  app.get('/:id/events', async (c) => {
    const sessionId = c.req.param('id');
    const session = await assistant.session(sessionId, customerIdOf(c));
    const listener = rt.inFlight.listener();
    const clientGone = c.req.raw.signal;
    return sseResponse(
      (send) =>
        new Promise<void>((resolve) => {
          send(
            { status: session.status, ...(session.agentId ? { agentId: session.agentId } : {}) },
            'status',
          );
          const unsubscribe = rt.bus.subscribe(sessionId, (event) => {
            const visible: StoredMessage | undefined = event.type === 'message' ? event.message : undefined;
            if (visible && visible.role === 'customer') return;
            const ok =
              event.type === 'message'
                ? send(event.message, 'message')
                : send(
                    { status: event.status, ...(event.agentId ? { agentId: event.agentId } : {}) },
                    'status',
                  );
            if (!ok || (event.type === 'status' && event.status === 'closed')) finish();
          });
          const finish = () => {
            unsubscribe();
            listener.abort();
            resolve();
          };
          clientGone.addEventListener('abort', finish, { once: true });
          listener.signal.addEventListener('abort', finish, { once: true });
        }),
      { signal: clientGone },
    );
  });

  app.post('/:id/feedback', async (c) => {
    const body = parseWith(feedbackSchema, await readJson(c));
    const customerId = customerIdOf(c);
    const sessionId = c.req.param('id');
    const history = await assistant.history(sessionId, customerId);
    let prompt = '';
    let answer = '';
    if (body.messageId) {
      const at = history.findIndex((m) => m.id === body.messageId && m.role !== 'customer');
      if (at < 0) {
        throw new NotFoundError(`no answer ${body.messageId} in this session`, {
          details: { field: 'body.messageId' },
        });
      }
      answer = history[at]!.text;
      prompt =
        history
          .slice(0, at)
          .filter((m) => m.role === 'customer')
          .at(-1)?.text ?? '';
    }
    const record = await rt.deps.feedback.record({
      sessionId,
      customerId,
      ...(body.messageId ? { messageId: body.messageId } : {}),
      ...(body.thumb ? { thumb: body.thumb } : {}),
      ...(body.rating !== undefined ? { rating: body.rating } : {}),
      ...(body.comment ? { comment: body.comment } : {}),
      prompt,
      answer,
    });
    return c.json(record, 201);
  });

  return app;
}
