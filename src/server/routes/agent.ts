/**
 * The agent desk: conversations the bot handed off wait in a queue (status `handed_off`, oldest
 * first); an agent (agent token, or an admin key) lists them, claims one (`with_agent`), reads it,
 * replies (stored as role 'agent' and pushed to the customer's open event stream), follows the
 * customer's new messages (GET /agent/sessions/:id/events) and hands the conversation back to the
 * bot (`open`, handoff cleared). Only the claiming agent may reply or hand back.
 * Does not: route or assign conversations automatically.
 */
import { Hono } from 'hono';
import type { SessionInfo } from '../../assistant/contracts.js';
import { NotFoundError } from '../../core/errors.js';
import { requireAgent, type ServerEnv } from '../auth/principal.js';
import { HttpError } from '../http-errors.js';
import type { ServerRuntime } from '../runtime.js';
import { agentReplySchema, parseWith } from '../schemas.js';
import { sseResponse } from '../sse.js';
import { readJson } from './body.js';

const conflict = (message: string) =>
  new HttpError(409, 'E_CONFLICT', message, { hint: 'list the queue again (GET /agent/queue)' });

export function agentRoutes(rt: ServerRuntime): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  const sessions = rt.deps.sessions;
  app.use('*', requireAgent);

  const agentId = (c: { get(key: 'principal'): ServerEnv['Variables']['principal'] }) =>
    c.get('principal')!.id;

  async function mustGet(id: string): Promise<SessionInfo> {
    const session = await sessions.get(id);
    if (!session) throw new NotFoundError(`no session ${id}`);
    return session;
  }

  async function mustHold(id: string, agent: string): Promise<SessionInfo> {
    const session = await mustGet(id);
    if (session.status !== 'with_agent' || session.agentId !== agent) {
      throw conflict(`session ${id} is not held by you (status ${session.status})`);
    }
    return session;
  }

  app.get('/queue', async (c) => {
    const waiting = (await sessions.list({ status: 'handed_off', limit: 200 })).reverse();
    const mine = (await sessions.list({ status: 'with_agent', limit: 200 })).filter(
      (s) => s.agentId === agentId(c),
    );
    const view = (s: SessionInfo) => ({
      id: s.id,
      customerId: s.customerId,
      status: s.status,
      agentId: s.agentId,
      handoff: s.state.handedOff ?? null,
      updatedAt: s.updatedAt,
    });
    return c.json({ waiting: waiting.map(view), mine: mine.map(view) });
  });

  app.get('/sessions/:id', async (c) => {
    const session = await mustGet(c.req.param('id'));
    return c.json({ session, messages: await sessions.messages(session.id) });
  });

  app.post('/sessions/:id/claim', async (c) => {
    const session = await mustGet(c.req.param('id'));
    const me = agentId(c);
    if (session.status === 'with_agent' && session.agentId === me) return c.json(session);
    if (session.status !== 'handed_off') {
      throw conflict(`session ${session.id} is ${session.status}, not waiting for an agent`);
    }
    const claimed = await sessions.update(session.id, { status: 'with_agent', agentId: me });
    rt.bus.publish(session.id, { type: 'status', status: 'with_agent', agentId: me });
    return c.json(claimed);
  });

  app.post('/sessions/:id/messages', async (c) => {
    const body = parseWith(agentReplySchema, await readJson(c));
    const me = agentId(c);
    const session = await mustHold(c.req.param('id'), me);
    const message = await sessions.append({
      sessionId: session.id,
      role: 'agent',
      text: body.text,
      meta: { agentId: me, origin: 'agent' },
    });
    rt.bus.publish(session.id, { type: 'message', message });
    return c.json(message, 201);
  });

  app.post('/sessions/:id/release', async (c) => {
    const me = agentId(c);
    const session = await mustHold(c.req.param('id'), me);
    const { handedOff: _dropped, ...state } = session.state;
    const released = await sessions.update(session.id, {
      status: 'open',
      agentId: null,
      state: { ...state, failures: 0 },
    });
    rt.bus.publish(session.id, { type: 'status', status: 'open' });
    return c.json(released);
  });

  app.get('/sessions/:id/events', async (c) => {
    const session = await mustGet(c.req.param('id'));
    const listener = rt.inFlight.listener();
    const clientGone = c.req.raw.signal;
    return sseResponse(
      (send) =>
        new Promise<void>((resolve) => {
          const unsubscribe = rt.bus.subscribe(session.id, (event) => {
            const ok = event.type === 'message' ? send(event.message, 'message') : send(event, 'status');
            if (!ok) finish();
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

  return app;
}
