/**
 * The lines `kefu quickstart` prints about its running service: the address, the OpenAI-compatible
 * API, a curl to try as a sample customer, the server log and — while it keeps serving — the web
 * console and the admin key its admin views take. A key generated for this run is shown (once:
 * the caller prints these lines once); a key the user configured never is.
 * Does not: print (the CLI does) or start anything.
 */
import type { RunningService } from './service-stages.js';

export function serviceSummaryLines(
  service: Pick<
    RunningService,
    'url' | 'consoleUrl' | 'adminKey' | 'model' | 'customerId' | 'customerToken' | 'logFile'
  >,
  options: { serving: boolean; workspace: string; rel: (path: string) => string },
): string[] {
  const ws = options.rel(options.workspace);
  const lines = [
    options.serving
      ? `kefu is serving ${service.model} on ${service.url}`
      : `kefu served ${service.model} for the evaluation and stopped (--no-serve); start it again with: kefu serve --workspace ${ws}`,
    `  OpenAI-compatible API  ${service.url}/v1   (API docs: ${service.url}/docs)`,
    `  try it as ${service.customerId}:`,
    `    curl -s ${service.url}/v1/chat/completions -H 'content-type: application/json' \\\n` +
      `      -H 'Authorization: Bearer ${service.customerToken}' \\\n` +
      `      -d '{"messages":[{"role":"user","content":"我最近的订单到哪了？"}]}'`,
    `  or: kefu chat --workspace ${ws} --customer ${service.customerId}`,
    `  server log             ${options.rel(service.logFile)}`,
  ];
  if (!options.serving) return lines;
  return [
    ...lines,
    `  web console            ${service.consoleUrl}`,
    service.adminKey.origin === 'generated'
      ? `  admin key (this run only) ${service.adminKey.key}   (set server.adminKeys or $KEFU_ADMIN_KEY to keep one)`
      : '  admin key              the one in your config / $KEFU_ADMIN_KEY',
  ];
}
