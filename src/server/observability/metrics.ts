/**
 * A small Prometheus registry written by hand: counters, gauges and histograms with labels, rendered
 * in the text exposition format (version 0.0.4) for GET /metrics. `serverMetrics()` declares the
 * service's series. Does not: push anywhere or keep history (Prometheus scrapes and stores).
 */
type Labels = Record<string, string>;

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels);
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort());

const num = (value: number) =>
  Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';

interface Metric {
  render(): string;
}

abstract class Series<T> implements Metric {
  protected readonly series = new Map<string, { labels: Labels; value: T }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly type: string,
  ) {}
  protected entry(labels: Labels, init: () => T): { labels: Labels; value: T } {
    const key = keyOf(labels);
    let found = this.series.get(key);
    if (!found) this.series.set(key, (found = { labels, value: init() }));
    return found;
  }
  protected abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join(
      '\n',
    );
  }
}

export class Counter extends Series<number> {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    this.entry(labels, () => 0).value += by;
  }
  get(labels: Labels = {}): number {
    return this.series.get(keyOf(labels))?.value ?? 0;
  }
  protected lines(): string[] {
    return [...this.series.values()].map((s) => `${this.name}${labelText(s.labels)} ${num(s.value)}`);
  }
}

export class Gauge extends Series<number> {
  constructor(
    name: string,
    help: string,
    private readonly read?: () => number,
  ) {
    super(name, help, 'gauge');
  }
  set(value: number, labels: Labels = {}): void {
    this.entry(labels, () => 0).value = value;
  }
  protected lines(): string[] {
    if (this.read) return [`${this.name} ${num(this.read())}`];
    return [...this.series.values()].map((s) => `${this.name}${labelText(s.labels)} ${num(s.value)}`);
  }
}

interface HistogramValue {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Series<HistogramValue> {
  constructor(
    name: string,
    help: string,
    readonly buckets: readonly number[],
  ) {
    super(name, help, 'histogram');
  }
  observe(value: number, labels: Labels = {}): void {
    const h = this.entry(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 })).value;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) h.counts[i]!++;
    h.sum += value;
    h.count++;
  }
  protected lines(): string[] {
    const out: string[] = [];
    for (const { labels, value } of this.series.values()) {
      this.buckets.forEach((le, i) => {
        out.push(`${this.name}_bucket${labelText(labels, ['le', num(le)])} ${value.counts[i]}`);
      });
      out.push(`${this.name}_bucket${labelText(labels, ['le', '+Inf'])} ${value.count}`);
      out.push(`${this.name}_sum${labelText(labels)} ${num(value.sum)}`);
      out.push(`${this.name}_count${labelText(labels)} ${value.count}`);
    }
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`;
  }
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function serverMetrics(queue: () => { depth: number; running: number; inFlight?: number }) {
  const registry = new Registry();
  return {
    registry,
    requestSeconds: registry.add(
      new Histogram('kefu_http_request_duration_seconds', 'HTTP request latency.', LATENCY_BUCKETS),
    ),
    firstTokenSeconds: registry.add(
      new Histogram('kefu_generation_first_token_seconds', 'Time to the first text delta.', LATENCY_BUCKETS),
    ),
    answerSeconds: registry.add(
      new Histogram('kefu_generation_duration_seconds', 'Time to the full answer.', LATENCY_BUCKETS),
    ),
    queueDepth: registry.add(
      new Gauge('kefu_generation_queue_depth', 'Generations waiting for a slot.', () => queue().depth),
    ),
    queueRunning: registry.add(
      new Gauge('kefu_generation_running', 'Generations running now.', () => queue().running),
    ),
    inFlight: registry.add(
      new Gauge(
        'kefu_in_flight_requests',
        'Generations and streams that shutdown waits for.',
        () => queue().inFlight ?? 0,
      ),
    ),
    completionTokens: registry.add(new Counter('kefu_completion_tokens_total', 'Tokens generated.')),
    tokensPerSecond: registry.add(
      new Gauge('kefu_generation_tokens_per_second', 'Decode speed of the last model generation.'),
    ),
    handoffs: registry.add(
      new Counter('kefu_handoffs_total', 'Conversations handed to a person, by reason.'),
    ),
    errors: registry.add(new Counter('kefu_errors_total', 'Error responses and stream errors, by code.')),
    rejected: registry.add(
      new Counter('kefu_rejected_total', 'Requests refused by rate limit or full queue.'),
    ),
  };
}

export type ServerMetrics = ReturnType<typeof serverMetrics>;
